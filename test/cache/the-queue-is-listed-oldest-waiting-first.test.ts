/**
 * The queue (unassigned, open) as the encrypted cache lists it on its own: oldest waiting first,
 * by `queuedSince` and then id, in pages of every size, continued from the server's cursor, a
 * conversation coming back into the queue going to its end; the list's coverage is of that order
 * (the newest-first 'all' list vouches for it only to its end). A cache written before it (version
 * 8) takes each conversation's `queuedSince` from its summary and learns the queue list again.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { encodePageCursor } from '../../common/api/page-cursor.js';
import type { ConversationSummary } from '../../common/api/inbox.js';
import { openCacheDatabase } from '../../main/cache/cache-database.js';
import { CACHE_MIGRATIONS } from '../../main/cache/cache-migrations.js';
import { InboxCache } from '../../main/cache/inbox-cache.js';
import { isCovered } from '../../main/cache/page-coverage.js';
import { conversationView, teamViewer, WITHOUT_SCHEMA_9, WITHOUT_SCHEMA_10 } from '../helpers/cache-rows.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const temps: Array<{ remove: () => void }> = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.remove();
});

function openCache() {
  const temp = makeTempDir('sportello-cache-queue-');
  temps.push(temp);
  const key = crypto.randomBytes(32);
  const db = openCacheDatabase(temp.dir, key);
  return { inbox: new InboxCache(db), dir: temp.dir, key, close: () => db.close() };
}

const ANNA = teamViewer(7, 'agent');
const AT = 1_800_000_000_000;

/** Queued since: newest activity is not the longest wait. Two share a time (ties by id). */
const WAITS: ReadonlyArray<readonly [id: number, queuedSince: number, lastMessageAt: number]> = [
  [1, AT - 1 * 60_000, AT - 1000],
  [2, AT - 9 * 60_000, AT - 2000],
  [3, AT - 5 * 60_000, AT - 3000],
  [4, AT - 9 * 60_000, AT - 4000],
  [5, AT - 7 * 60_000, AT - 500],
];
const OLDEST_FIRST = [2, 4, 5, 3, 1];

function queued(id: number, queuedSince: number, lastMessageAt: number): ConversationSummary {
  return conversationView(id, { teamId: 1, assignedAgentId: null, assignee: null, state: 'open', queuedSince, lastMessageAt });
}

function paged(inbox: InboxCache, limit: number, from?: string): number[] {
  const ids: number[] = [];
  let cursor = from;
  for (let pages = 0; pages < 50; pages += 1) {
    const page = inbox.listConversations(ANNA, 'unassigned', cursor, limit, undefined, 'open');
    ids.push(...page.items.map((item) => item.id));
    if (page.nextCursor === null) return ids;
    cursor = page.nextCursor;
  }
  throw new Error('the list never ended');
}

describe('the queue in the cache', () => {
  it('is listed oldest waiting first, in pages of every size, from the server’s cursor, and one coming back goes to its end', () => {
    const cache = openCache();
    try {
      // Held by Anna, and newest of all: in her own list, not in the queue.
      cache.inbox.storePage(
        {
          conversations: [
            ...WAITS.map(([id, since, last]) => queued(id, since, last)),
            conversationView(6, { teamId: 1, assignedAgentId: 7, queuedSince: null, lastMessageAt: AT }),
          ],
        },
        1,
      );
      for (const limit of [1, 2, 50]) expect(paged(cache.inbox, limit), `by ${limit}`).toEqual(OLDEST_FIRST);
      // The newest-first list is unchanged.
      expect(cache.inbox.listConversations(ANNA, 'all', undefined, 50, undefined, 'open').items.map((item) => item.id)).toEqual([6, 5, 1, 2, 3, 4]);
      // The server's cursor after its first two (2 and 4, both waiting since AT - 9 min): the cache goes on from there.
      expect(paged(cache.inbox, 2, encodePageCursor([AT - 9 * 60_000, 4]))).toEqual([5, 3, 1]);

      // The longest waiting is taken and put back: it waits from now, at the end.
      cache.inbox.storePage({ conversations: [conversationView(2, { teamId: 1, assignedAgentId: 7, queuedSince: null, lastMessageAt: AT - 2000 })] }, 2);
      expect(paged(cache.inbox, 50)).toEqual([4, 5, 3, 1]);
      cache.inbox.storePage({ conversations: [queued(2, AT, AT - 2000)] }, 3);
      expect(paged(cache.inbox, 2)).toEqual([4, 5, 3, 1, 2]);
    } finally {
      cache.close();
    }
  });

  it('is covered in its own order: the newest-first list vouches for it only when it reached its end', () => {
    const cache = openCache();
    try {
      const queue = { kind: 'conversations', filter: 'unassigned', state: 'open' } as const;
      const all = { kind: 'conversations', filter: 'all', state: 'open' } as const;
      cache.inbox.coverage.extend(all, [AT - 3000, 3], cache.inbox.coverage.forgets);
      expect(cache.inbox.coverage.vouchedFor(queue)).toBeUndefined();
      // The queue read down to conversation 5: 2 and 4 (waiting longer) are covered, 3 (waiting less) is not.
      cache.inbox.coverage.extend(queue, [AT - 7 * 60_000, 5], cache.inbox.coverage.forgets);
      const coverage = cache.inbox.coverage.vouchedFor(queue);
      expect(coverage).toEqual([AT - 7 * 60_000, 5]);
      expect(isCovered([AT - 9 * 60_000, 4], coverage, 'oldest_waiting_first')).toBe(true);
      expect(isCovered([AT - 5 * 60_000, 3], coverage, 'oldest_waiting_first')).toBe(false);
      // A shallower read does not take it back up.
      cache.inbox.coverage.extend(queue, [AT - 9 * 60_000, 2], cache.inbox.coverage.forgets);
      expect(cache.inbox.coverage.vouchedFor(queue)).toEqual([AT - 7 * 60_000, 5]);
      cache.inbox.coverage.extend(all, 'end', cache.inbox.coverage.forgets);
      expect(cache.inbox.coverage.vouchedFor(queue)).toBe('end');
    } finally {
      cache.close();
    }
  });

  it('takes each conversation’s queue time from its summary in a cache of version 8, and reads the queue list again', () => {
    const cache = openCache();
    cache.inbox.storePage({ conversations: WAITS.map(([id, since, last]) => queued(id, since, last)) }, 1);
    const queue = { kind: 'conversations', filter: 'unassigned', state: 'open' } as const;
    const all = { kind: 'conversations', filter: 'all', state: 'resolved' } as const;
    cache.inbox.coverage.extend(queue, 'end', cache.inbox.coverage.forgets);
    cache.inbox.coverage.extend(all, 'end', cache.inbox.coverage.forgets);
    // As version 8 had it: the summaries, no queue column.
    cache.inbox.db.exec(WITHOUT_SCHEMA_10);
    cache.inbox.db.exec(WITHOUT_SCHEMA_9);
    cache.inbox.db.pragma('user_version = 8');
    cache.close();

    const db = openCacheDatabase(cache.dir, cache.key);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(CACHE_MIGRATIONS.length);
      const inbox = new InboxCache(db);
      expect(inbox.coverage.vouchedFor(queue)).toBeUndefined();
      expect(inbox.coverage.vouchedFor(all)).toBe('end');
      expect(paged(inbox, 2)).toEqual(OLDEST_FIRST);
    } finally {
      db.close();
    }
  });
});
