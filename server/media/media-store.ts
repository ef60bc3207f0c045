/**
 * Media files, content-addressed: each file is named by the hex SHA-256 of its bytes, so the
 * same file stored twice is one file and a name proves its content. Written to a temporary file,
 * fsynced, then renamed into place: a crash never leaves a half file under a real name.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CodedError } from '../../common/errors/coded-error.js';

const HEX_SHA256 = /^[0-9a-f]{64}$/;

export interface StoredFile {
  readonly sha256: string;
  readonly size: number;
}

export class MediaTooLargeError extends CodedError<'media_too_large'> {
  constructor(limit: number) {
    super('media_too_large', `The file is larger than the ${limit} bytes WhatsApp allows for this kind.`, { limit });
  }
}

export class MediaStore {
  readonly #root: string;
  readonly #tmp: string;

  constructor(dataDir: string) {
    this.#root = path.join(dataDir, 'media');
    this.#tmp = path.join(this.#root, 'tmp');
    fs.mkdirSync(this.#tmp, { recursive: true, mode: 0o700 });
    // Leftovers of a download cut short by a crash: never referenced, safe to drop.
    for (const name of fs.readdirSync(this.#tmp)) fs.rmSync(path.join(this.#tmp, name), { force: true });
  }

  pathOf(sha256: string): string {
    if (!HEX_SHA256.test(sha256)) throw new CodedError('media_name_invalid', 'A media name must be a hex SHA-256.');
    return path.join(this.#root, sha256.slice(0, 2), sha256);
  }

  has(sha256: string): boolean {
    return fs.existsSync(this.pathOf(sha256));
  }

  async read(sha256: string): Promise<Buffer> {
    return fs.promises.readFile(this.pathOf(sha256));
  }

  openReadStream(sha256: string): fs.ReadStream {
    return fs.createReadStream(this.pathOf(sha256));
  }

  async writeBytes(bytes: Uint8Array, maxBytes: number): Promise<StoredFile> {
    return this.write([bytes], maxBytes);
  }

  /** Streams chunks to disk, refusing more than `maxBytes`; returns the file's name and size. */
  async write(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, maxBytes: number): Promise<StoredFile> {
    const tmpFile = path.join(this.#tmp, crypto.randomUUID());
    const hash = crypto.createHash('sha256');
    let size = 0;
    const handle = await fs.promises.open(tmpFile, 'wx', 0o600);
    try {
      try {
        for await (const chunk of chunks) {
          size += chunk.byteLength;
          if (size > maxBytes) throw new MediaTooLargeError(maxBytes);
          hash.update(chunk);
          await handle.write(chunk);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      const sha256 = hash.digest('hex');
      const final = this.pathOf(sha256);
      await fs.promises.mkdir(path.dirname(final), { recursive: true, mode: 0o700 });
      await fs.promises.rename(tmpFile, final);
      await syncDirectory(path.dirname(final));
      return { sha256, size };
    } catch (error) {
      await fs.promises.rm(tmpFile, { force: true });
      throw error;
    }
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.promises.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Meta gives SHA-256 sums in hex (media URL lookup) or base64 (webhooks): hex, or undefined if neither. */
export function sha256Hex(declared: string | null | undefined): string | undefined {
  if (declared === null || declared === undefined) return undefined;
  const trimmed = declared.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return trimmed.toLowerCase();
  if (/^[A-Za-z0-9+/]{43}=$/.test(trimmed)) return Buffer.from(trimmed, 'base64').toString('hex');
  return undefined;
}
