/**
 * A conversation's life as a workstation sees it, over a listening server with the sandbox and
 * the real client core on its SQLCipher cache: the customer writes, the agent resolves, the
 * customer writes again and a new conversation of the same contact begins, with the earlier one
 * reachable (listed, its messages readable); pending, then the customer writes: open; snoozed,
 * then the customer writes: open; snoozed, then the time passes (the server's clock moves on):
 * open. Each change reaches the cache through the feed as the conversation's state and as a
 * history entry, the system line the conversation shows, read back from the cache file itself.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationHistoryEntry } from '../../common/api/conversation-lifecycle.js';
import type { ConversationPage, ConversationSummary, HistoryPage, MessagePage } from '../../common/api/inbox.js';
import type { IpcEventPayload, OutboxEntry } from '../../common/ipc/contract.js';
import { CacheSecrets } from '../../main/cache/cache-secrets.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { SealedFiles } from '../../main/secrets/sealed-files.js';
import { openWorkstationCache } from '../helpers/cache-store.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { coreBehindProxy } from '../helpers/core-behind-proxy.js';
import { coreDriver, pairAndEnroll } from '../helpers/core-enrollment.js';
import { eventually } from '../helpers/store-queries.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What a system line says, without its ids and times. */
const line = (entry: ConversationHistoryEntry) => [entry.kind, entry.fromState, entry.state, entry.cause, entry.actor?.name ?? null];

describe('conversation states on the workstation', () => {
  it('follows resolve, a new conversation of the same contact, pending, snoozes and their wake-ups into the cache, each with its system line', async () => {
    let offset = 0;
    const { t, core, platform } = await coreBehindProxy(cleanups, { now: () => Date.now() + offset });
    const historyOnFeed = new Map<number, number>();
    let loaded = false;
    core.onEvent((event, payload) => {
      const feed = payload as IpcEventPayload<'inbox'>;
      if (event !== 'inbox') return;
      if (feed.type === 'history') historyOnFeed.set(feed.entry.id, feed.conversationId);
      if (feed.type === 'resync') loaded = true;
    });
    await core.start();
    const driver = coreDriver(core);
    const call = driver.call as <T>(name: string, request?: unknown) => Promise<T>;
    const { agentId } = await pairAndEnroll(t, driver.call, driver.waitFor, 'anna', 'agent');
    const who = 'anna';
    await eventually(() => Promise.resolve(loaded || undefined), 10_000, 'the first load');
    const { db } = t.server.database;
    const stateOf = (conversationId: number, state: ConversationSummary['state']) =>
      eventually(
        async () => {
          const summary = await call<ConversationSummary>('getConversation', { conversationId });
          return summary.state === state ? summary : undefined;
        },
        10_000,
        `conversation ${conversationId} ${state} on the workstation`,
      );
    const change = (conversationId: number, change: unknown) => call<ConversationSummary>('changeConversationState', { conversationId, change });
    const reply = async (conversationId: number, text: string) => {
      const entry = await call<OutboxEntry>('sendMessage', { conversationId, clientMessageId: crypto.randomUUID(), kind: 'text', text });
      expect(entry.state).toBe('sent');
    };
    /** Every history entry the server holds has reached the workstation by the feed. */
    const historyArrived = () =>
      eventually(
        async () => {
          const entries = await db.selectFrom('conversation_history').select('id').execute();
          return entries.every((entry) => historyOnFeed.has(entry.id)) ? true : undefined;
        },
        10_000,
        'every history entry on the workstation',
      );
    /**
     * The list converges on `expected`: the state a call answered is kept as of the feed position
     * before the call, so an event the feed brought meanwhile (a delivery status of the reply) may
     * hold an older state for a moment, until the change's own event arrives.
     */
    const listed = (request: { filter: string; state?: string }, expected: number[]) =>
      eventually(
        async () => {
          const ids = (await call<ConversationPage>('listConversations', request)).items.map((item) => item.id);
          return JSON.stringify(ids) === JSON.stringify(expected) ? true : undefined;
        },
        10_000,
        `${request.filter} ${request.state ?? 'open'} listing ${JSON.stringify(expected)}`,
      );

    // The customer writes (routing gives it to Anna, online); Anna answers and resolves it.
    const first = await customerWrites(t, customer(t, 0), 'Il mio ordine non è arrivato');
    await stateOf(first.conversationId, 'open');
    await reply(first.conversationId, 'Lo cerco subito');
    // The reply's events (the message, the claim) reach the workstation first: one the feed read before
    // the resolution commits still says open, and, numbered after the resolve was asked (PostgreSQL
    // numbers events after their commit), would be newer than the resolve's answer until its own event follows.
    await historyArrived();
    const resolved = await change(first.conversationId, { state: 'resolved' });
    expect(resolved).toMatchObject({ state: 'resolved', assignedAgentId: agentId, resolvedBy: { agentId, name: who } });
    await listed({ filter: 'mine' }, []);
    await listed({ filter: 'mine', state: 'resolved' }, [first.conversationId]);

    // The customer writes again: a new conversation of the same contact, the earlier one reachable.
    const second = await customerWrites(t, customer(t, 0), 'Scusate, un’altra domanda');
    expect(second.conversationId).not.toBe(first.conversationId);
    const current = await stateOf(second.conversationId, 'open');
    expect(current).toMatchObject({
      customer: { contactId: resolved.customer.contactId },
      previousConversationId: first.conversationId,
      // Anna resolved the contact's last one and is online with room: routing gives it back to her.
      assignedAgentId: agentId,
    });
    await listed({ filter: 'mine' }, [second.conversationId]);
    expect((await call<ConversationPage>('listEarlierConversations', { conversationId: second.conversationId })).items.map((item) => item.id)).toEqual([
      first.conversationId,
    ]);
    const earlierMessages = await call<MessagePage>('listMessages', { conversationId: first.conversationId });
    expect(earlierMessages.items.map((message) => message.id)).toContain(first.messageId);
    expect((await stateOf(first.conversationId, 'resolved')).resolvedBy).toEqual({ agentId, name: who });

    // Refused from the workstation too, with the codes the renderer has words for, and nothing changed.
    for (const [conversationId, change, code] of [
      [second.conversationId, { state: 'archived' }, 'invalid_request'],
      [second.conversationId, { state: 'snoozed', until: Date.now() + offset - 60_000 }, 'snooze_in_the_past'],
      [first.conversationId, { state: 'pending' }, 'conversation_resolved'],
      [first.conversationId, { state: 'open' }, 'conversation_continued'],
    ] as const) {
      expect(await dispatchIpc(core, 'changeConversationState', { conversationId, change })).toMatchObject({ ok: false, code });
    }
    expect((await stateOf(second.conversationId, 'open')).state).toBe('open');
    expect((await stateOf(first.conversationId, 'resolved')).state).toBe('resolved');

    // Pending, then the customer writes: open.
    await reply(second.conversationId, 'Mi manda il numero d’ordine?');
    await historyArrived();
    expect((await change(second.conversationId, { state: 'pending' })).state).toBe('pending');
    await listed({ filter: 'mine', state: 'pending' }, [second.conversationId]);
    await customerWrites(t, customer(t, 0), 'È il 1042');
    await stateOf(second.conversationId, 'open');

    // Snoozed for an hour, then the customer writes first: open.
    const snoozed = await change(second.conversationId, { state: 'snoozed', until: Date.now() + offset + 3_600_000 });
    expect(snoozed).toMatchObject({ state: 'snoozed', snoozedUntil: expect.any(Number) });
    await listed({ filter: 'mine', state: 'snoozed' }, [second.conversationId]);
    await listed({ filter: 'mine' }, []);
    await customerWrites(t, customer(t, 0), 'Ci sono novità?');
    await stateOf(second.conversationId, 'open');

    // Snoozed for a minute, and the server's clock passes it: open, by the timer.
    await change(second.conversationId, { state: 'snoozed', until: Date.now() + offset + 60_000 });
    await stateOf(second.conversationId, 'snoozed');
    offset += 61_000;
    await stateOf(second.conversationId, 'open');
    await listed({ filter: 'mine' }, [second.conversationId]);
    await historyArrived();

    // The system lines, as the conversation shows them, oldest last.
    // Anna is online: routing gives her each new conversation before her reply would claim it.
    const firstLines = [
      ['state', 'open', 'resolved', 'agent', who],
      ['assignment', null, null, 'routing', null],
    ];
    const secondLines = [
      ['state', 'snoozed', 'open', 'timer', null],
      ['state', 'open', 'snoozed', 'agent', who],
      ['state', 'snoozed', 'open', 'customer', null],
      ['state', 'open', 'snoozed', 'agent', who],
      ['state', 'pending', 'open', 'customer', null],
      ['state', 'open', 'pending', 'agent', who],
      ['assignment', null, null, 'routing', null],
    ];
    expect((await call<HistoryPage>('listConversationHistory', { conversationId: second.conversationId })).items.map(line)).toEqual(secondLines);
    expect((await call<HistoryPage>('listConversationHistory', { conversationId: first.conversationId })).items.map(line)).toEqual(firstLines);

    // In the cache file itself, each conversation with its state and its history.
    await core.stop();
    const cache = openWorkstationCache(
      platform.userDataDir,
      new CacheSecrets(new SealedFiles(path.join(platform.userDataDir, 'secrets'), platform.secrets)),
      Date.now,
    );
    try {
      const states = cache.db.prepare<[], { id: number; state: string }>('select id, state from conversations order by id').all();
      expect(states).toEqual([
        { id: first.conversationId, state: 'resolved' },
        { id: second.conversationId, state: 'open' },
      ]);
      expect(cache.inbox.history.list(second.conversationId, undefined, 50).items.map(line)).toEqual(secondLines);
      expect(cache.inbox.history.list(first.conversationId, undefined, 50).items.map(line)).toEqual(firstLines);
    } finally {
      cache.close();
    }
  }, 90_000);
});
