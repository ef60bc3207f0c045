/**
 * What a workstation keeps after a logout (the cache only when the policy says so), and the
 * media cache's size cap: least recently used files go first, overwritten before they are deleted.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppState } from '../../common/ipc/app-state.js';
import { CacheSecrets } from '../../main/cache/cache-secrets.js';
import { cacheDir } from '../../main/cache/workstation-cache.js';
import { openWorkstationCache } from '../helpers/cache-store.js';
import { ClientCore } from '../../main/core/client-core.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { SealedFiles } from '../../main/secrets/sealed-files.js';
import { pairAndEnroll } from '../helpers/core-enrollment.js';
import { makeTestPlatform } from '../helpers/node-platform.js';
import type { TestPlatform } from '../helpers/node-platform.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function signedInCore(keepCacheOnLogout: boolean): Promise<{ core: ClientCore; platform: TestPlatform; t: TestServer }> {
  const t = await startTestServer({ tls: true, policy: { keepCacheOnLogout } });
  cleanups.push(() => t.close());
  if (t.certificate === undefined) throw new Error('expected TLS');
  const platform = makeTestPlatform();
  cleanups.push(() => platform.remove());
  platform.writeProvisioning({ serverUrl: t.server.url, spkiSha256: [t.certificate.spkiSha256] });
  const core = new ClientCore(platform, { pairingPollMs: 50 });
  cleanups.push(() => core.stop());
  await core.start();
  const call = async (name: string, request: unknown = {}) => {
    const result = await dispatchIpc(core, name, request);
    if (!result.ok) throw new Error(`${name}: ${result.code} ${result.message}`);
    return result.value;
  };
  const waitFor = (screen: AppState['screen']) => eventually(() => Promise.resolve(core.state.screen === screen ? core.state : undefined), 10_000, screen);
  await pairAndEnroll(t, call, waitFor, 'leaving.agent');
  return { core, platform, t };
}

const cacheFiles = (platform: TestPlatform) => (fs.existsSync(cacheDir(platform.userDataDir)) ? fs.readdirSync(cacheDir(platform.userDataDir)) : []);

describe('signing out', () => {
  it('erases the cache when the policy does not keep it, and keeps the device paired', async () => {
    const { core, platform } = await signedInCore(false);
    expect(cacheFiles(platform)).toContain('cache.db');
    expect((await dispatchIpc(core, 'logout', {})).ok).toBe(true);
    expect(core.state).toMatchObject({ screen: 'signed_out' });
    expect(cacheFiles(platform)).toEqual([]);
    const secrets = new CacheSecrets(new SealedFiles(path.join(platform.userDataDir, 'secrets'), platform.secrets));
    expect(() => secrets.share(Date.now())).toThrow(expect.objectContaining({ code: 'cache_share_missing' }));
    expect(fs.readdirSync(path.join(platform.userDataDir, 'secrets'))).toContain('device-key.sealed');
  });

  it('keeps the cache, still encrypted and closed, when the policy says so', async () => {
    const { core, platform } = await signedInCore(true);
    expect((await dispatchIpc(core, 'logout', {})).ok).toBe(true);
    expect(cacheFiles(platform)).toContain('cache.db');
    expect(await dispatchIpc(core, 'search', { query: 'anything' })).toMatchObject({ ok: false, code: 'not_allowed_now' });
  });
});

describe('the media cache', () => {
  it('evicts the least recently used files past its cap, and opens the rest', () => {
    const platform = makeTestPlatform();
    cleanups.push(() => platform.remove());
    const secrets = new CacheSecrets(new SealedFiles(path.join(platform.userDataDir, 'secrets'), platform.secrets));
    secrets.keepShare(crypto.randomBytes(32), Date.now() + 60_000, 1);
    let clock = 1_000;
    const cache = openWorkstationCache(platform.userDataDir, secrets, () => clock, 250_000);
    cleanups.push(() => cache.close());
    const files = [1, 2, 3].map(() => crypto.randomBytes(100_000));
    cache.media.put(1, 'image/jpeg', files[0] ?? Buffer.alloc(0));
    clock += 1;
    cache.media.put(2, 'image/jpeg', files[1] ?? Buffer.alloc(0));
    clock += 1;
    // Reading 1 makes 2 the least recently used.
    expect(Buffer.from(cache.media.get(1)?.bytes ?? []).equals(files[0] ?? Buffer.alloc(0))).toBe(true);
    clock += 1;
    cache.media.put(3, 'image/jpeg', files[2] ?? Buffer.alloc(0));
    expect(cache.media.get(2)).toBeUndefined();
    expect(cache.media.get(1)?.mimeType).toBe('image/jpeg');
    expect(Buffer.from(cache.media.get(3)?.bytes ?? []).equals(files[2] ?? Buffer.alloc(0))).toBe(true);
    expect(fs.readdirSync(path.join(cacheDir(platform.userDataDir), 'media'))).toHaveLength(2);
    // A file larger than the whole cap is not kept at all.
    cache.media.put(4, 'video/mp4', crypto.randomBytes(300_000));
    expect(cache.media.get(4)).toBeUndefined();
  });
});
