/**
 * Property: however the server's feed arrives — duplicated, reordered, interleaved with pages
 * fetched at some earlier feed position and stored later — the cache ends with the server's
 * latest state of every row this agent may still see, judged by sequence, and nothing of a
 * conversation the feed took from them. The model server hands conversations over and back
 * (`conversation_hidden`, then a `conversation` when it is given back), adds and changes
 * messages, and serves pages as the agent could see the inbox at their position.
 */
import crypto from 'node:crypto';
import { TEST_TEAM, teamViewer } from '../helpers/cache-rows.js';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { FeedEvent } from '../../common/api/events.js';
import type { ConversationSummary, MessageView } from '../../common/api/inbox.js';
import { maySeeConversation } from '../../common/api/conversation-access.js';
import { CacheSecrets } from '../../main/cache/cache-secrets.js';
import { openWorkstationCache } from '../helpers/cache-store.js';
import { SealedFiles } from '../../main/secrets/sealed-files.js';
import { conversationView, textMessageView } from '../helpers/cache-rows.js';
import { TestKeyring } from '../helpers/node-platform.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const temp = makeTempDir('sportello-merge-');
afterAll(() => temp.remove());
const secrets = new CacheSecrets(new SealedFiles(path.join(temp.dir, 'secrets'), new TestKeyring()));
secrets.keepShare(crypto.randomBytes(32), Date.now() + 3_600_000, 1);
const viewer = teamViewer(1, 'supervisor');
/** The agent whose cache the property fills, and the one who takes conversations from them. */
const AGENT = teamViewer(1, 'agent');
const OTHER_AGENT = 2;
const CONVERSATIONS = [1, 2, 3, 4];

function conversation(id: number, version: number, assignedAgentId: number | null = null): ConversationSummary {
  return conversationView(id, {
    customer: { contactId: id, name: `Customer ${id}`, phone: null, username: null },
    lastMessageAt: 1_000 + version,
    lastInboundAt: 1_000 + version,
    unreadCount: version,
    assignedAgentId,
  });
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

/** A message always stays in the conversation it was first seen in. */
const homeOf = (messageId: number) => (messageId % CONVERSATIONS.length) + 1;

type Step =
  | { readonly kind: 'conversation'; readonly conversation: number }
  | { readonly kind: 'handover'; readonly conversation: number }
  | { readonly kind: 'message'; readonly message: number }
  | { readonly kind: 'status'; readonly message: number };

/** What the agent may see of the server at one feed position: the states a page fetched there holds. */
interface Snapshot {
  readonly conversations: ReadonlyMap<number, ConversationSummary>;
  readonly messages: ReadonlyMap<number, MessageView>;
}

const NOTHING: Snapshot = { conversations: new Map(), messages: new Map() };

interface ServerRun {
  /** The agent's feed, in seq order: changes they may not see are not in it. */
  readonly feed: readonly FeedEvent[];
  /** By feed position (0: before the first change). */
  readonly snapshots: readonly Snapshot[];
  /** Per conversation, the seq of the last time it was taken from the agent. */
  readonly lastHidden: ReadonlyMap<number, number>;
}

/**
 * The server: each step one change at the next seq. A hand-over takes a conversation the agent
 * sees (to another agent) or gives one back (to them); the agent's feed holds what they may see.
 */
function runServer(steps: readonly Step[]): ServerRun {
  const feed: FeedEvent[] = [];
  const conversations = new Map<number, { version: number; assignee: number | null }>();
  const messageVersions = new Map<number, number>();
  const lastHidden = new Map<number, number>();
  const visible = (id: number) => maySeeConversation(AGENT, { assignedAgentId: conversations.get(id)?.assignee ?? null, teamId: TEST_TEAM });
  const stateOf = (id: number) => {
    const held = conversations.get(id);
    return conversation(id, held?.version ?? 0, held?.assignee ?? null);
  };
  const snapshot = (): Snapshot => ({
    conversations: new Map([...conversations.keys()].filter(visible).map((id) => [id, stateOf(id)])),
    messages: new Map([...messageVersions].filter(([id]) => visible(homeOf(id))).map(([id, version]) => [id, message(id, homeOf(id), version)])),
  });
  const snapshots: Snapshot[] = [snapshot()];
  steps.forEach((step, index) => {
    const seq = index + 1;
    if (step.kind === 'conversation') {
      conversations.set(step.conversation, { version: seq, assignee: conversations.get(step.conversation)?.assignee ?? null });
      if (visible(step.conversation)) feed.push({ type: 'conversation', seq, conversation: stateOf(step.conversation) });
    } else if (step.kind === 'handover') {
      const taken = visible(step.conversation);
      conversations.set(step.conversation, { version: seq, assignee: taken ? OTHER_AGENT : AGENT.agentId });
      if (taken) lastHidden.set(step.conversation, seq);
      feed.push(
        taken
          ? { type: 'conversation_hidden', seq, conversationId: step.conversation }
          : { type: 'conversation', seq, conversation: stateOf(step.conversation) },
      );
    } else {
      const home = homeOf(step.message);
      const added = step.kind === 'message' || !messageVersions.has(step.message);
      messageVersions.set(step.message, seq);
      // A new or changed message moves its conversation on; a status change does not.
      if (added) conversations.set(home, { version: seq, assignee: conversations.get(home)?.assignee ?? null });
      if (visible(home)) {
        const view = message(step.message, home, seq);
        feed.push(added ? { type: 'message', seq, conversation: stateOf(home), message: view } : { type: 'status', seq, conversationId: home, message: view });
      }
    }
    snapshots.push(snapshot());
  });
  return { feed, snapshots, lastHidden };
}

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('conversation' as const), conversation: fc.constantFrom(...CONVERSATIONS) }),
  fc.record({ kind: fc.constant('handover' as const), conversation: fc.constantFrom(...CONVERSATIONS) }),
  fc.record({ kind: fc.constant('message' as const), message: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('status' as const), message: fc.integer({ min: 1, max: 6 }) }),
);

/** A page: asked for at some feed position, of some conversations, their summaries, their messages or both. */
interface PageAt {
  readonly at: number;
  readonly pick: readonly boolean[];
  readonly parts: 'conversations' | 'messages' | 'both';
  /** Where among the deliveries it is stored. */
  readonly storedAt: number;
}

type Delivery = { readonly event: FeedEvent } | { readonly page: PageAt };

const runArbitrary = fc.array(stepArbitrary, { minLength: 1, maxLength: 40 }).chain((steps) => {
  const server = runServer(steps);
  const feed = server.feed;
  const pages = fc.array(
    fc.record({
      at: fc.nat({ max: steps.length }),
      pick: fc.array(fc.boolean(), { minLength: CONVERSATIONS.length, maxLength: CONVERSATIONS.length }),
      parts: fc.constantFrom('conversations' as const, 'messages' as const, 'both' as const),
      storedAt: fc.nat(),
    }),
    { maxLength: 6 },
  );
  // Every event at least once, some twice; in seq order (as the client applies them) or shuffled.
  const events = fc
    .array(fc.nat({ max: feed.length - 1 }), { maxLength: feed.length })
    .map((dupes) => [...feed, ...dupes.map((i) => feed[i] as FeedEvent)])
    .chain((all) => fc.oneof(fc.constant([...all].sort((a, b) => a.seq - b.seq)), fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length })));
  return fc.tuple(fc.constant(server), events, pages).map(([run, delivered, asked]) => {
    const deliveries: Delivery[] = delivered.map((event) => ({ event }));
    for (const page of asked) deliveries.splice(page.storedAt % (deliveries.length + 1), 0, { page });
    return { server: run, deliveries, pages: asked };
  });
});

function pageContents(server: ServerRun, page: PageAt) {
  const snapshot = server.snapshots[page.at] ?? NOTHING;
  const picked = new Set(CONVERSATIONS.filter((_, index) => page.pick[index] === true));
  return {
    conversations: page.parts === 'messages' ? [] : [...snapshot.conversations.values()].filter((summary) => picked.has(summary.id)),
    messages: page.parts === 'conversations' ? [] : [...snapshot.messages.values()].filter((view) => picked.has(view.conversationId)),
  };
}

/** The state the cache must end with, by sequence. */
function expectedState(server: ServerRun, pages: readonly PageAt[]) {
  const last = server.snapshots[server.snapshots.length - 1] ?? NOTHING;
  const messages = new Map<number, MessageView>();
  for (const [id, view] of last.messages) {
    const hiddenAt = server.lastHidden.get(view.conversationId) ?? 0;
    // Known after the conversation was last taken away: from the feed, or from a page asked for since.
    const fromFeed = server.feed.some((event) => (event.type === 'message' || event.type === 'status') && event.message.id === id && event.seq > hiddenAt);
    const fromPage = pages.some((page) => page.at > hiddenAt && pageContents(server, page).messages.some((item) => item.id === id));
    if (fromFeed || fromPage) messages.set(id, view);
  }
  return { conversations: last.conversations, messages };
}

describe('merging the feed into the cache', () => {
  it('converges to the latest state the agent may see, hand-overs, messages and late pages included', () => {
    let round = 0;
    let hiddenAtEnd = 0;
    let storedPages = 0;
    fc.assert(
      fc.property(runArbitrary, ({ server, deliveries, pages }) => {
        round += 1;
        const cache = openWorkstationCache(path.join(temp.dir, `round-${round}`), secrets, Date.now);
        try {
          for (const delivery of deliveries) {
            if ('event' in delivery) cache.inbox.applyFeed([delivery.event], delivery.event.seq);
            else cache.inbox.storePage(pageContents(server, delivery.page), delivery.page.at);
          }
          storedPages += pages.length;
          const expected = expectedState(server, pages);
          for (const id of CONVERSATIONS) {
            const summary = expected.conversations.get(id);
            const ids = [...expected.messages.values()].filter((view) => view.conversationId === id).map((view) => view.id);
            const stored = cache.inbox.listMessages(id, undefined, 50).items;
            if (summary === undefined) {
              // Never seen, or taken from the agent: nothing of it on disk.
              expect(cache.inbox.conversation(id)).toBeUndefined();
              expect(cache.db.prepare('select count(*) as n from messages where conversation_id = ?').get(id)).toEqual({ n: 0 });
              if (server.lastHidden.has(id)) hiddenAtEnd += 1;
              continue;
            }
            expect(cache.inbox.conversation(id)).toEqual(summary);
            expect(stored.map((view) => view.id).sort((x, y) => x - y)).toEqual(ids.sort((x, y) => x - y));
            for (const view of stored) expect(view).toEqual(expected.messages.get(view.id));
          }
          expect(cache.inbox.lastSeq).toBe(Math.max(...server.feed.map((event) => event.seq)));
        } finally {
          cache.close();
        }
      }),
      { numRuns: 80 },
    );
    expect(round).toBe(80);
    // The runs did exercise what the property is about.
    expect(hiddenAtEnd).toBeGreaterThan(0);
    expect(storedPages).toBeGreaterThan(0);
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
