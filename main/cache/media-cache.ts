/**
 * Cached media files, each sealed with AES-256-GCM under the cache's media key and written
 * sealed from the first byte (no clear temp file, ever). Files are named by a keyed hash of the
 * media id, so names reveal nothing; a size cap evicts the least recently used. An index row
 * lives only as long as a cached message carries its media (the schema's triggers drop it with
 * the message); `eraseUnlisted` then erases the files no row names.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { overwriteAndDelete } from '../secrets/sealed-files.js';

export const DEFAULT_MEDIA_CAP_BYTES = 512 * 1024 * 1024;
const VERSION = 1;

export class MediaCache {
  readonly #dir: string;
  readonly #key: Buffer;
  readonly #db: Database.Database;
  readonly #capBytes: number;
  readonly #now: () => number;

  constructor(options: { dir: string; key: Buffer; db: Database.Database; capBytes?: number; now: () => number }) {
    this.#dir = options.dir;
    this.#key = options.key;
    this.#db = options.db;
    this.#capBytes = options.capBytes ?? DEFAULT_MEDIA_CAP_BYTES;
    this.#now = options.now;
  }

  #fileName(mediaId: number): string {
    return crypto.createHmac('sha256', this.#key).update(`media:${mediaId}`).digest('hex').slice(0, 40);
  }

  get(mediaId: number): { mimeType: string; bytes: Uint8Array<ArrayBuffer> } | undefined {
    const row = this.#db
      .prepare<[number], { file_name: string; mime_type: string }>('select file_name, mime_type from media_index where media_id = ?')
      .get(mediaId);
    if (row === undefined) return undefined;
    let sealed: Buffer;
    try {
      sealed = fs.readFileSync(path.join(this.#dir, row.file_name));
    } catch {
      this.#db.prepare('delete from media_index where media_id = ?').run(mediaId);
      return undefined;
    }
    const bytes = this.#open(sealed, mediaId);
    if (bytes === undefined) {
      this.#remove(mediaId, row.file_name);
      return undefined;
    }
    this.#db.prepare('update media_index set last_used_at = ? where media_id = ?').run(this.#now(), mediaId);
    return { mimeType: row.mime_type, bytes };
  }

  put(mediaId: number, mimeType: string, bytes: Uint8Array): void {
    if (bytes.length > this.#capBytes) return;
    fs.mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    const fileName = this.#fileName(mediaId);
    const target = path.join(this.#dir, fileName);
    const temp = `${target}.${crypto.randomBytes(6).toString('hex')}.tmp`;
    fs.writeFileSync(temp, this.#seal(bytes, mediaId), { mode: 0o600, flag: 'wx' });
    fs.renameSync(temp, target);
    this.#db
      .prepare(
        `insert into media_index (media_id, file_name, mime_type, size, last_used_at) values (?, ?, ?, ?, ?)
         on conflict (media_id) do update set file_name = excluded.file_name, mime_type = excluded.mime_type, size = excluded.size, last_used_at = excluded.last_used_at`,
      )
      .run(mediaId, fileName, mimeType, bytes.length, this.#now());
    this.#evict();
  }

  /**
   * Erases media no cached message carries: their index rows, then every file in the folder that
   * no index row names (a crash between the two, or a temp file cut short, included).
   */
  eraseUnlisted(): void {
    this.#db.prepare('delete from media_index where media_id not in (select media_id from messages where media_id is not null)').run();
    let names: string[];
    try {
      names = fs.readdirSync(this.#dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const listed = new Set(
      this.#db
        .prepare<[], { file_name: string }>('select file_name from media_index')
        .all()
        .map((row) => row.file_name),
    );
    for (const name of names) if (!listed.has(name)) overwriteAndDelete(path.join(this.#dir, name));
  }

  /** Least recently used first, until the cache is under its cap. */
  #evict(): void {
    const total = this.#db.prepare<[], { total: number | null }>('select sum(size) as total from media_index').get()?.total ?? 0;
    let excess = total - this.#capBytes;
    if (excess <= 0) return;
    const oldest = this.#db
      .prepare<[], { media_id: number; file_name: string; size: number }>('select media_id, file_name, size from media_index order by last_used_at, media_id')
      .all();
    for (const row of oldest) {
      if (excess <= 0) break;
      this.#remove(row.media_id, row.file_name);
      excess -= row.size;
    }
  }

  #remove(mediaId: number, fileName: string): void {
    overwriteAndDelete(path.join(this.#dir, fileName));
    this.#db.prepare('delete from media_index where media_id = ?').run(mediaId);
  }

  #seal(bytes: Uint8Array, mediaId: number): Buffer {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(`media:${mediaId}`));
    const body = Buffer.concat([cipher.update(bytes), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  #open(sealed: Buffer, mediaId: number): Uint8Array<ArrayBuffer> | undefined {
    if (sealed[0] !== VERSION || sealed.length < 29) return undefined;
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.#key, sealed.subarray(1, 13));
      decipher.setAAD(Buffer.from(`media:${mediaId}`));
      decipher.setAuthTag(sealed.subarray(13, 29));
      return Uint8Array.from(Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]));
    } catch {
      return undefined;
    }
  }
}
