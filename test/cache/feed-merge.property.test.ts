/**
 * Property: however the server's feed arrives — duplicated, reordered, interleaved with pages
 * fetched at some feed position — the cache ends with the server's latest state of every row.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { FeedEvent } from '../../common/api/events.js';
import type { ConversationSummary, MessageView } from '../../common/api/inbox.js';
import { CacheSecrets } from '../../main/cache/cache-secrets.js';
import { openWorkstationCache } from '../../main/cache/workstation-cache.js';
import { SealedFiles } from '../../main/secrets/sealed-files.js';
import { conversationView, textMessageView } from '../helpers/cache-rows.js';
import { TestKeyring } from '../helpers/node-platform.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const temp = makeTempDir('sportello-merge-');
afterAll(() => temp.remove());
const secrets = new CacheSecrets(new SealedFiles(path.join(temp.dir, 'secrets'), new TestKeyring()));
secrets.keepShare(crypto.randomBytes(32), Date.now() + 3_600_000, 1);
const viewer = { agentId: 1, role: 'supervisor' as const };

function conversation(id: number, version: number): ConversationSummary {
  return conversationView(id, { customer: { contactId: id, name: `Customer ${id}`, phone: null, username: null }, lastMessageAt: 1_000 + version, lastInboundAt: 1_000 + version, unreadCount: version });
}

function message(id: number, conversationId: number, version: number): MessageView {
  const statuses = ['queued', 'accepted', 'sent', 'delivered', 'read'];
  return textMessageView(id, conversationId, `message ${id} version ${version}`, {
    direction: 'outbound',
    origin: 'agent',
    sentAt: 1_000 + id,
    status: statuses[version % statuses.length] ?? 'queued',
    statusAt: version,
    sentByAgentId: 1,
  });
}

/** The server's feed: each event the state of one row at that seq (later seq, later state). */
const feedArbitrary = fc
  .array(fc.record({ conversation: fc.integer({ min: 1, max: 4 }), message: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }) }), { minLength: 1, maxLength: 40 })
  .map((changes) => {
    const versions = new Map<string, number>();
    return changes.map((change, index): FeedEvent => {
      const seq = index + 1;
      const key = change.message === undefined ? `c${change.conversation}` : `m${change.message}`;
      const version = (versions.get(key) ?? 0) + 1;
      versions.set(key, version);
      if (change.message === undefined) return { type: 'conversation', seq, conversation: conversation(change.conversation, seq) };
      // A message always stays in the conversation it was first seen in.
      const home = (change.message % 4) + 1;
      return { type: 'status', seq, conversationId: home, message: message(change.message, home, version) };
    });
  });

/** Delivery: every event at least once, some twice, in an order that may be shuffled. */
const deliveryArbitrary = feedArbitrary.chain((feed) =>
  fc.tuple(
    fc.constant(feed),
    fc.array(fc.nat({ max: feed.length - 1 }), { maxLength: feed.length }).map((dupes) => [...feed, ...dupes.map((i) => feed[i] as FeedEvent)]),
  ).chain(([events, withDuplicates]) => fc.tuple(fc.constant(events), fc.shuffledSubarray(withDuplicates, { minLength: withDuplicates.length, maxLength: withDuplicates.length }))),
);

function latestState(feed: readonly FeedEvent[]) {
  const messages = new Map<number, MessageView>();
  const conversations = new Map<number, ConversationSummary>();
  for (const event of feed) {
    if (event.type === 'conversation') conversations.set(event.conversation.id, event.conversation);
    else if (event.type === 'status') messages.set(event.message.id, event.message);
  }
  return { messages, conversations };
}

describe('merging the feed into the cache', () => {
  it('converges to the server’s latest state whatever the duplicates and the order', () => {
    let round = 0;
    fc.assert(
      fc.property(deliveryArbitrary, ([feed, delivered]) => {
        round += 1;
        const cache = openWorkstationCache(path.join(temp.dir, `round-${round}`), secrets, Date.now);
        try {
          for (const event of delivered) cache.inbox.applyFeed([event], event.seq);
          const expected = latestState(feed);
          for (const [id, summary] of expected.conversations) expect(cache.inbox.conversation(id)).toEqual(summary);
          for (const [id, view] of expected.messages) {
            const stored = cache.inbox.listMessages(view.conversationId, undefined, 50).items.find((item) => item.id === id);
            expect(stored).toEqual(view);
          }
          expect(cache.inbox.lastSeq).toBe(feed.length);
        } finally {
          cache.close();
        }
      }),
      { numRuns: 60 },
    );
    expect(round).toBe(60);
  });

  it('never lets a page fetched earlier step a row back behind the feed', () => {
    const cache = openWorkstationCache(path.join(temp.dir, 'pages'), secrets, Date.now);
    try {
      cache.inbox.applyFeed([{ type: 'status', seq: 9, conversationId: 1, message: message(1, 1, 4) }], 9);
      cache.inbox.storePage({ messages: [message(1, 1, 2)] }, 5);
      expect(cache.inbox.listMessages(1, undefined, 10).items[0]?.status).toBe('read');
      expect(cache.inbox.listConversations(viewer, 'all', undefined, 10).items).toEqual([]);
    } finally {
      cache.close();
    }
  });

  it('forgets a conversation, messages and all, when the feed says another agent took it', () => {
    const cache = openWorkstationCache(path.join(temp.dir, 'hidden'), secrets, Date.now);
    try {
      cache.inbox.applyFeed([{ type: 'status', seq: 3, conversationId: 1, message: message(1, 1, 1) }], 3);
      cache.inbox.applyFeed([{ type: 'conversation_hidden', seq: 4, conversationId: 1 }], 4);
      expect(cache.inbox.listMessages(1, undefined, 10).items).toEqual([]);
      expect(cache.inbox.conversation(1)).toBeUndefined();
      expect(cache.inbox.lastSeq).toBe(4);
    } finally {
      cache.close();
    }
  });
});
