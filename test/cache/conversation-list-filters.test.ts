/**
 * The conversation list's filters as the encrypted cache answers them on its own (offline): mine,
 * my teams' queue and all, in each state, for an agent, a supervisor and an agent of another
 * team; paged by the server's keyset cursors (newest activity first, the queue oldest waiting first, ties by id) with a small page,
 * so every page boundary falls somewhere, ties included: each list is exactly what the rule and the
 * filter give, in order, nothing twice. Summaries keep their assignee and queue time; a cache
 * written before they existed forgets what its lists vouched for, so they are read again.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { maySeeConversation } from '../../common/api/conversation-access.js';
import { comparePositionsIn, conversationOrder, conversationPosition } from '../../common/api/conversation-order.js';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import { CONVERSATION_STATES } from '../../common/api/conversation-lifecycle.js';
import type { ConversationState } from '../../common/api/conversation-lifecycle.js';
import { CONVERSATION_FILTERS } from '../../common/api/inbox.js';
import type { ConversationFilter, ConversationSummary } from '../../common/api/inbox.js';
import { openCacheDatabase } from '../../main/cache/cache-database.js';
import { CACHE_MIGRATIONS } from '../../main/cache/cache-migrations.js';
import { InboxCache } from '../../main/cache/inbox-cache.js';
import { conversationView, teamViewer, WITHOUT_SCHEMA_9, WITHOUT_SCHEMA_10 } from '../helpers/cache-rows.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const temps: Array<{ remove: () => void }> = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.remove();
});

function openCache(): { inbox: InboxCache; dir: string; key: Buffer; close: () => void } {
  const temp = makeTempDir('sportello-cache-filters-');
  temps.push(temp);
  const key = crypto.randomBytes(32);
  const db = openCacheDatabase(temp.dir, key);
  return { inbox: new InboxCache(db), dir: temp.dir, key, close: () => db.close() };
}

const ANNA = teamViewer(7, 'agent');
const SARA = teamViewer(8, 'supervisor');
const CARLA: ConversationViewer = { agentId: 9, roles: ['agent'], memberOf: [2], supervises: [] };
const AT = 1_800_000_000_000;

/** 40 conversations: every state, assigned to Anna, to someone else or to nobody, in team 1 or 2; pairs share a time. */
function conversations(): ConversationSummary[] {
  return Array.from({ length: 40 }, (_, index) => {
    const id = index + 1;
    const assignedAgentId = [7, null, 99, null, 9][id % 5] ?? null;
    const state = CONVERSATION_STATES[id % 4] ?? 'open';
    const teamId = id % 3 === 0 ? 2 : 1;
    return conversationView(id, {
      lastMessageAt: AT - Math.floor(id / 2) * 1000,
      assignedAgentId,
      assignee: assignedAgentId === null ? null : { agentId: assignedAgentId, name: `Agent ${assignedAgentId}` },
      state,
      teamId,
      queuedSince: assignedAgentId === null && state === 'open' ? AT - id * 60_000 : null,
    });
  });
}

function expected(all: readonly ConversationSummary[], viewer: ConversationViewer, filter: ConversationFilter, state: ConversationState): number[] {
  return all
    .filter((item) => maySeeConversation(viewer, item) && item.state === state)
    .filter((item) => (filter === 'mine' ? item.assignedAgentId === viewer.agentId : filter === 'unassigned' ? item.assignedAgentId === null : true))
    .sort((a, b) =>
      comparePositionsIn(
        conversationOrder(filter, state),
        conversationPosition(conversationOrder(filter, state), a),
        conversationPosition(conversationOrder(filter, state), b),
      ),
    )
    .map((item) => item.id);
}

function paged(inbox: InboxCache, viewer: ConversationViewer, filter: ConversationFilter, state: ConversationState, limit: number): number[] {
  const ids: number[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages += 1) {
    const page = inbox.listConversations(viewer, filter, cursor, limit, undefined, state);
    ids.push(...page.items.map((item) => item.id));
    if (page.nextCursor === null) return ids;
    cursor = page.nextCursor;
  }
  throw new Error('the list never ended');
}

describe('the conversation list’s filters, from the cache alone', () => {
  it('pages each filter in each state exactly, for each viewer, across ties', () => {
    const cache = openCache();
    try {
      const all = conversations();
      cache.inbox.storePage({ conversations: all }, 1);
      let nonEmpty = 0;
      for (const viewer of [ANNA, SARA, CARLA])
        for (const filter of CONVERSATION_FILTERS)
          for (const state of CONVERSATION_STATES) {
            const want = expected(all, viewer, filter, state);
            if (want.length > 0) nonEmpty += 1;
            for (const limit of [1, 3, 50])
              expect(paged(cache.inbox, viewer, filter, state, limit), `${viewer.agentId} ${filter} ${state} by ${limit}`).toEqual(want);
          }
      // The lists are not trivially empty: most combinations hold something.
      expect(nonEmpty).toBeGreaterThan(20);
      // Anna's queue: the unassigned open ones of her team only, with since when each waits.
      const queue = cache.inbox.listConversations(ANNA, 'unassigned', undefined, 50, undefined, 'open').items;
      expect(queue.map((item) => [item.id, item.teamId, item.assignee, item.queuedSince])).toEqual(
        expected(all, ANNA, 'unassigned', 'open').map((id) => [id, 1, null, AT - id * 60_000]),
      );
      expect(cache.inbox.conversation(5)?.assignee).toEqual({ agentId: 7, name: 'Agent 7' });
    } finally {
      cache.close();
    }
  });

  it('reads again from the server the lists of a cache written before summaries named their assignee', () => {
    const cache = openCache();
    const { assignee: _assignee, queuedSince: _queuedSince, ...before } = conversationView(1);
    cache.inbox.db.prepare('update conversations set summary_json = ? where id = 1').run(JSON.stringify(before));
    cache.inbox.storePage({ conversations: [conversationView(1)] }, 1);
    cache.inbox.db.prepare('update conversations set summary_json = ? where id = 1').run(JSON.stringify(before));
    const list = { kind: 'conversations', filter: 'all', state: 'open' } as const;
    cache.inbox.coverage.extend(list, 'end', cache.inbox.coverage.forgets);
    // As a cache of version 7 had it: no queue column yet (migration 9 adds it).
    cache.inbox.db.exec(WITHOUT_SCHEMA_10);
    cache.inbox.db.exec(WITHOUT_SCHEMA_9);
    cache.inbox.db.pragma('user_version = 7');
    cache.close();

    const db = openCacheDatabase(cache.dir, cache.key);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(CACHE_MIGRATIONS.length);
      const inbox = new InboxCache(db);
      expect(inbox.coverage.vouchedFor(list)).toBeUndefined();
      // Until then the summary reads as one that names nobody.
      expect(inbox.conversation(1)).toMatchObject({ assignee: null, queuedSince: null });
    } finally {
      db.close();
    }
  });
});
