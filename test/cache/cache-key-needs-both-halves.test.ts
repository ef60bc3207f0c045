/**
 * The cache key needs both halves: the local secret sealed on this machine and the server's share.
 * The same local secret with another share opens nothing, nor the same share with another local
 * secret, and a refused open changes nothing; the derivation matches a known answer computed
 * outside this code, and changing either half (any byte of it) changes both keys.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { openCacheDatabase } from '../../main/cache/cache-database.js';
import { deriveCacheKeys, KEY_BYTES } from '../../main/cache/cache-keys.js';
import { CacheSecrets } from '../../main/cache/cache-secrets.js';
import { cacheDir } from '../../main/cache/workstation-cache.js';
import { InboxCache } from '../../main/cache/inbox-cache.js';
import { SealedFiles } from '../../main/secrets/sealed-files.js';
import { conversationView } from '../helpers/cache-rows.js';
import { TestKeyring } from '../helpers/node-platform.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const temps: Array<{ remove: () => void }> = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.remove();
});

/** A machine's sealed secrets: its own local secret (made on first use), and whatever share it is given. */
function machine(dir: string, name: string): CacheSecrets {
  return new CacheSecrets(new SealedFiles(path.join(dir, name), new TestKeyring()));
}

const AGENT = 7;
const LEASE = () => Date.now() + 60_000;

describe('the cache key', () => {
  it('opens the cache only with this machine’s local secret and the share it was made with', () => {
    const temp = makeTempDir('sportello-key-halves-');
    temps.push(temp);
    const dir = cacheDir(temp.dir);
    const share = crypto.randomBytes(KEY_BYTES);
    const here = machine(temp.dir, 'secrets');
    here.keepShare(share, LEASE(), AGENT);
    const db = openCacheDatabase(dir, here.keys(Date.now()).database);
    new InboxCache(db).storePage({ conversations: [conversationView(1)] }, 1);
    db.close();

    // The same local secret, another share (an old one, or another device's): refused.
    here.keepShare(crypto.randomBytes(KEY_BYTES), LEASE(), AGENT);
    expect(() => openCacheDatabase(dir, here.keys(Date.now()).database)).toThrow(expect.objectContaining({ code: 'cache_key_wrong' }));

    // The right share on another machine (the cache file copied, not its keyring): refused.
    const elsewhere = machine(temp.dir, 'other-secrets');
    elsewhere.keepShare(share, LEASE(), AGENT);
    expect(() => openCacheDatabase(dir, elsewhere.keys(Date.now()).database)).toThrow(expect.objectContaining({ code: 'cache_key_wrong' }));

    // Both halves again: the cache opens with what it held, untouched by the refusals.
    here.keepShare(share, LEASE(), AGENT);
    const reopened = openCacheDatabase(dir, here.keys(Date.now()).database);
    try {
      expect(new InboxCache(reopened).conversation(1)).toEqual(conversationView(1));
    } finally {
      reopened.close();
    }
  });

  it('is HKDF-SHA256 of local secret ‖ share as a known answer says (computed with Python’s hmac, not this code)', () => {
    const localSecret = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
    const share = Buffer.from(Array.from({ length: 32 }, (_, i) => 32 + i));
    const keys = deriveCacheKeys(localSecret, share);
    expect(keys.database.toString('hex')).toBe('23367078af3c714635c95e1d52fb6f4a3cc0fed7d788b466755e98d65af23827');
    expect(keys.media.toString('hex')).toBe('850ee1e02630e23943c8575e8516c8b39b05cbf3ce8069625955c4123b5f234e');
  });

  it('changes, both of it, when any byte of either half changes', () => {
    const half = fc.uint8Array({ minLength: KEY_BYTES, maxLength: KEY_BYTES });
    const flip = fc.record({ at: fc.integer({ min: 0, max: KEY_BYTES - 1 }), mask: fc.integer({ min: 1, max: 255 }) });
    fc.assert(
      fc.property(half, half, flip, fc.boolean(), (localSecret, share, { at, mask }, inShare) => {
        const changed = Uint8Array.from(inShare ? share : localSecret);
        changed[at] = (changed[at] ?? 0) ^ mask;
        const before = deriveCacheKeys(localSecret, share);
        const after = inShare ? deriveCacheKeys(localSecret, changed) : deriveCacheKeys(changed, share);
        expect(after.database.equals(before.database)).toBe(false);
        expect(after.media.equals(before.media)).toBe(false);
        expect(before.database.equals(before.media)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses halves of the wrong size', () => {
    expect(() => deriveCacheKeys(new Uint8Array(31), new Uint8Array(32))).toThrow(/32 bytes/);
    expect(() => deriveCacheKeys(new Uint8Array(32), new Uint8Array(33))).toThrow(/32 bytes/);
  });
});
