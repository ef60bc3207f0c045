/**
 * `backup restore`: into the store the configuration names (SPORTELLO_DATA_DIR and, on
 * PostgreSQL, SPORTELLO_DATABASE_URL), which must be empty: a data dir with nothing in it, a
 * database without tables. The whole archive is verified first (verify reads every part), so a
 * wrong key, a changed byte or a cut archive restores nothing; then each part is written: the
 * SQLite file under a temporary name renamed into place, the dump through `pg_restore` in one
 * transaction, the media files by their names.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { DATABASE_FILE } from '../store/open-database.js';
import { redactedDatabaseUrl } from '../store/open-postgres.js';
import { BackupError } from './backup-errors.js';
import type { BackupSource } from './create-backup.js';
import type { Manifest, ManifestPart } from './archive-format.js';
import { readPart, verifyBackup } from './backup-archives.js';
import { postgresToolArgs, runPostgresTool } from './store-snapshot.js';
import { devicesToPairAgain } from './pair-again.js';
import type { PairAgain } from './pair-again.js';

export interface Restored {
  readonly name: string;
  readonly createdAt: number;
  readonly store: Manifest['store'];
  readonly mediaFiles: number;
  readonly counts: Manifest['counts'];
  /** The active workstations the snapshot knows. */
  readonly devicesInSnapshot: number;
  /** Set when the replaced store was named: the workstations it knows and the snapshot does not. */
  readonly pairAgain: PairAgain | undefined;
}

async function postgresTables(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    const found = await client.query<{ n: string }>(
      "select count(*) as n from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')",
    );
    return Number(found.rows[0]?.n ?? 0);
  } catch (error) {
    throw new BackupError({
      code: 'backup_tool_failed',
      message: `Cannot reach the database ${redactedDatabaseUrl(databaseUrl)}: ${(error as Error).message}`,
      cause: error,
    });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Refuses a target that holds anything: a restore never merges into or overwrites a store. */
export async function assertEmptyTarget(target: BackupSource): Promise<void> {
  if (fs.existsSync(target.dataDir) && fs.readdirSync(target.dataDir).length > 0) {
    throw new BackupError({
      code: 'restore_target_not_empty',
      message: `The data dir ${target.dataDir} is not empty: a backup restores only into an empty data dir (set SPORTELLO_DATA_DIR to a new directory).`,
    });
  }
  if (target.databaseUrl !== undefined && (await postgresTables(target.databaseUrl)) > 0) {
    throw new BackupError({
      code: 'restore_target_not_empty',
      message: `The database ${redactedDatabaseUrl(target.databaseUrl)} has tables: a backup restores only into an empty database (create a new one and set SPORTELLO_DATABASE_URL to it).`,
    });
  }
}

async function writeFilePart(dir: string, key: Buffer, part: ManifestPart, file: string): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.restoring`;
  const handle = await fs.promises.open(temporary, 'wx', 0o600);
  try {
    await readPart(dir, key, part, async (chunk) => {
      let offset = 0;
      while (offset < chunk.length) offset += (await handle.write(chunk, offset)).bytesWritten;
    });
    await handle.sync();
  } catch (error) {
    await handle.close();
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  await handle.close();
  fs.renameSync(temporary, file);
}

async function restoreDump(dir: string, key: Buffer, part: ManifestPart, databaseUrl: string): Promise<void> {
  const { dbname, env } = postgresToolArgs(databaseUrl);
  await runPostgresTool('pg_restore', ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', `--dbname=${dbname}`], env, {
    feed: async (stdin) => {
      await readPart(dir, key, part, (chunk) => new Promise<void>((resolve, reject) => stdin.write(chunk, (error) => (error ? reject(error) : resolve()))));
      await new Promise<void>((resolve) => stdin.end(resolve));
    },
  });
}

export async function restoreBackup(options: {
  archive: string;
  backupKey: Buffer;
  target: BackupSource;
  previous?: BackupSource | undefined;
}): Promise<Restored> {
  const { target } = options;
  await assertEmptyTarget(target);
  const { manifest, key, name, path: dir } = await verifyBackup(options.archive, options.backupKey);
  const wanted = target.databaseUrl === undefined ? 'sqlite' : 'postgres';
  if (manifest.store !== wanted) {
    throw new BackupError({
      code: 'restore_target_not_empty',
      message: `The backup ${name} is of a ${manifest.store} store and the configuration names a ${wanted} one: restore it into the kind of store it was taken of.`,
    });
  }
  const pairAgain = options.previous === undefined ? undefined : await devicesToPairAgain(manifest.devices, options.previous);
  fs.mkdirSync(target.dataDir, { recursive: true, mode: 0o700 });
  for (const part of manifest.parts) {
    if (part.kind === 'pg_dump') await restoreDump(dir, key, part, target.databaseUrl ?? '');
    else if (part.kind === 'sqlite') await writeFilePart(dir, key, part, path.join(target.dataDir, DATABASE_FILE));
    else await writeFilePart(dir, key, part, path.join(target.dataDir, ...part.path.split('/')));
  }
  return {
    name,
    createdAt: manifest.createdAt,
    store: manifest.store,
    mediaFiles: manifest.parts.filter((part) => part.kind === 'media').length,
    counts: manifest.counts,
    devicesInSnapshot: manifest.devices.filter((device) => device.status === 'active').length,
    pairAgain,
  };
}
