/**
 * The admin CLI run in this process (server/admin-cli/admin-program.ts, the same program
 * `npm run admin` runs) with an environment of the test's own: the server's settings plus the
 * backup key and directory.
 */
import crypto from 'node:crypto';
import { runAdminCli } from '../../server/admin-cli/admin-program.js';
import { testDatabaseUrl } from '../helpers/test-store.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const newBackupKey = (): string => crypto.randomBytes(32).toString('base64');

/** The settings the server on `dataDir` runs with (sandbox), and `more`. */
export async function storeEnv(dataDir: string, more: Readonly<Record<string, string>> = {}): Promise<NodeJS.ProcessEnv> {
  const databaseUrl = await testDatabaseUrl(dataDir);
  return {
    PATH: process.env.PATH,
    SPORTELLO_SANDBOX: '1',
    SPORTELLO_DATA_DIR: dataDir,
    ...(databaseUrl === undefined ? {} : { SPORTELLO_DATABASE_URL: databaseUrl }),
    ...more,
  };
}

export async function cli(env: NodeJS.ProcessEnv, args: readonly string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runAdminCli(args, {
    env,
    stdinIsTerminal: false,
    writeOut: (text) => (stdout += text),
    writeErr: (text) => (stderr += text),
    ask: () => Promise.resolve(''),
    readSecret: () => Promise.resolve(''),
  });
  return { code, stdout, stderr };
}

/** Runs with --json, expects success, and parses the document. */
export async function cliJson<T>(env: NodeJS.ProcessEnv, args: readonly string[]): Promise<T> {
  const run = await cli(env, [...args, '--json']);
  if (run.code !== 0) throw new Error(`admin ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
