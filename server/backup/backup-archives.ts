/**
 * The archives of a backup directory: listing them (newest first, from their headers), keeping
 * the newest `retain` (the daily run's retention), and verifying one whole: every part decrypted
 * and its size and SHA-256 compared with the authenticated manifest, nothing written anywhere.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BackupError } from './backup-errors.js';
import { ARCHIVE_NAME, archiveKey, partFile, readHeader, readManifest } from './archive-format.js';
import type { Manifest, ManifestPart } from './archive-format.js';
import { openPart } from './sealed-records.js';

export interface ArchiveEntry {
  readonly name: string;
  readonly path: string;
  readonly createdAt: number;
  readonly bytes: number;
}

export function listBackups(backupDir: string): ArchiveEntry[] {
  if (!fs.existsSync(backupDir))
    throw new BackupError({ code: 'backup_dir_missing', message: `The backup directory ${backupDir} does not exist (SPORTELLO_BACKUP_DIR or --dir).` });
  return fs
    .readdirSync(backupDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && ARCHIVE_NAME.test(entry.name))
    .map((entry) => {
      const dir = path.join(backupDir, entry.name);
      const bytes = fs.readdirSync(dir).reduce((total, name) => total + fs.statSync(path.join(dir, name)).size, 0);
      let createdAt = Number.NaN;
      try {
        createdAt = readHeader(dir).createdAt;
      } catch {
        // A damaged header still lists the archive (by name), so that `verify` can be run on it.
      }
      return { name: entry.name, path: dir, createdAt, bytes };
    })
    .sort((a, b) => b.name.localeCompare(a.name));
}

/** Removes all but the newest `retain` archives (and leftovers of runs cut short); answers the names removed. */
export function pruneBackups(backupDir: string, retain: number): string[] {
  const removed = listBackups(backupDir)
    .slice(retain)
    .map((entry) => {
      fs.rmSync(entry.path, { recursive: true, force: true });
      return entry.name;
    });
  for (const entry of fs.readdirSync(backupDir)) {
    if (/^\.sportello-backup-.*\.partial$/.test(entry)) {
      const full = path.join(backupDir, entry);
      // Only one run writes at a time; a partial archive older than a day is a crashed run's.
      if (Date.now() - fs.statSync(full).mtimeMs > 24 * 60 * 60 * 1000) fs.rmSync(full, { recursive: true, force: true });
    }
  }
  return removed;
}

/** Resolves `archive` (a path, or a name in `backupDir`) to the archive's directory. */
export function archivePath(archive: string, backupDir: string | undefined): string {
  const candidates = [archive, ...(backupDir === undefined ? [] : [path.join(backupDir, archive)])];
  const found = candidates.find((candidate) => fs.existsSync(path.join(candidate, 'archive.json')));
  if (found === undefined)
    throw new BackupError({
      code: 'backup_not_found',
      message: `There is no backup archive ${archive}${backupDir === undefined ? '' : ` (nor in ${backupDir})`}.`,
    });
  return found;
}

/** Reads one part to its end, checking it against the manifest; `sink` gets each checked record. */
export async function readPart(dir: string, key: Buffer, part: ManifestPart, sink?: (chunk: Buffer) => Promise<void> | void): Promise<void> {
  const hash = crypto.createHash('sha256');
  let size = 0;
  for await (const chunk of openPart(path.join(dir, partFile(part.index)), key, part.index, part.path)) {
    hash.update(chunk);
    size += chunk.length;
    if (size > part.size) break;
    if (sink !== undefined) await sink(chunk);
  }
  if (size !== part.size || hash.digest('hex') !== part.sha256)
    throw new BackupError({
      code: 'backup_tampered',
      message: `The backup's part ${part.path} does not match its manifest (size or SHA-256): nothing was restored from it.`,
    });
}

export interface Verified {
  readonly name: string;
  readonly path: string;
  readonly manifest: Manifest;
  readonly key: Buffer;
}

export async function verifyBackup(dir: string, backupKey: Buffer): Promise<Verified> {
  const { header, key } = archiveKey(dir, backupKey);
  const manifest = await readManifest(dir, key, header);
  for (const part of manifest.parts) await readPart(dir, key, part);
  return { name: path.basename(dir), path: dir, manifest, key };
}
