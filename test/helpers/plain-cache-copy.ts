/**
 * The cache's schema, pragmas and code on plain SQLite, without the cipher: the control the
 * at-rest tests compare the encrypted files with, and the baseline of the cache benchmark; and a
 * workstation's cache decrypted, for tests that look at everything it holds.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { CACHE_PRAGMAS, openCacheDatabase } from '../../main/cache/cache-database.js';
import { CACHE_MIGRATIONS } from '../../main/cache/cache-migrations.js';
import { CACHE_FILE } from '../../main/cache/workstation-cache.js';

export function openPlainCacheCopy(file: string): Database.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  for (const pragma of CACHE_PRAGMAS) db.pragma(pragma);
  for (const migration of CACHE_MIGRATIONS) db.exec(migration);
  return db;
}

/**
 * A decrypted copy of a closed workstation cache: its database file copied to `toDir` and opened
 * there with the cache's own key by the app's own code (cache-database.ts), then rekeyed to no key,
 * so every page of it is plain, as an attacker holding both key halves would read it. Returns the
 * copy's file, closed.
 */
export function decryptedCacheCopy(fromCacheDir: string, key: Buffer, toDir: string): string {
  fs.mkdirSync(toDir, { recursive: true });
  for (const suffix of ['', '-journal', '-wal']) {
    const from = path.join(fromCacheDir, `${CACHE_FILE}${suffix}`);
    if (fs.existsSync(from)) fs.copyFileSync(from, path.join(toDir, `${CACHE_FILE}${suffix}`));
  }
  const db = openCacheDatabase(toDir, key);
  try {
    db.pragma(`rekey = ''`);
  } finally {
    db.close();
  }
  return path.join(toDir, CACHE_FILE);
}
