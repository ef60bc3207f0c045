/**
 * Blocking a customer from two workstations, over a listening server, each a real client core
 * with its own encrypted cache: Anna (agent) blocks the customer of her conversation with a
 * reason; her cache holds the block at once, and Sara's (the team's supervisor) follows through
 * the feed. While blocked the customer's new message reaches both caches but no desktop
 * notification. Bad IPC input (a reason too short, another field) is refused and blocks nothing;
 * Anna's unblock is refused for her role; Sara unblocks, and both caches follow.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../common/api/inbox.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { startCoreBehindProxy } from '../helpers/core-behind-proxy.js';
import type { CoreBehindProxy } from '../helpers/core-behind-proxy.js';
import { pairAndEnroll } from '../helpers/core-enrollment.js';
import { until } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const REASON = 'Insulti a ogni risposta';

/** The conversation as the workstation's cache holds it (offline, so only the cache answers). */
const cached = (workstation: CoreBehindProxy, conversationId: number) =>
  workstation.whileOffline(() => workstation.call<ConversationSummary>('getConversation', { conversationId }));

describe('a block on two workstations', () => {
  it('reaches both caches through the feed, silences the notification, and is lifted by the supervisor only', async () => {
    const t = await startTestServer({ tls: true, policy: { notificationPreviews: true } });
    cleanups.push(() => t.close());
    const teamA = (await t.server.identity.teams.list()).teams.find((team) => team.isDefault)?.id ?? 0;
    const anna = await startCoreBehindProxy(t, cleanups);
    const annaId = (await pairAndEnroll(t, anna.call, anna.waitFor, 'anna', 'agent', { displayName: 'Anna', teamIds: [teamA] })).agentId;
    await anna.untilFirstLoad();
    const sara = await startCoreBehindProxy(t, cleanups);
    await pairAndEnroll(t, sara.call, sara.waitFor, 'sara', 'supervisor', { displayName: 'Sara', teamIds: [teamA] });
    await sara.untilFirstLoad();

    const someone = customer(t, 0);
    const { conversationId } = await customerWrites(t, someone, 'Siete degli incapaci');
    await until('both see it', async () => (await anna.listed()).includes(conversationId) && (await sara.listed()).includes(conversationId));

    // Bad input: refused before the server, nothing blocked.
    for (const request of [{ conversationId, reason: 'no' }, { conversationId, reason: REASON, notify: false }, { conversationId }]) {
      expect(await dispatchIpc(anna.core, 'blockCustomer', request)).toMatchObject({ ok: false, code: 'invalid_request' });
    }
    expect(await t.server.database.db.selectFrom('customer_blocks').select('id').execute()).toEqual([]);

    const blocked = await anna.call<ConversationSummary>('blockCustomer', { conversationId, reason: REASON });
    expect(blocked.block).toMatchObject({ reason: REASON, blockedBy: { agentId: annaId, name: 'Anna' }, whatsapp: { outcome: 'blocked' } });
    expect((await cached(anna, conversationId)).block).toMatchObject({ reason: REASON });
    await until(
      'Sara’s workstation hears of the block',
      async () => (await sara.call<ConversationSummary>('getConversation', { conversationId })).block !== null,
    );
    expect((await cached(sara, conversationId)).block).toMatchObject({ reason: REASON, blockedBy: { agentId: annaId } });

    // The customer writes again: the message reaches the caches, no notification does.
    const notified = [anna.platform.desktop.notifications.length, sara.platform.desktop.notifications.length];
    const again = await customerWrites(t, someone, 'Vi denuncio tutti');
    const hasIt = async (workstation: CoreBehindProxy) =>
      (await workstation.call<{ items: Array<{ id: number }> }>('listMessages', { conversationId })).items.some((item) => item.id === again.messageId);
    await until('both caches hold the new message', async () => (await hasIt(anna)) && (await hasIt(sara)));
    // A message of another customer after it is announced: what came before it was not.
    const other = await customerWrites(t, customer(t, 1), 'Buongiorno');
    await until('the other customer’s message is announced', () => Promise.resolve(sara.platform.desktop.notifications.length > (notified[1] ?? 0)));
    expect(sara.platform.desktop.notifications.slice(notified[1])).toEqual([{ title: customer(t, 1).name, body: 'Buongiorno' }]);
    expect(anna.platform.desktop.notifications.slice(notified[0]).map((n) => n.title)).not.toContain(someone.name);
    expect(other.conversationId).not.toBe(conversationId);

    expect(await dispatchIpc(anna.core, 'unblockCustomer', { conversationId })).toMatchObject({ ok: false, code: 'unblock_not_permitted' });
    const unblocked = await sara.call<ConversationSummary>('unblockCustomer', { conversationId });
    expect(unblocked.block).toBeNull();
    await until(
      'Anna’s workstation hears of the unblock',
      async () => (await anna.call<ConversationSummary>('getConversation', { conversationId })).block === null,
    );
    expect((await cached(anna, conversationId)).block).toBeNull();
  });
});
