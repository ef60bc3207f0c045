/**
 * What the cache vouches for when it answers a page alone (main/cache/page-coverage.ts), on a
 * real encrypted cache: how far down each list it holds everything, kept across a restart, gone
 * with the conversation it describes (taken away, or a resync), and never set by a read that a
 * forgetting overtook.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheSecrets } from '../../main/cache/cache-secrets.js';
import { deeper, isCovered } from '../../main/cache/page-coverage.js';
import type { CoveredList } from '../../main/cache/page-coverage.js';
import { openWorkstationCache } from '../helpers/cache-store.js';
import { SealedFiles } from '../../main/secrets/sealed-files.js';
import { TestKeyring } from '../helpers/node-platform.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const temps: Array<{ remove: () => void }> = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.remove();
});

function cacheOnDisk() {
  const temp = makeTempDir('sportello-coverage-');
  temps.push(temp);
  const secrets = new CacheSecrets(new SealedFiles(path.join(temp.dir, 'secrets'), new TestKeyring()));
  secrets.keepShare(crypto.randomBytes(32), Date.now() + 60_000, 7);
  return () => openWorkstationCache(temp.dir, secrets, Date.now);
}

const ALL: CoveredList = { kind: 'conversations', filter: 'all', state: 'open' };
const messagesOf = (conversationId: number): CoveredList => ({ kind: 'messages', conversationId });

describe('what the cache knows it holds', () => {
  it('orders depths as the lists do: newest first, ties by id, the end deepest of all', () => {
    expect(isCovered([200, 5], [100, 1])).toBe(true);
    expect(isCovered([100, 1], [100, 1])).toBe(true);
    expect(isCovered([100, 2], [100, 1])).toBe(true);
    expect(isCovered([100, 1], [100, 2])).toBe(false);
    expect(isCovered([99, 9], [100, 1])).toBe(false);
    expect(isCovered([1, 1], 'end')).toBe(true);
    expect(isCovered([1, 1], undefined)).toBe(false);
    expect(deeper([100, 1], [200, 1])).toEqual([100, 1]);
    expect(deeper([100, 1], 'end')).toBe('end');
    expect(deeper(undefined, [100, 1])).toEqual([100, 1]);
  });

  it('only ever moves down, and outlives a restart', () => {
    const open = cacheOnDisk();
    let cache = open();
    const { coverage } = cache.inbox;
    coverage.extend(ALL, [500, 40], coverage.forgets);
    coverage.extend(ALL, [900, 70], coverage.forgets);
    expect(coverage.get(ALL)).toEqual([500, 40]);
    coverage.extend(messagesOf(3), 'end', coverage.forgets);
    cache.close();

    cache = open();
    expect(cache.inbox.coverage.get(ALL)).toEqual([500, 40]);
    expect(cache.inbox.coverage.get(messagesOf(3))).toBe('end');
    expect(cache.inbox.coverage.get({ kind: 'conversations', filter: 'mine', state: 'open' })).toBeUndefined();
    cache.close();
  });

  it('forgets a conversation’s messages with the conversation, and everything on a resync', () => {
    const cache = cacheOnDisk()();
    try {
      const { coverage } = cache.inbox;
      coverage.extend(ALL, [500, 40], coverage.forgets);
      coverage.extend(messagesOf(3), 'end', coverage.forgets);
      coverage.extend(messagesOf(4), [100, 9], coverage.forgets);

      cache.inbox.applyFeed([{ type: 'conversation_hidden', seq: 5, conversationId: 3 }], 5);
      expect(coverage.get(messagesOf(3))).toBeUndefined();
      expect(coverage.get(messagesOf(4))).toEqual([100, 9]);
      // A conversation leaving the list leaves no gap in it.
      expect(coverage.get(ALL)).toEqual([500, 40]);

      cache.inbox.forgetAllConversations();
      expect(coverage.get(ALL)).toBeUndefined();
      expect(coverage.get(messagesOf(4))).toBeUndefined();
    } finally {
      cache.close();
    }
  });

  it('refuses what a read vouches for when something was forgotten while it was on the wire', () => {
    const cache = cacheOnDisk()();
    try {
      const { coverage } = cache.inbox;
      const whenSent = coverage.forgets;
      cache.inbox.applyFeed([{ type: 'conversation_hidden', seq: 2, conversationId: 3 }], 2);
      coverage.extend(messagesOf(3), 'end', whenSent);
      expect(coverage.get(messagesOf(3))).toBeUndefined();
      coverage.extend(messagesOf(3), 'end', coverage.forgets);
      expect(coverage.get(messagesOf(3))).toBe('end');
    } finally {
      cache.close();
    }
  });
});
