/**
 * The admin CLI as IT runs it: `node --import tsx server/admin-cli/main.ts …` in a child process
 * from the project root, with SPORTELLO_DATA_DIR (and, on PostgreSQL, SPORTELLO_DATABASE_URL)
 * naming the store; and plain reads of that store (another connection, as sqlite3 or psql would)
 * to see what a command changed.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import { openAdminContext } from '../../server/admin-cli/admin-context.js';
import type { AdminContext } from '../../server/admin-cli/admin-context.js';
import { loadServerKey } from '../../server/secrets/server-key.js';
import { openDatabase } from '../../server/store/open-database.js';
import type { InboxDatabase } from '../../server/store/schema.js';
import { testDatabaseUrl } from '../helpers/test-store.js';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
const ENTRY = ['--import', 'tsx', 'server/admin-cli/main.ts'];

export interface AdminRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The settings the server runs with; nothing else from the test process leaks in. */
async function adminEnv(dataDir: string): Promise<NodeJS.ProcessEnv> {
  const databaseUrl = await testDatabaseUrl(dataDir);
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME ?? os.tmpdir(),
    SPORTELLO_DATA_DIR: dataDir,
    ...(databaseUrl === undefined ? {} : { SPORTELLO_DATABASE_URL: databaseUrl }),
  };
}

async function collect(command: string, args: readonly string[], dataDir: string, input: string): Promise<AdminRun> {
  const env = await adminEnv(dataDir);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Runs the CLI with stdin a pipe (not a terminal), as a script or cron job would; `input` is what is piped in. */
export function runAdmin(dataDir: string, args: readonly string[], input = ''): Promise<AdminRun> {
  return collect(process.execPath, [...ENTRY, ...args], dataDir, input);
}

const shellQuote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI on a pseudo-terminal (util-linux `script`), typing `typed` at it: a person at the console. */
export function runAdminOnTerminal(dataDir: string, args: readonly string[], typed: string): Promise<AdminRun> {
  const commandLine = [process.execPath, ...ENTRY, ...args].map(shellQuote).join(' ');
  return collect('script', ['--quiet', '--return', '--command', commandLine, '/dev/null'], dataDir, typed);
}

/**
 * Runs the CLI on a pseudo-terminal and types `typed` only once `prompt` shows, as a person
 * answers a question (typing ahead would be echoed by the terminal before the CLI could stop it).
 */
export async function runAdminOnTerminalAnswering(dataDir: string, args: readonly string[], prompt: string, typed: string): Promise<AdminRun> {
  const commandLine = [process.execPath, ...ENTRY, ...args].map(shellQuote).join(' ');
  const env = await adminEnv(dataDir);
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['--quiet', '--return', '--command', commandLine, '/dev/null'], { cwd: PROJECT_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let answered = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (!answered && stdout.includes(prompt)) {
        answered = true;
        child.stdin.end(typed);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Runs with --json, expects success, and parses the one document on stdout. */
export async function adminJson<T>(dataDir: string, args: readonly string[]): Promise<T> {
  const run = await runAdmin(dataDir, [...args, '--json']);
  expect(run, run.stderr).toMatchObject({ code: 0 });
  return JSON.parse(run.stdout) as T;
}

/** A failure as the CLI must report it: exit 1, nothing on stdout, exactly one line on stderr. */
export function expectOneLineFailure(run: AdminRun): string {
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  return lines[0] ?? '';
}

/** The store as the server's first start leaves it: migrated, with the sandbox's server key. */
export async function createStore(dataDir: string): Promise<void> {
  const database = await openDatabase(dataDir, await testDatabaseUrl(dataDir));
  loadServerKey(undefined, dataDir);
  await database.close();
}

/** Sets a store up through the CLI's own services, in this process: for what a test does not examine. */
export async function seedStore(dataDir: string, seed: (context: AdminContext) => Promise<unknown>): Promise<void> {
  const context = await openAdminContext(await adminEnv(dataDir));
  try {
    await seed(context);
  } finally {
    await context.close();
  }
}

/** Each identity table with the key its rows are listed in (the order they were inserted). */
const IDENTITY_TABLES = [
  ['devices', 'id'],
  ['device_allowlist', 'machine_id'],
  ['pairings', 'id'],
  ['pairing_codes', 'id'],
  ['agents', 'id'],
  ['recovery_codes', 'id'],
  ['sessions', 'id'],
  ['audit_log', 'id'],
] as const;

/** A connection of its own to the store, as sqlite3 or psql would be. */
export async function withStore<T>(dataDir: string, use: (db: Kysely<InboxDatabase>) => Promise<T>): Promise<T> {
  const database = await openDatabase(dataDir, await testDatabaseUrl(dataDir));
  try {
    return await use(database.db);
  } finally {
    await database.close();
  }
}

/** Every row of the identity tables, to compare before and after a command that must change nothing. */
export function identitySnapshot(dataDir: string): Promise<Record<string, unknown[]>> {
  return withStore(dataDir, async (db) => {
    const snapshot: Record<string, unknown[]> = {};
    for (const [table, key] of IDENTITY_TABLES)
      snapshot[table] = await sql`select * from ${sql.table(table)} order by ${sql.ref(key)}`.execute(db).then((r) => r.rows);
    return snapshot;
  });
}

/** Edits an audit row behind the application's back, as someone with the database could. */
export function tamperWithAuditRow(dataDir: string, id: number, detailsJson: string): Promise<void> {
  return withStore(dataDir, async (db) => {
    const changed = await db.updateTable('audit_log').set({ details_json: detailsJson }).where('id', '=', id).executeTakeFirst();
    expect(changed.numUpdatedRows).toBe(1n);
  });
}
