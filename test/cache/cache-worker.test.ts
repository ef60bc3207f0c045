/**
 * The cache through its worker, as main uses it: named operations answered in the order they were
 * sent, with the same results as the store in the test's own thread; refusals keep their codes
 * across the thread; the keys are gone from main once sent; and a closed cache answers what it
 * was asked before closing and refuses anything after, with `cache_closed`.
 */
import crypto from 'node:crypto';
import { teamViewer } from '../helpers/cache-rows.js';
import { afterEach, describe, expect, it } from 'vitest';
import { isCodedError } from '../../common/errors/coded-error.js';
import { openCacheDatabase } from '../../main/cache/cache-database.js';
import { openCacheStore } from '../../main/cache/cache-store.js';
import { openCache } from '../../main/cache/cache-worker-client.js';
import type { OpenCache } from '../../main/cache/cache-worker-client.js';
import { cacheDir } from '../../main/cache/workstation-cache.js';
import { conversationView, textMessageView } from '../helpers/cache-rows.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const AGENT = 7;
const VIEWER = teamViewer(AGENT, 'agent');

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function keys(seed = crypto.randomBytes(32)) {
  const derive = (info: string) => crypto.createHash('sha256').update(seed).update(info).digest();
  return { database: derive('database'), media: derive('media'), agentId: AGENT };
}

function userDataDir(): string {
  const temp = makeTempDir('sportello-cache-worker-');
  cleanups.push(() => temp.remove());
  return temp.dir;
}

async function opened(dir: string, cacheKeys = keys()): Promise<OpenCache> {
  const cache = await openCache({ userDataDir: dir, keys: cacheKeys, mediaCapBytes: 1_000_000, now: Date.now() });
  cleanups.push(() => cache.close());
  return cache;
}

describe('the cache worker', () => {
  it('answers named operations in the order they were sent, as the store does in this thread', async () => {
    const dir = userDataDir();
    const seed = crypto.randomBytes(32);
    const cache = await opened(dir, keys(seed));
    expect(cache.lastSeqAtOpen).toBe(0);
    // Sent together, not awaited one by one: each is answered after the one before it.
    const stored = cache.storePage(
      { conversations: [conversationView(1), conversationView(2, { assignedAgentId: 99 })], messages: [textMessageView(10, 1, 'Il pacco è arrivato rotto')] },
      3,
    );
    const fed = cache.applyFeed([{ type: 'message', seq: 4, conversation: conversationView(1), message: textMessageView(11, 1, 'Ancora niente pacco') }], 4);
    const [, , lastSeq, hits, page] = await Promise.all([
      stored,
      fed,
      cache.lastSeq(),
      cache.search(VIEWER, 'pacco', 10, undefined),
      cache.readConversations(VIEWER, { filter: 'all', state: 'open' }, undefined, 10, undefined),
    ]);
    expect(lastSeq).toBe(4);
    expect(hits.map((hit) => hit.messageId)).toEqual([11, 10]);
    expect(page.page.items.map((item) => item.id)).toEqual([1]);
    expect(page.coverage).toBeUndefined();
    await cache.close();

    const store = openCacheStore(dir, keys(seed), Date.now);
    try {
      expect(store.inbox.lastSeq).toBe(4);
      expect(store.inbox.search(VIEWER, 'pacco', 10)).toEqual(hits);
      expect(store.inbox.listConversations(VIEWER, 'all', undefined, 10)).toEqual(page.page);
    } finally {
      store.close();
    }
  });

  it('hands back cached media bytes, only beside a message the viewer may see', async () => {
    const cache = await opened(userDataDir());
    const bytes = crypto.randomBytes(200_000);
    await cache.storePage(
      {
        conversations: [conversationView(1, { assignedAgentId: AGENT })],
        messages: [
          {
            ...textMessageView(10, 1, 'foto'),
            media: { id: 5, kind: 'image', mimeType: 'image/jpeg', size: bytes.length, filename: null, state: 'stored', scan: 'clean', scanReason: null },
          },
        ],
      },
      1,
    );
    await cache.keepMedia(VIEWER, 5, 'image/jpeg', bytes);
    await cache.keepMedia(VIEWER, 6, 'image/jpeg', bytes);
    const cached = await cache.cachedMedia(VIEWER, 5);
    expect(cached?.mimeType).toBe('image/jpeg');
    expect(Buffer.from(cached?.bytes ?? []).equals(bytes)).toBe(true);
    expect(await cache.cachedMedia(VIEWER, 6)).toBeUndefined();
    // Another agent may not see conversation 1, which is this one's.
    expect(await cache.cachedMedia(teamViewer(98, 'agent'), 5)).toBeUndefined();
  });

  it('keeps the code of a refusal across the thread', async () => {
    const dir = userDataDir();
    const cacheKeys = keys();
    // A cache written by a newer version of the app cannot be read.
    const db = openCacheDatabase(cacheDir(dir), cacheKeys.database);
    db.pragma('user_version = 99');
    db.close();
    const refused = await openCache({ userDataDir: dir, keys: cacheKeys, mediaCapBytes: 1_000_000, now: Date.now() }).catch((error: unknown) => error);
    expect(isCodedError(refused)).toBe(true);
    expect(refused).toMatchObject({ code: 'cache_unreadable' });
  });

  it('keeps no copy of the keys in main once they are sent', async () => {
    const cacheKeys = keys();
    await opened(userDataDir(), cacheKeys);
    expect(cacheKeys.database.equals(Buffer.alloc(32))).toBe(true);
    expect(cacheKeys.media.equals(Buffer.alloc(32))).toBe(true);
  });

  it('answers what it was asked before closing, and refuses what comes after with cache_closed', async () => {
    const cache = await opened(userDataDir());
    const before = cache.applyFeed([], 9);
    const asked = cache.lastSeq();
    const closing = cache.close();
    const after = cache.lastSeq().catch((error: unknown) => error);
    await expect(before).resolves.toBeUndefined();
    await expect(asked).resolves.toBe(9);
    await closing;
    expect(await after).toMatchObject({ code: 'cache_closed' });
    expect(await cache.search(VIEWER, 'x', 1, undefined).catch((error: unknown) => error)).toMatchObject({ code: 'cache_closed' });
    // Closed twice is closed.
    await cache.close();
  });

  it('opens the same cache again once closed, with what it held', async () => {
    const dir = userDataDir();
    const seed = crypto.randomBytes(32);
    const first = await opened(dir, keys(seed));
    await first.applyFeed([], 21);
    await first.close();
    const again = await opened(dir, keys(seed));
    expect(again.lastSeqAtOpen).toBe(21);
  });
});
