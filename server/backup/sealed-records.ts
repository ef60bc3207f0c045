/**
 * One part of a backup archive (the store's snapshot, one media file, the manifest), encrypted
 * with AES-256-GCM as a stream of fixed-size records, so a part larger than memory is sealed and
 * opened with one record in memory at a time.
 *
 * On disk a record is: its plaintext length (4 bytes, big-endian), the ciphertext, the 16-byte
 * GCM tag. Its nonce is the part's number (4 bytes) and the record's index (8 bytes): unique
 * under the archive's own key (archive-format.ts derives one per archive from a random salt). The
 * authenticated data names the part, the record's index, its length and whether it is the last:
 * a record moved to another place or another part fails its tag, and a part cut short ends
 * without a last record, which is told apart from a changed byte.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { BackupError } from './backup-errors.js';

/** Plaintext bytes per record. */
export const RECORD_BYTES = 256 * 1024;
const TAG_BYTES = 16;
const LENGTH_BYTES = 4;
const AAD_LABEL = Buffer.from('sportello-backup-record-v1', 'ascii');

export interface SealedPart {
  /** The plaintext's size and SHA-256 (hex), for the manifest. */
  readonly size: number;
  readonly sha256: string;
}

function nonceOf(part: number, record: number): Buffer {
  const nonce = Buffer.alloc(12);
  nonce.writeUInt32BE(part, 0);
  nonce.writeBigUInt64BE(BigInt(record), 4);
  return nonce;
}

function aadOf(part: number, record: number, length: number, last: boolean): Buffer {
  const fields = Buffer.alloc(17);
  fields.writeUInt32BE(part, 0);
  fields.writeBigUInt64BE(BigInt(record), 4);
  fields.writeUInt32BE(length, 12);
  fields.writeUInt8(last ? 1 : 0, 16);
  return Buffer.concat([AAD_LABEL, fields]);
}

function sealRecord(key: Buffer, part: number, record: number, plain: Buffer, last: boolean): Buffer {
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonceOf(part, record));
  cipher.setAAD(aadOf(part, record, plain.length, last));
  const length = Buffer.alloc(LENGTH_BYTES);
  length.writeUInt32BE(plain.length, 0);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([length, body, cipher.getAuthTag()]);
}

async function writeAll(handle: fs.promises.FileHandle, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) offset += (await handle.write(bytes, offset)).bytesWritten;
}

/**
 * Reads `source` to its end and writes it sealed into `file` (created, never overwritten),
 * fsynced. A record is held back until the next byte arrives, so the last one is marked last.
 */
export async function sealPart(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, file: string, key: Buffer, part: number): Promise<SealedPart> {
  const hash = crypto.createHash('sha256');
  const handle = await fs.promises.open(file, 'wx', 0o600);
  let size = 0;
  let record = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  try {
    for await (const chunk of source) {
      let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      hash.update(bytes);
      size += bytes.length;
      while (bytes.length > 0) {
        if (pendingBytes === RECORD_BYTES) {
          await writeAll(handle, sealRecord(key, part, record++, Buffer.concat(pending), false));
          pending = [];
          pendingBytes = 0;
        }
        const take = Math.min(RECORD_BYTES - pendingBytes, bytes.length);
        pending.push(bytes.subarray(0, take));
        pendingBytes += take;
        bytes = bytes.subarray(take);
      }
    }
    await writeAll(handle, sealRecord(key, part, record, Buffer.concat(pending), true));
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { size, sha256: hash.digest('hex') };
}

/** Reads exactly `length` bytes at `position`, or fewer when the file ends first. */
async function readAt(handle: fs.promises.FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/**
 * The plaintext of a sealed part, record by record, each checked before it is given out: a
 * changed byte throws backup_tampered, a part that ends before its last record backup_truncated.
 */
export async function* openPart(file: string, key: Buffer, part: number, name: string): AsyncGenerator<Buffer> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (error) {
    throw new BackupError({
      code: 'backup_truncated',
      message: `The backup is missing its part ${name} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}).`,
      cause: error,
    });
  }
  try {
    let position = 0;
    for (let record = 0; ; record++) {
      const header = await readAt(handle, position, LENGTH_BYTES);
      if (header.length < LENGTH_BYTES) throw truncated(name);
      const length = header.readUInt32BE(0);
      if (length > RECORD_BYTES) throw tampered(name);
      const sealed = await readAt(handle, position + LENGTH_BYTES, length + TAG_BYTES);
      if (sealed.length < length + TAG_BYTES) throw truncated(name);
      position += LENGTH_BYTES + length + TAG_BYTES;
      const last = (await readAt(handle, position, 1)).length === 0;
      const plain = openRecord(key, part, record, sealed, last);
      if (plain === undefined) {
        // The tag fits the other value of `last`: the record is genuine, but the part was cut after it or has bytes added.
        if (openRecord(key, part, record, sealed, !last) !== undefined) throw last ? truncated(name) : tampered(name);
        throw tampered(name);
      }
      yield plain;
      if (last) return;
    }
  } finally {
    await handle.close();
  }
}

function openRecord(key: Buffer, part: number, record: number, sealed: Buffer, last: boolean): Buffer | undefined {
  const length = sealed.length - TAG_BYTES;
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, nonceOf(part, record));
  decipher.setAAD(aadOf(part, record, length, last));
  decipher.setAuthTag(sealed.subarray(length));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(0, length)), decipher.final()]);
  } catch {
    return undefined;
  }
}

function truncated(name: string): BackupError {
  return new BackupError({
    code: 'backup_truncated',
    message: `The backup's part ${name} ends too early: the archive was cut short; nothing was restored from it.`,
  });
}

function tampered(name: string): BackupError {
  return new BackupError({
    code: 'backup_tampered',
    message: `The backup's part ${name} does not authenticate: it was changed after it was written (or belongs to another archive); nothing was restored from it.`,
  });
}
