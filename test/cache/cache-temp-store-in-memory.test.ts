/**
 * SQLite's temporary files (sorts, temporary tables and indexes, a statement journal) are not
 * encrypted by the cipher: the cache keeps them in memory. Read back from an opened cache, both
 * as the database module opens it and as the workstation opens it for an agent.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCacheDatabase } from '../../main/cache/cache-database.js';
import { CacheSecrets } from '../../main/cache/cache-secrets.js';
import { openWorkstationCache } from '../helpers/cache-store.js';
import { SealedFiles } from '../../main/secrets/sealed-files.js';
import { TestKeyring } from '../helpers/node-platform.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** PRAGMA temp_store: 0 the compile-time default (files), 1 files, 2 memory. */
const MEMORY = 2;

const temps: Array<{ remove: () => void }> = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.remove();
});

function tempDir(): string {
  const temp = makeTempDir('sportello-temp-store-');
  temps.push(temp);
  return temp.dir;
}

describe('the cache’s temporary storage', () => {
  it('is memory on a newly created cache and on one opened again', () => {
    const dir = tempDir();
    const key = crypto.randomBytes(32);
    let db = openCacheDatabase(dir, key);
    expect(db.pragma('temp_store', { simple: true })).toBe(MEMORY);
    db.close();
    db = openCacheDatabase(dir, key);
    try {
      expect(db.pragma('temp_store', { simple: true })).toBe(MEMORY);
    } finally {
      db.close();
    }
  });

  it('is memory on the cache a workstation opens for its agent', () => {
    const dir = tempDir();
    const secrets = new CacheSecrets(new SealedFiles(path.join(dir, 'secrets'), new TestKeyring()));
    secrets.keepShare(crypto.randomBytes(32), Date.now() + 60_000, 7);
    const cache = openWorkstationCache(dir, secrets, Date.now);
    try {
      expect(cache.db.pragma('temp_store', { simple: true })).toBe(MEMORY);
    } finally {
      cache.close();
    }
  });
});
