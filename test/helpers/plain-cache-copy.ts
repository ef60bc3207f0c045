/**
 * The cache's schema, pragmas and code on plain SQLite, without the cipher: the control the
 * at-rest tests compare the encrypted files with, and the baseline of the cache benchmark.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { CACHE_PRAGMAS } from '../../main/cache/cache-database.js';
import { CACHE_MIGRATIONS } from '../../main/cache/cache-migrations.js';

export function openPlainCacheCopy(file: string): Database.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  for (const pragma of CACHE_PRAGMAS) db.pragma(pragma);
  for (const migration of CACHE_MIGRATIONS) db.exec(migration);
  return db;
}
