/**
 * getConversation, the call a search result opens its conversation with: served from the local
 * cache (so it works with the server out of reach), else from the server when it can be reached,
 * and then kept; a conversation the agent may not see is the server's coded "not found".
 */
import crypto from 'node:crypto';
import { teamViewer } from '../helpers/cache-rows.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../common/api/inbox.js';
import { maskPhoneNumber } from '../../common/numbers/masked-number.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { startCoreBehindProxy } from '../helpers/core-behind-proxy.js';
import { pairAndEnroll } from '../helpers/core-enrollment.js';
import { IT } from '../helpers/identity-setup.js';
import { startTestServer } from '../helpers/test-server.js';

/** The cache loads this many unassigned conversations after sign-in (inbox-sync.ts); one more stays on the server only. */
const LOADED_AT_SIGN_IN = 200;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('getConversation', () => {
  it('answers from the cache, falls back to the server and keeps what it brings, and refuses one the agent may not see', async () => {
    const t = await startTestServer({ tls: true, customers: LOADED_AT_SIGN_IN + 2 });
    cleanups.push(() => t.close());

    // Before the agent signs in: the oldest customer wrote first, long enough ago that the feed
    // has pruned it (so the workstation starts from the first pages, and that conversation falls
    // outside them), and another agent takes the newest one by answering it.
    const oldest = await customerWrites(t, customer(t, 0), 'Scrivo per primo');
    let newestVisible = oldest;
    for (let index = 1; index <= LOADED_AT_SIGN_IN; index += 1) newestVisible = await customerWrites(t, customer(t, index), `Messaggio ${index}`);
    const taken = await customerWrites(t, customer(t, LOADED_AT_SIGN_IN + 1), 'Mi risponde Bruno');
    const bruno = await t.server.identity.agents.create({ username: 'bruno', displayName: 'Bruno', roles: ['agent'] }, IT);
    await t.server.sendService.send(
      { idempotencyKey: crypto.randomUUID(), conversationId: taken.conversationId, kind: 'text', text: 'Ci penso io.' },
      teamViewer(bruno.agent.id, 'agent'),
    );
    await t.server.database.db.deleteFrom('events').where('conversation_id', '=', oldest.conversationId).execute();

    const { core, network, call, waitFor, untilConnection, untilFirstLoad } = await startCoreBehindProxy(t, cleanups);
    const getConversation = (conversationId: number) => dispatchIpc(core, 'getConversation', { conversationId });
    // Capacity 0: routing gives Anna none of the waiting ones as she connects, so they stay in the queue.
    await pairAndEnroll(t, call, waitFor, 'anna', 'agent', { capacity: 0 });
    await untilFirstLoad();

    // With the server out of reach: what the first load brought is there, the rest is not.
    network.refuse(true);
    await untilConnection(false);
    const cached = await getConversation(newestVisible.conversationId);
    expect(cached).toMatchObject({
      ok: true,
      value: { id: newestVisible.conversationId, customer: { phone: maskPhoneNumber(customer(t, LOADED_AT_SIGN_IN).waId) }, assignedAgentId: null },
    });
    expect(await getConversation(oldest.conversationId)).toMatchObject({ ok: false, code: 'conversation_not_cached' });

    // Back online: the server has it, and the cache keeps it.
    network.refuse(false);
    await untilConnection(true);
    const fetched = await getConversation(oldest.conversationId);
    expect(fetched).toMatchObject({
      ok: true,
      value: { id: oldest.conversationId, customer: { phone: maskPhoneNumber(customer(t, 0).waId) }, lastMessage: { text: 'Scrivo per primo' } },
    });
    // Bruno's conversation: the server says it does not exist for this agent.
    expect(await getConversation(taken.conversationId)).toMatchObject({ ok: false, code: 'conversation_not_found' });

    network.refuse(true);
    await untilConnection(false);
    const kept = await getConversation(oldest.conversationId);
    expect(kept.ok && (kept.value as ConversationSummary)).toEqual(fetched.ok && fetched.value);
  }, 60_000);
});
