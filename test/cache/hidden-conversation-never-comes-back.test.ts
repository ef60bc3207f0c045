/**
 * Regression: a conversation hidden from this agent (`conversation_hidden` at seq N: another agent
 * took it) was deleted without a marker, and upserts only compared with a row that still
 * existed, so a page fetched before the hand-over, or an older event, stored after the notice
 * put the conversation back on this workstation. The cache now keeps what it forgot and at which
 * seq, refuses anything older, and takes the conversation back only from a later state (it was
 * given back to this agent). Real SQLCipher files, read back raw as well as through the cache.
 */
import crypto from 'node:crypto';
import { TEST_TEAM, teamViewer } from '../helpers/cache-rows.js';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { maySeeConversation } from '../../common/api/conversation-access.js';
import type { ConversationPage, MessagePage } from '../../common/api/inbox.js';
import type { ConnectionState } from '../../common/ipc/app-state.js';
import type { IpcEventPayload } from '../../common/ipc/contract.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { coreBehindProxy } from '../helpers/core-behind-proxy.js';
import { coreDriver, pairAndEnroll } from '../helpers/core-enrollment.js';
import { IT } from '../helpers/identity-setup.js';
import { eventually } from '../helpers/store-queries.js';
import { CacheSecrets } from '../../main/cache/cache-secrets.js';
import { openWorkstationCache } from '../helpers/cache-store.js';
import type { CacheStore } from '../../main/cache/cache-store.js';
import { SealedFiles } from '../../main/secrets/sealed-files.js';
import { conversationView, textMessageView } from '../helpers/cache-rows.js';
import { TestKeyring } from '../helpers/node-platform.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { conversationsWaitForAReply } from '../helpers/routing-scene.js';

const ME = teamViewer(7, 'agent');
const OTHER_AGENT = 8;
const temp = makeTempDir('sportello-tombstone-');
afterAll(() => temp.remove());
const secrets = new CacheSecrets(new SealedFiles(path.join(temp.dir, 'secrets'), new TestKeyring()));
secrets.keepShare(crypto.randomBytes(32), Date.now() + 3_600_000, ME.agentId);

const open: CacheStore[] = [];
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cache of open.splice(0)) cache.close();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
let rounds = 0;
function freshCache(dir = `cache-${(rounds += 1)}`): CacheStore {
  const cache = openWorkstationCache(path.join(temp.dir, dir), secrets, Date.now);
  open.push(cache);
  return cache;
}

const unassigned = (unreadCount = 1) =>
  conversationView(1, { customer: { contactId: 1, name: 'Giulia Rossi', phone: '393471234567', username: null }, unreadCount });
const theirs = () => ({ ...unassigned(0), assignedAgentId: OTHER_AGENT });
const mine = () => ({ ...unassigned(0), assignedAgentId: ME.agentId });
const text = (id: number, body = `il pacco ${id} è arrivato rotto`) => textMessageView(id, 1, body);

/** Everything of conversation 1 the database file holds, read raw. */
function rowsOfConversation(cache: CacheStore) {
  return {
    conversations: cache.db.prepare('select count(*) as n from conversations where id = 1').get() as { n: number },
    messages: cache.db.prepare('select count(*) as n from messages where conversation_id = 1').get() as { n: number },
  };
}

function expectGone(cache: CacheStore): void {
  expect(cache.inbox.conversation(1)).toBeUndefined();
  expect(cache.inbox.listMessages(1, undefined, 50).items).toEqual([]);
  expect(cache.inbox.listConversations(ME, 'unassigned', undefined, 50).items).toEqual([]);
  expect(cache.inbox.search(ME, 'pacco', 10)).toEqual([]);
  expect(cache.inbox.search(ME, 'Giulia', 10)).toEqual([]);
  expect(rowsOfConversation(cache)).toEqual({ conversations: { n: 0 }, messages: { n: 0 } });
}

describe('a conversation the feed said another agent took', () => {
  it('does not come back from a page fetched before the hand-over and stored after it', () => {
    const cache = freshCache();
    cache.inbox.storePage({ conversations: [unassigned()], messages: [text(10)] }, 3);
    // The page was asked for at feed position 4; the hand-over is seq 6; the page is stored last.
    cache.inbox.applyFeed([{ type: 'conversation_hidden', seq: 6, conversationId: 1 }], 6);
    cache.inbox.storePage({ conversations: [unassigned()], messages: [text(10), text(11)] }, 4);
    expectGone(cache);
  });

  it('does not come back from an older conversation, message or status event', () => {
    const cache = freshCache();
    cache.inbox.applyFeed([{ type: 'message', seq: 2, conversation: unassigned(), message: text(10) }], 2);
    cache.inbox.applyFeed([{ type: 'conversation_hidden', seq: 6, conversationId: 1 }], 6);
    cache.inbox.applyFeed(
      [
        { type: 'conversation', seq: 4, conversation: unassigned(0) },
        { type: 'message', seq: 5, conversation: unassigned(2), message: text(12) },
        { type: 'status', seq: 5, conversationId: 1, message: text(10) },
      ],
      6,
    );
    expectGone(cache);
    expect(cache.inbox.lastSeq).toBe(6);
  });

  it('remembers what it forgot when the cache is closed and opened again', () => {
    const first = freshCache('reopened');
    first.inbox.storePage({ conversations: [unassigned()], messages: [text(10)] }, 1);
    first.inbox.applyFeed([{ type: 'conversation_hidden', seq: 6, conversationId: 1 }], 6);
    first.close();
    open.splice(open.indexOf(first), 1);
    const again = freshCache('reopened');
    again.inbox.storePage({ conversations: [unassigned()], messages: [text(10)] }, 5);
    expectGone(again);
  });

  it('takes it back when it is later given to this agent, and still refuses what is older than the notice', () => {
    const cache = freshCache();
    cache.inbox.storePage({ conversations: [unassigned()], messages: [text(10)] }, 1);
    cache.inbox.applyFeed([{ type: 'conversation_hidden', seq: 6, conversationId: 1 }], 6);
    expect(maySeeConversation(ME, theirs())).toBe(false);
    // Handed back to this agent at seq 9.
    expect(maySeeConversation(ME, mine())).toBe(true);
    cache.inbox.applyFeed([{ type: 'conversation', seq: 9, conversation: mine() }], 9);
    expect(cache.inbox.conversation(1)).toEqual(mine());
    // A page asked for after the notice (at position 9) brings its messages; one asked for before it does not.
    cache.inbox.storePage({ messages: [text(10), text(11)] }, 9);
    cache.inbox.storePage({ messages: [text(13)] }, 5);
    expect(cache.inbox.listMessages(1, undefined, 50).items.map((message) => message.id)).toEqual([11, 10]);
    cache.inbox.storePage({ conversations: [unassigned()] }, 5);
    expect(cache.inbox.conversation(1)).toEqual(mine());
    expect(cache.inbox.listConversations(ME, 'mine', undefined, 50).items.map((item) => item.id)).toEqual([1]);
  });

  it('is not hidden by a notice older than what the cache already holds', () => {
    const cache = freshCache();
    // Given back to this agent at seq 9; the notice of seq 6 arrives late.
    cache.inbox.applyFeed([{ type: 'message', seq: 9, conversation: mine(), message: text(10) }], 9);
    cache.inbox.applyFeed([{ type: 'conversation_hidden', seq: 6, conversationId: 1 }], 9);
    expect(cache.inbox.conversation(1)).toEqual(mine());
    expect(cache.inbox.listMessages(1, undefined, 50).items.map((message) => message.id)).toEqual([10]);
  });
});

describe('a page the server read just before a hand-over, on the workstation', () => {
  it('does not put the conversation’s messages back when it arrives after the notice', async () => {
    const { t, network, core } = await coreBehindProxy(cleanups);
    let connection: ConnectionState['status'] = 'offline';
    const hidden = new Set<number>();
    const seen = new Set<number>();
    core.onEvent((event, payload) => {
      if (event === 'connection') connection = (payload as ConnectionState).status;
      if (event !== 'inbox') return;
      const feed = payload as IpcEventPayload<'inbox'>;
      if (feed.type === 'conversation_hidden') hidden.add(feed.conversationId);
      if (feed.type === 'message') seen.add(feed.conversation.id);
    });
    await core.start();
    const { call, waitFor } = coreDriver(core);
    const bruno = await pairAndEnroll(t, call, waitFor, 'bruno', 'agent');
    await eventually(() => Promise.resolve(connection === 'online' ? true : undefined), 10_000, 'online');
    const anna = await t.server.identity.agents.create({ username: 'anna', displayName: 'Anna', roles: ['agent'] }, IT);
    await conversationsWaitForAReply(t);

    const written = await customerWrites(t, customer(t, 0), 'il pacco è arrivato rotto');
    await eventually(() => Promise.resolve(seen.has(written.conversationId) ? true : undefined), 10_000, 'the message on the workstation');
    expect(maySeeConversation(teamViewer(bruno.agentId, 'agent'), { assignedAgentId: null, teamId: TEST_TEAM })).toBe(true);

    // The server reads Bruno's page; before it answers, Anna takes the conversation and the
    // workstation hears of it. Then the page arrives.
    const views = t.server.views;
    const readPage = views.listMessages.bind(views);
    let handedOver = false;
    views.listMessages = async (...args: Parameters<typeof views.listMessages>) => {
      const page = await readPage(...args);
      if (!handedOver && args[0] === written.conversationId) {
        handedOver = true;
        await t.server.sendService.send(
          { idempotencyKey: crypto.randomUUID(), conversationId: written.conversationId, kind: 'text', text: 'Ci penso io.' },
          teamViewer(anna.agent.id, 'agent'),
        );
        await eventually(() => Promise.resolve(hidden.has(written.conversationId) ? true : undefined), 10_000, 'the notice on the workstation');
      }
      return page;
    };
    const page = (await call('listMessages', { conversationId: written.conversationId, limit: 50 })) as MessagePage;
    expect(handedOver).toBe(true);
    expect(page.items.map((message) => message.id)).toEqual([written.messageId]);

    // What the workstation keeps: nothing of that conversation.
    network.refuse(true);
    await eventually(() => Promise.resolve(connection === 'offline' ? true : undefined), 10_000, 'offline');
    expect(await call('listMessages', { conversationId: written.conversationId, limit: 50 })).toEqual({ items: [], nextCursor: null });
    expect(((await call('listConversations', { filter: 'unassigned', limit: 50 })) as ConversationPage).items).toEqual([]);
    expect(await call('search', { query: 'pacco' })).toEqual({ hits: [] });
  }, 60_000);
});
