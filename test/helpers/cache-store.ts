/**
 * The cache store opened in the test's own thread, with the keys a signed-in session derives from
 * the sealed halves (cache-secrets.ts): the same code the cache worker runs, without the worker,
 * so a test can reach the database itself.
 */
import type { CacheSecrets } from '../../main/cache/cache-secrets.js';
import { openCacheStore } from '../../main/cache/cache-store.js';
import type { CacheStore } from '../../main/cache/cache-store.js';

export function openWorkstationCache(userDataDir: string, secrets: CacheSecrets, now: () => number, mediaCapBytes?: number): CacheStore {
  return openCacheStore(userDataDir, secrets.keys(now()), now, mediaCapBytes);
}
