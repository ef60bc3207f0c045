/**
 * `backup create` and the daily run: the store's consistent snapshot (store-snapshot.ts) first,
 * then the media files (content-addressed, so every file a snapshot row names was written before
 * that row committed), then the sandbox's server key when the data dir holds it, each a sealed
 * part; the manifest last. The archive is built under a hidden name and renamed into place once
 * complete, so a run cut short never looks like a backup.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SANDBOX_KEY_FILE } from '../secrets/server-key.js';
import { DATABASE_FILE } from '../store/open-database.js';
import { archiveName, HEADER_FILE, newArchiveKey, partFile, writeManifest } from './archive-format.js';
import type { Manifest, ManifestPart } from './archive-format.js';
import { sealPart } from './sealed-records.js';
import { snapshotPostgres, snapshotSqlite } from './store-snapshot.js';

/** The store a backup is taken of: the server's own settings. */
export interface BackupSource {
  readonly dataDir: string;
  /** The store on PostgreSQL; undefined: SQLite in the data dir. */
  readonly databaseUrl?: string | undefined;
}

export interface BackupSummary {
  readonly name: string;
  readonly path: string;
  readonly createdAt: number;
  readonly store: Manifest['store'];
  readonly parts: number;
  readonly mediaFiles: number;
  /** The archive's size on disk. */
  readonly bytes: number;
  readonly counts: Manifest['counts'];
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** Every media file in the data dir, as paths relative to it (media/ab/ab12…). */
export function mediaFiles(dataDir: string): string[] {
  const root = path.join(dataDir, 'media');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^[0-9a-f]{2}$/.test(entry.name))
    .flatMap((dir) =>
      fs
        .readdirSync(path.join(root, dir.name))
        .filter((name) => HEX_SHA256.test(name) && name.startsWith(dir.name))
        .map((name) => path.posix.join('media', dir.name, name)),
    )
    .sort();
}

function sizeOnDisk(dir: string): number {
  return fs.readdirSync(dir).reduce((total, name) => total + fs.statSync(path.join(dir, name)).size, 0);
}

function syncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export async function createBackup(options: { source: BackupSource; backupDir: string; backupKey: Buffer; now: number }): Promise<BackupSummary> {
  const { source, backupDir, backupKey } = options;
  fs.mkdirSync(backupDir, { recursive: true, mode: 0o700 });
  const createdAt = options.now;
  const name = archiveName(createdAt);
  const finalDir = path.join(backupDir, name);
  const workDir = path.join(backupDir, `.${name}.partial`);
  fs.mkdirSync(workDir, { mode: 0o700 });
  try {
    const { header, key } = newArchiveKey(backupKey, createdAt);
    fs.writeFileSync(path.join(workDir, HEADER_FILE), `${JSON.stringify(header, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    const parts: ManifestPart[] = [];
    let index = 1;
    const storeFile = path.join(workDir, partFile(index));
    const snapshot =
      source.databaseUrl === undefined
        ? await snapshotSqlite(path.join(source.dataDir, DATABASE_FILE), workDir, storeFile, key, index)
        : await snapshotPostgres(source.databaseUrl, storeFile, key, index);
    parts.push({ index, kind: source.databaseUrl === undefined ? 'sqlite' : 'pg_dump', path: DATABASE_FILE, ...snapshot.sealed });
    const media = mediaFiles(source.dataDir);
    for (const relative of media) {
      index += 1;
      const sealed = await sealPart(fs.createReadStream(path.join(source.dataDir, relative)), path.join(workDir, partFile(index)), key, index);
      parts.push({ index, kind: 'media', path: relative, ...sealed });
    }
    const keyFile = path.join(source.dataDir, SANDBOX_KEY_FILE);
    if (fs.existsSync(keyFile)) {
      index += 1;
      const sealed = await sealPart(fs.createReadStream(keyFile), path.join(workDir, partFile(index)), key, index);
      parts.push({ index, kind: 'server-key', path: SANDBOX_KEY_FILE, ...sealed });
    }
    const manifest: Manifest = {
      createdAt,
      store: source.databaseUrl === undefined ? 'sqlite' : 'postgres',
      schema: snapshot.schema,
      parts,
      devices: snapshot.devices,
      counts: snapshot.counts,
    };
    await writeManifest(workDir, key, manifest);
    syncDirectory(workDir);
    fs.renameSync(workDir, finalDir);
    syncDirectory(backupDir);
    return {
      name,
      path: finalDir,
      createdAt,
      store: manifest.store,
      parts: parts.length,
      mediaFiles: media.length,
      bytes: sizeOnDisk(finalDir),
      counts: manifest.counts,
    };
  } catch (error) {
    fs.rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}
