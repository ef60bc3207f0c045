/**
 * The encrypted local cache: a SQLCipher database (better-sqlite3-multiple-ciphers, raw 256-bit
 * key from cache-keys.ts) holding the conversations and messages the agent may see, the outbox,
 * the feed position and the media index, with FTS5 search over message text and contact names
 * (diacritics folded). Opening it with the wrong key fails cleanly; nothing is written in clear.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { CodedError } from '../../common/errors/coded-error.js';
import { CACHE_MIGRATIONS } from './cache-migrations.js';
import { CACHE_FILE } from './workstation-cache.js';

/**
 * How the cache runs, encrypted or not (the benchmark's plain copy uses the same):
 * - a rollback journal, not WAL: one process, one connection, so WAL's concurrent readers buy
 *   nothing, while its checkpoints decrypt and re-encrypt every page a second time (measured: 40%
 *   slower writes than plain SQLite with WAL, under 25% with the journal). The journal holds
 *   pages as they are in the file, already encrypted;
 * - synchronous FULL, so the outbox survives a power cut, not only a killed app;
 * - a 64 MiB page cache: every page read from disk must be decrypted, so keeping the hot B-tree
 *   pages in memory keeps encryption cheap once the database outgrows the default 8 MiB;
 * - temporary storage in memory: SQLite's temporary files (large sorts, temporary tables and
 *   indexes, statement journals) are not encrypted by the cipher, so none is ever written.
 */
export const CACHE_PRAGMAS: readonly string[] = [
  'journal_mode = TRUNCATE',
  'synchronous = FULL',
  'foreign_keys = ON',
  'secure_delete = ON',
  'cache_size = -65536',
  'temp_store = MEMORY',
];

export class CacheOpenError extends CodedError<'cache_key_wrong' | 'cache_unreadable'> {}

/** Opens (creating if needed) the cache in `dir` with the raw key, and brings its schema up to date. */
export function openCacheDatabase(dir: string, key: Buffer): Database.Database {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, CACHE_FILE);
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (error) {
    throw new CacheOpenError('cache_unreadable', `The local cache file cannot be opened: ${(error as Error).message}`, undefined, { cause: error });
  }
  try {
    db.pragma(`cipher='sqlcipher'`);
    db.pragma('legacy=4');
    db.pragma(`key="x'${key.toString('hex')}'"`);
    // The first read proves the key: a wrong one reads noise and SQLite says "not a database".
    db.prepare('select count(*) from sqlite_master').get();
    for (const pragma of CACHE_PRAGMAS) db.pragma(pragma);
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') {
      throw new CacheOpenError('cache_key_wrong', 'The local cache cannot be opened with this key (it belongs to another key, or is damaged).', undefined, {
        cause: error,
      });
    }
    throw new CacheOpenError('cache_unreadable', `The local cache could not be read: ${(error as Error).message}`, undefined, { cause: error });
  }
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > CACHE_MIGRATIONS.length) throw new Error(`the cache was written by a newer version (schema ${current})`);
  for (let version = current; version < CACHE_MIGRATIONS.length; version += 1) {
    const migration = CACHE_MIGRATIONS[version];
    if (migration === undefined) break;
    db.transaction(() => {
      db.exec(migration);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
