/**
 * The customer sees the agent typing: an agent's typing report makes the server send Meta's typing
 * indicator with the mark-as-read call (`status: read`, the customer's newest message,
 * `typing_indicator: {type: "text"}`) from the conversation's own number; at most once per
 * interval per conversation, only inside the 24-hour window, never for a conversation the agent
 * may not see. The sandbox serves the call as Meta does and shows it to its simulated customer,
 * who waits while it shows and sees it go when the reply comes.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { inboundMessageWebhook } from '../../server/sandbox/webhook-builder.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import { runEvery } from '../helpers/run-every.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer, TestServerOptions } from '../helpers/test-server.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await runEvery(cleanups.splice(0).reverse());
});

async function desk(options: TestServerOptions = {}) {
  const t = await startTestServer(options);
  cleanups.push(() => t.close());
  const device = await approvedDevice(t);
  const anna = await enrolledAgent(t, device, 'anna');
  const typing = (conversationId: number, as = anna) => device.call('POST', '/v1/presence', { conversationId, typing: true }, as.session.accessToken);
  return { t, device, anna, typing };
}

const shown = (t: TestServer) => t.sandbox.graph.typingIndicators;

describe('the customer sees the agent typing', () => {
  it('sends the typing indicator with the read mark for the customer’s newest message, from the conversation’s number', async () => {
    const { t, typing } = await desk();
    const giulia = customer(t, 0);
    await customerWrites(t, giulia, 'Hello?');
    const newest = await customerWrites(t, giulia, 'Is my parcel coming today?');
    expect(t.customers.seesAgentTyping(giulia)).toBe(false);
    expect((await typing(newest.conversationId)).status).toBe(204);
    await eventually(() => Promise.resolve(shown(t).length === 1 || undefined), 5000, 'the typing indicator');
    expect(shown(t)[0]).toMatchObject({ phoneNumberId: t.sandbox.business.phoneNumberId, wamid: newest.wamid, customer: giulia.waId });
    expect(t.sandbox.graph.readReceipts).toContain(newest.wamid);
    expect(t.customers.seesAgentTyping(giulia)).toBe(true);

    // To the Sales number, from the Sales number (the stand-in refuses another number's token).
    const sales = t.sandbox.businesses[1];
    if (sales === undefined) throw new Error('the sandbox serves two numbers');
    const marco = customer(t, 1);
    const toSales = await customerWrites(t, marco, 'A quote please', sales);
    await typing(toSales.conversationId);
    await eventually(() => Promise.resolve(shown(t).length === 2 || undefined), 5000, 'the Sales indicator');
    expect(shown(t)[1]).toMatchObject({ phoneNumberId: sales.phoneNumberId, wamid: toSales.wamid, customer: marco.waId });
    expect(t.customers.seesAgentTyping(marco, sales)).toBe(true);
    expect(t.customers.seesAgentTyping(marco, t.sandbox.business)).toBe(false);
    // Counted once Meta's answer is back, which is after the sandbox shows it: waited for, not raced.
    const sent = async () => Number((await t.server.metrics.typingIndicators.get()).values.find((value) => value.labels.outcome === 'sent')?.value);
    await eventually(async () => ((await sent()) === 2 ? true : undefined), 5000, 'both indicators counted');

    // The reply comes: the customer's phone stops showing it.
    await t.server.sendService.send({ kind: 'text', idempotencyKey: crypto.randomUUID(), conversationId: newest.conversationId, text: 'Yes, this afternoon' });
    await t.server.dispatcher.settled();
    expect(t.customers.seesAgentTyping(giulia)).toBe(false);
  });

  it('paces the indicator: once per interval per conversation, however fast the keys come', async () => {
    const { t, typing } = await desk({ customerTyping: { minIntervalMs: 600 } });
    const first = await customerWrites(t, customer(t, 0), 'Hi');
    const second = await customerWrites(t, customer(t, 2), 'Hi there');
    for (let key = 0; key < 6; key += 1) await typing(first.conversationId);
    await typing(second.conversationId);
    await eventually(() => Promise.resolve(shown(t).length === 2 || undefined), 5000, 'one indicator each');
    for (let key = 0; key < 3; key += 1) await typing(first.conversationId);
    expect(await t.server.customerTyping.agentTyping(first.conversationId)).toBe('paced');
    expect(
      shown(t)
        .map((indicator) => indicator.wamid)
        .sort(),
    ).toEqual([first.wamid, second.wamid].sort());
    await new Promise((resolve) => setTimeout(resolve, 650));
    await typing(first.conversationId);
    await eventually(() => Promise.resolve(shown(t).length === 3 || undefined), 5000, 'the next indicator after the interval');
  });

  it('sends none outside the 24-hour window, nor for a conversation the agent may not see', async () => {
    const { t, device, typing } = await desk({ customerTyping: { minIntervalMs: 1 } });
    const late = customer(t, 3);
    const yesterday = inboundMessageWebhook(
      t.sandbox.business,
      late,
      { type: 'text', text: { body: 'Still there?' } },
      { timestampMs: Date.now() - 25 * 60 * 60 * 1000 },
    );
    expect((await t.postWebhook(yesterday.body)).status).toBe(200);
    const closed = await t.server.database.db.selectFrom('messages').select('conversation_id').where('wamid', '=', yesterday.wamid).executeTakeFirstOrThrow();
    expect((await typing(closed.conversation_id)).status).toBe(204);
    // Asked again past the pacing interval (1 ms, which the route's own attempt may still be inside): the window decides.
    const outcome = await eventually(
      async () => {
        const asked = await t.server.customerTyping.agentTyping(closed.conversation_id);
        return asked === 'paced' ? undefined : asked;
      },
      5000,
      'an attempt past the pacing interval',
    );
    expect(outcome).toBe('window_closed');

    // Bruno may not see the conversation Anna took: refused, and nothing reaches the customer.
    const bruno = await enrolledAgent(t, device, 'bruno');
    const taken = await customerWrites(t, customer(t, 0), 'Help');
    const carla = await enrolledAgent(t, device, 'carla');
    const send = await device.call(
      'POST',
      '/v1/messages',
      { idempotencyKey: crypto.randomUUID(), conversationId: taken.conversationId, kind: 'text', text: 'Eccomi' },
      carla.session.accessToken,
    );
    expect(send.status).toBe(201);
    await t.server.dispatcher.settled();
    const refused = await typing(taken.conversationId, bruno);
    expect(refused).toMatchObject({ status: 404, body: { error: { code: 'conversation_not_found' } } });
    // Carla's own typing in it does go (the control), and it is the only indicator of the test.
    await typing(taken.conversationId, carla);
    await eventually(() => Promise.resolve(shown(t).length === 1 || undefined), 5000, 'Carla’s indicator');
    expect(shown(t).map((indicator) => indicator.wamid)).toEqual([taken.wamid]);
  });

  it('shows it to the simulated customer, who waits for the reply while it shows', async () => {
    const { t, typing } = await desk({ customers: 1 });
    const only = customer(t, 0);
    const first = await customerWrites(t, only, 'Are you there?');
    await typing(first.conversationId);
    await eventually(() => Promise.resolve(t.customers.seesAgentTyping(only) || undefined), 5000, 'the customer sees the agent typing');
    const messages = async () =>
      (
        await t.server.database.db
          .selectFrom('messages')
          .select('id')
          .where('conversation_id', '=', first.conversationId)
          .where('direction', '=', 'inbound')
          .execute()
      ).length;
    t.customers.start(40);
    await new Promise((resolve) => setTimeout(resolve, 400));
    t.customers.stop();
    expect(await messages()).toBe(1);
    await t.server.sendService.send({ kind: 'text', idempotencyKey: crypto.randomUUID(), conversationId: first.conversationId, text: 'Yes, here' });
    await t.server.dispatcher.settled();
    t.customers.start(40);
    await eventually(async () => ((await messages()) > 1 ? true : undefined), 5000, 'the customer writes again once the reply came');
    t.customers.stop();
  });

  it('is served by the sandbox as Meta serves it: a wrong indicator type is refused', async () => {
    const { t } = await desk();
    const written = await customerWrites(t, customer(t, 0), 'Hi');
    const call = (typing: unknown) =>
      fetch(`${t.sandbox.channel.graphApiUrl}/${t.sandbox.channel.graphApiVersion}/${t.sandbox.business.phoneNumberId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${t.sandbox.channel.accessToken}` },
        body: JSON.stringify({ messaging_product: 'whatsapp', status: 'read', message_id: written.wamid, typing_indicator: typing }),
      });
    const refused = await call({ type: 'audio' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: 100 } });
    expect(shown(t)).toEqual([]);
    const accepted = await call({ type: 'text' });
    expect(await accepted.json()).toEqual({ success: true });
    expect(shown(t)).toHaveLength(1);
  });
});
