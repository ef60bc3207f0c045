/**
 * The `postgres` test project's cluster: the one SPORTELLO_TEST_DATABASE_URL names (`.ci/run`
 * starts it), or else a throwaway one this setup starts with the same script and removes at the
 * end. Without PostgreSQL's binaries it fails, saying what to install: never a silent skip.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { TestProject } from 'vitest/node';

const SCRIPT = path.resolve(import.meta.dirname, '../../scripts/throwaway-postgres.sh');

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.SPORTELLO_TEST_DATABASE_URL;
  if (given !== undefined && given !== '') {
    project.provide('databaseUrl', given);
    return undefined;
  }
  const cluster = spawn(SCRIPT, ['--serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  cluster.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => cluster.once('exit', (code) => resolve(code)));
  const lines = readline.createInterface({ input: cluster.stdout });
  const url = await new Promise<string | undefined>((resolve) => {
    lines.once('line', resolve);
    void exited.then(() => resolve(undefined));
  });
  lines.close();
  if (url === undefined) {
    throw new Error(
      `The store-touching tests run on PostgreSQL too, and no cluster could be started (${stderr.trim() || 'no output'}). ` +
        "Install Debian's postgresql (apt-get install postgresql) and run npm test again, or run .ci/run.",
    );
  }
  project.provide('databaseUrl', url);
  return async () => {
    cluster.stdin.end();
    await exited;
  };
}
