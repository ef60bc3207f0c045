/**
 * The admin CLI as IT runs it: `node --import tsx server/admin-cli/main.ts …` in a child process
 * from the project root, with SPORTELLO_DATA_DIR naming the store; and plain reads of that store
 * (another connection, as sqlite3 would) to see what a command changed.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { expect } from 'vitest';
import { openAdminContext } from '../../server/admin-cli/admin-context.js';
import type { AdminContext } from '../../server/admin-cli/admin-context.js';
import { loadServerKey } from '../../server/secrets/server-key.js';
import { DATABASE_FILE, openDatabase } from '../../server/store/open-database.js';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
const ENTRY = ['--import', 'tsx', 'server/admin-cli/main.ts'];

export interface AdminRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The settings the server runs with; nothing else from the test process leaks in. */
function adminEnv(dataDir: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME ?? os.tmpdir(), SPORTELLO_DATA_DIR: dataDir };
}

function collect(command: string, args: readonly string[], dataDir: string, input: string): Promise<AdminRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env: adminEnv(dataDir), stdio: ['pipe', 'pipe', 'pipe'] });
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
export function runAdminOnTerminalAnswering(dataDir: string, args: readonly string[], prompt: string, typed: string): Promise<AdminRun> {
  const commandLine = [process.execPath, ...ENTRY, ...args].map(shellQuote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['--quiet', '--return', '--command', commandLine, '/dev/null'], {
      cwd: PROJECT_ROOT,
      env: adminEnv(dataDir),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
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
  const database = await openDatabase(dataDir);
  loadServerKey(undefined, dataDir);
  await database.close();
}

/** Sets a store up through the CLI's own services, in this process: for what a test does not examine. */
export async function seedStore(dataDir: string, seed: (context: AdminContext) => Promise<unknown>): Promise<void> {
  const context = await openAdminContext(adminEnv(dataDir));
  try {
    await seed(context);
  } finally {
    await context.close();
  }
}

const IDENTITY_TABLES = ['devices', 'device_allowlist', 'pairings', 'pairing_codes', 'agents', 'recovery_codes', 'sessions', 'audit_log'] as const;

/** Every row of the identity tables, to compare before and after a command that must change nothing. */
export function identitySnapshot(dataDir: string): Record<string, unknown[]> {
  const sqlite = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return Object.fromEntries(IDENTITY_TABLES.map((table) => [table, sqlite.prepare(`select * from ${table} order by rowid`).all()]));
  } finally {
    sqlite.close();
  }
}

/** Edits an audit row behind the application's back, as someone with the database file could. */
export function tamperWithAuditRow(dataDir: string, id: number, detailsJson: string): void {
  const sqlite = new Database(path.join(dataDir, DATABASE_FILE));
  try {
    const changed = sqlite.prepare('update audit_log set details_json = ? where id = ?').run(detailsJson, id);
    expect(changed.changes).toBe(1);
  } finally {
    sqlite.close();
  }
}
