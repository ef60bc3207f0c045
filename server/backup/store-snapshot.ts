/**
 * A consistent snapshot of the running store, taken while it keeps committing webhooks, sealed
 * straight into the archive. SQLite: the online backup API of the project's driver
 * (better-sqlite3-multiple-ciphers' `backup`, copying every page in one step, which holds one
 * read transaction; in a worker thread, sqlite-copy-worker.ts, so the server's thread keeps
 * answering) into a file beside the archive, then sealed and removed. PostgreSQL: one
 * REPEATABLE READ transaction exports its snapshot, the devices and counts are read in it, and
 * `pg_dump --snapshot` dumps exactly that state (custom format) into the sealer through a pipe.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3-multiple-ciphers';
import pg from 'pg';
import { redactedDatabaseUrl } from '../store/open-postgres.js';
import { BackupError } from './backup-errors.js';
import type { Manifest, SnapshotDevice } from './archive-format.js';
import { sealPart } from './sealed-records.js';
import type { SealedPart } from './sealed-records.js';

export interface StoreSnapshot {
  readonly sealed: SealedPart;
  readonly devices: SnapshotDevice[];
  readonly counts: Manifest['counts'];
  readonly schema: string;
}

const DEVICES_SQL = 'select machine_id, key_fingerprint, hostname, label, status, approved_at from devices order by id';
const COUNTS_SQL = `select (select count(*) from messages) as messages, (select count(*) from agents) as agents,
  (select count(*) from devices) as devices, (select count(*) from audit_log) as audit_entries,
  (select max(name) from kysely_migration) as schema`;

interface DeviceRow {
  machine_id: string;
  key_fingerprint: string | null;
  hostname: string;
  label: string;
  status: string;
  approved_at: number | string | null;
}
interface CountsRow {
  messages: number | string;
  agents: number | string;
  devices: number | string;
  audit_entries: number | string;
  schema: string | null;
}

function described(devices: DeviceRow[], counts: CountsRow | undefined): Omit<StoreSnapshot, 'sealed'> {
  return {
    devices: devices.map((row) => ({
      machineId: row.machine_id,
      keyFingerprint: row.key_fingerprint,
      hostname: row.hostname,
      label: row.label,
      status: row.status,
      approvedAt: row.approved_at === null ? null : Number(row.approved_at),
    })),
    counts: {
      messages: Number(counts?.messages ?? 0),
      agents: Number(counts?.agents ?? 0),
      devices: Number(counts?.devices ?? 0),
      auditEntries: Number(counts?.audit_entries ?? 0),
    },
    schema: counts?.schema ?? '',
  };
}

/** Runs sqlite-copy-worker.ts (through its tsx bootstrap when running from source). */
async function copyInWorker(databaseFile: string, copy: string): Promise<void> {
  if (!fs.existsSync(databaseFile)) throw new BackupError({ code: 'backup_tool_failed', message: `There is no SQLite store at ${databaseFile}.` });
  const entry = new URL(import.meta.url.endsWith('.ts') ? './run-sqlite-copy-worker-from-source.js' : './sqlite-copy-worker.js', import.meta.url);
  const worker = new Worker(entry, { name: 'sportello-backup-copy', workerData: { databaseFile, copy } });
  const outcome = await new Promise<{ ok: boolean; message?: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => resolve({ ok: false, message: `the copy worker exited (code ${code})` }));
  });
  await worker.terminate();
  if (!outcome.ok) throw new BackupError({ code: 'backup_tool_failed', message: `The SQLite snapshot failed: ${outcome.message ?? 'unknown error'}` });
}

/** Copies the SQLite store at `databaseFile` into the archive as part `part` (`target` is its sealed file). */
export async function snapshotSqlite(databaseFile: string, workDir: string, target: string, key: Buffer, part: number): Promise<StoreSnapshot> {
  const copy = path.join(workDir, 'store-snapshot.tmp');
  await copyInWorker(databaseFile, copy);
  try {
    fs.chmodSync(copy, 0o600);
    const snapshot = new Database(copy, { readonly: true, fileMustExist: true });
    let description: Omit<StoreSnapshot, 'sealed'>;
    try {
      description = described(snapshot.prepare(DEVICES_SQL).all() as DeviceRow[], snapshot.prepare(COUNTS_SQL).get() as CountsRow | undefined);
    } finally {
      snapshot.close();
    }
    const sealed = await sealPart(fs.createReadStream(copy), target, key, part);
    return { sealed, ...description };
  } finally {
    fs.rmSync(copy, { force: true });
  }
}

/** libpq's settings for `databaseUrl`, the password in the environment rather than in `ps`. */
export function postgresToolArgs(databaseUrl: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return {
    dbname: url.toString(),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...(password === '' ? {} : { PGPASSWORD: password }), PGCONNECT_TIMEOUT: '10' },
  };
}

/** Runs a PostgreSQL tool; resolves when it exits 0, with its stdout being consumed by `consume`. */
export async function runPostgresTool<T>(
  tool: 'pg_dump' | 'pg_restore',
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  io: { consume?: (stdout: NodeJS.ReadableStream) => Promise<T>; feed?: (stdin: NodeJS.WritableStream) => Promise<T> },
): Promise<T> {
  const child = spawn(tool, [...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? -1));
  });
  let result: T | undefined;
  let failure: Error | undefined;
  try {
    if (io.consume !== undefined) {
      child.stdin.end();
      result = await io.consume(child.stdout);
    } else if (io.feed !== undefined) {
      child.stdout.resume();
      result = await io.feed(child.stdin);
    }
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    child.kill('SIGTERM');
  }
  let code: number;
  try {
    code = await exited;
  } catch (error) {
    throw new BackupError({
      code: 'backup_tool_failed',
      message: `${tool} could not be started (${(error as Error).message}): install PostgreSQL's client tools.`,
      cause: error,
    });
  }
  // A sealed part that fails its check throws first and the tool is stopped: that failure is the one to tell.
  if (failure instanceof BackupError) throw failure;
  if (code !== 0)
    throw new BackupError({ code: 'backup_tool_failed', message: `${tool} failed (exit code ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}` });
  if (failure !== undefined) throw failure;
  return result as T;
}

/** Dumps the PostgreSQL store at `databaseUrl` into the archive as part `part`. */
export async function snapshotPostgres(databaseUrl: string, target: string, key: Buffer, part: number): Promise<StoreSnapshot> {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new BackupError({
      code: 'backup_tool_failed',
      message: `Cannot reach the database ${redactedDatabaseUrl(databaseUrl)}: ${(error as Error).message}`,
      cause: error,
    });
  }
  try {
    await client.query('begin isolation level repeatable read read only');
    const snapshotId = (await client.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]?.id ?? '';
    const description = described((await client.query<DeviceRow>(DEVICES_SQL)).rows, (await client.query<CountsRow>(COUNTS_SQL)).rows[0]);
    const { dbname, env } = postgresToolArgs(databaseUrl);
    const sealed = await runPostgresTool(
      'pg_dump',
      ['--format=custom', '--no-owner', '--no-privileges', `--snapshot=${snapshotId}`, `--dbname=${dbname}`],
      env,
      {
        consume: (stdout) => sealPart(stdout as AsyncIterable<Uint8Array>, target, key, part),
      },
    );
    await client.query('commit');
    return { sealed, ...description };
  } finally {
    await client.end().catch(() => undefined);
  }
}
