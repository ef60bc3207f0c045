/**
 * A backup archive is a directory: `archive.json` (the format, when it was made, a random salt
 * and a key check), `manifest.sealed` and one sealed part per file (sealed-records.ts). The
 * archive's key is HKDF-SHA256 of the configured backup key (SPORTELLO_BACKUP_KEY) with the salt,
 * so no two archives share a key and a nonce. The key check, an HMAC under the archive key over
 * the header's fields, tells a wrong key (backup_key_wrong) from a changed archive
 * (backup_tampered) and authenticates the header. The manifest, sealed as part 0, names every
 * part with its size and SHA-256.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BackupError } from './backup-errors.js';
import { openPart, sealPart } from './sealed-records.js';

export const HEADER_FILE = 'archive.json';
export const MANIFEST_FILE = 'manifest.sealed';
export const MANIFEST_PART = 0;
/** Archives are directories named so that their names sort by time. */
export const ARCHIVE_NAME = /^sportello-backup-\d{8}T\d{9}Z$/;

export function archiveName(createdAt: number): string {
  return `sportello-backup-${new Date(createdAt).toISOString().replace(/[-:.]/g, '')}`;
}

export function partFile(index: number): string {
  return `part-${String(index).padStart(6, '0')}.sealed`;
}

const Header = z
  .object({
    format: z.literal('sportello-backup'),
    version: z.literal(1),
    createdAt: z.number().int().nonnegative(),
    salt: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    keyCheck: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  })
  .strict();
export type Header = z.infer<typeof Header>;

const Part = z
  .object({
    index: z.number().int().positive(),
    /** What it holds: the store's snapshot, a media file, the sandbox's server key. */
    kind: z.enum(['sqlite', 'pg_dump', 'media', 'server-key']),
    /** Where it goes in the data dir (the store's parts: its file name, or the dump). */
    path: z.string().regex(/^(sportello\.db|server\.key|media\/[0-9a-f]{2}\/[0-9a-f]{64})$/),
    size: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type ManifestPart = z.infer<typeof Part>;

export const SnapshotDevice = z
  .object({
    machineId: z.string(),
    keyFingerprint: z.string().nullable(),
    hostname: z.string(),
    label: z.string(),
    status: z.string(),
    approvedAt: z.number().nullable(),
  })
  .strict();
export type SnapshotDevice = z.infer<typeof SnapshotDevice>;

const Manifest = z
  .object({
    createdAt: z.number().int().nonnegative(),
    /** Which store the snapshot is of. */
    store: z.enum(['sqlite', 'postgres']),
    /** The newest migration the snapshot's schema has. */
    schema: z.string(),
    parts: z.array(Part),
    /** The workstations the snapshot knows (a restore names those it does not). */
    devices: z.array(SnapshotDevice),
    /** Counts people read in `verify` and `list`. */
    counts: z.object({ messages: z.number().int(), agents: z.number().int(), devices: z.number().int(), auditEntries: z.number().int() }).strict(),
  })
  .strict();
export type Manifest = z.infer<typeof Manifest>;

function deriveKey(backupKey: Buffer, salt: Buffer): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', backupKey, salt, 'sportello-backup-archive-v1', 32));
}

function keyCheckOf(key: Buffer, header: Omit<Header, 'keyCheck'>): string {
  return crypto.createHmac('sha256', key).update(`key-check\0${header.format}\0${header.version}\0${header.createdAt}\0${header.salt}`).digest('base64url');
}

/** A new archive's header and key. */
export function newArchiveKey(backupKey: Buffer, createdAt: number): { header: Header; key: Buffer } {
  const salt = crypto.randomBytes(32);
  const key = deriveKey(backupKey, salt);
  const unsigned = { format: 'sportello-backup' as const, version: 1 as const, createdAt, salt: salt.toString('base64url') };
  return { header: { ...unsigned, keyCheck: keyCheckOf(key, unsigned) }, key };
}

/** The header as stored, unauthenticated (for `list`). */
export function readHeader(dir: string): Header {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, HEADER_FILE), 'utf8');
  } catch (error) {
    throw new BackupError({ code: 'backup_not_found', message: `${dir} is not a backup archive: it has no readable ${HEADER_FILE}.`, cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = Header.safeParse(json);
  if (!parsed.success)
    throw new BackupError({ code: 'backup_tampered', message: `The ${HEADER_FILE} of ${dir} is not a backup header: it was changed or is not Sportello's.` });
  return parsed.data;
}

/** The archive's key, once the configured key proves to be the one it was made with. */
export function archiveKey(dir: string, backupKey: Buffer): { header: Header; key: Buffer } {
  const header = readHeader(dir);
  const key = deriveKey(backupKey, Buffer.from(header.salt, 'base64url'));
  const expected = Buffer.from(keyCheckOf(key, header), 'base64url');
  const stored = Buffer.from(header.keyCheck, 'base64url');
  if (expected.length !== stored.length || !crypto.timingSafeEqual(expected, stored)) {
    throw new BackupError({
      code: 'backup_key_wrong',
      message: `The backup key does not open ${path.basename(dir)}: it was made under another SPORTELLO_BACKUP_KEY (or its header was changed); nothing was read.`,
    });
  }
  return { header, key };
}

export async function writeManifest(dir: string, key: Buffer, manifest: Manifest): Promise<void> {
  await sealPart([Buffer.from(JSON.stringify(manifest), 'utf8')], path.join(dir, MANIFEST_FILE), key, MANIFEST_PART);
}

export async function readManifest(dir: string, key: Buffer, header: Header): Promise<Manifest> {
  const chunks: Buffer[] = [];
  for await (const chunk of openPart(path.join(dir, MANIFEST_FILE), key, MANIFEST_PART, MANIFEST_FILE)) chunks.push(chunk);
  const parsed = Manifest.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
  if (!parsed.success || parsed.data.createdAt !== header.createdAt)
    throw new BackupError({ code: 'backup_tampered', message: `The manifest of ${path.basename(dir)} does not describe this archive.` });
  return parsed.data;
}
