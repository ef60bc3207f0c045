/**
 * Payment links (issue 13), over a listening server with the sandbox (both stores): an admin sets
 * the provider (Stripe's key sealed, never returned or logged; audited without it); with Stripe
 * the server makes a Price and a Payment Link at the sandbox's Stripe stand-in with the configured
 * key, sends the link to the customer as the agent's message through the Graph stand-in (even
 * with an allow list that does not name Stripe), and records it (a `payment` history line, the
 * list of the conversation's requests, an audit row); a retry under the same key makes one link
 * and one message; bad input is refused and changes nothing; a fixed page is sent as it is, with
 * the amount in the text; with no provider the request is `payment_provider_not_configured`.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentRequestCreated } from '../../common/api/payment-endpoints.js';
import type { HistoryPage } from '../../common/api/inbox.js';
import type { AdminPaymentProviderView, PaymentProviderView, PaymentRequestList } from '../../common/payments/payment-links.js';
import type { AdminSafetyPolicyView } from '../../common/safety/safety-policy.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const STRIPE_KEY = `sk_test_${crypto.randomBytes(18).toString('hex')}`;

let t: TestServer;
let device: TestDevice;
let admin: EnrolledAgent;
let anna: EnrolledAgent;
let bruno: EnrolledAgent;
const logLines: string[] = [];

beforeAll(async () => {
  const { default: pino } = await import('pino');
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  t = await startTestServer({ customers: 4, logger });
  device = await approvedDevice(t, 'pay-desk');
  admin = await enrolledAgent(t, device, 'irene', 'admin');
  anna = await enrolledAgent(t, device, 'anna', 'agent');
  bruno = await enrolledAgent(t, device, 'bruno', 'agent');
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const call = <T>(method: 'GET' | 'PUT' | 'POST', url: string, body: unknown, who: EnrolledAgent) => device.call<T>(method, url, body, who.session.accessToken);
const setProvider = (body: unknown, who = admin) => call<AdminPaymentProviderView>('PUT', '/v1/admin/payment-provider', body, who);
const requestPayment = (body: Record<string, unknown>, who = anna) => call<PaymentRequestCreated>('POST', '/v1/payment-requests', body, who);
const db = () => t.server.database.db;

/** A conversation of the customer, answered by Anna: hers, Bruno may not see it. */
async function annasConversation(index: number): Promise<number> {
  const { conversationId } = await customerWrites(t, customer(t, index), 'Buongiorno, vorrei pagare');
  const answered = await call('POST', '/v1/messages', { idempotencyKey: crypto.randomUUID(), conversationId, kind: 'text', text: 'Eccomi' }, anna);
  expect(answered.status).toBe(201);
  await t.server.dispatcher.settled();
  return conversationId;
}

async function everything() {
  return {
    provider: await db().selectFrom('payment_provider').selectAll().execute(),
    requests: await db().selectFrom('payment_requests').selectAll().execute(),
    messages: (await db().selectFrom('messages').select('id').execute()).length,
    history: (await db().selectFrom('conversation_history').select('id').execute()).length,
    audit: (await db().selectFrom('audit_log').select('id').execute()).length,
    stripeCalls: t.sandbox.stripe.calls.length,
    graphCalls: t.sandbox.graph.callCount,
  };
}

async function refused(ask: () => Promise<{ status: number; body: unknown }>, status: number, code: string) {
  const before = await everything();
  const answer = await ask();
  expect(answer, code).toMatchObject({ status, body: { error: { code } } });
  expect(await everything(), `${code}: nothing changed`).toEqual(before);
}

describe('payment links', () => {
  let conversationId: number;

  beforeAll(async () => {
    conversationId = await annasConversation(0);
  });

  it('with no provider set, a request is payment_provider_not_configured and changes nothing', async () => {
    const agentView = await call<PaymentProviderView>('GET', '/v1/payment-provider', undefined, anna);
    expect(agentView.body).toEqual({ kind: 'none', available: false });
    await refused(
      () => requestPayment({ conversationId, amount: 1250, currency: 'EUR', description: 'Ordine 1234', idempotencyKey: crypto.randomUUID() }),
      409,
      'payment_provider_not_configured',
    );
  });

  it('only an admin sets the provider; the Stripe key is sealed, never returned, logged or audited', async () => {
    await refused(() => setProvider({ kind: 'stripe', secretKey: STRIPE_KEY }, anna), 403, 'forbidden_role');
    await refused(() => setProvider({ kind: 'stripe', secretKey: 'not-a-key' }), 400, 'invalid_request');
    await refused(() => setProvider({ kind: 'fixed_url', url: 'http://paypal.me/acme' }), 400, 'invalid_request');
    await refused(() => setProvider({ kind: 'stripe', secretKey: STRIPE_KEY, extra: true }), 400, 'invalid_request');

    const set = await setProvider({ kind: 'stripe', secretKey: STRIPE_KEY });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ kind: 'stripe', stripeKeyStored: true, stripeMode: 'test', fixedUrl: null, changedBy: `agent:${admin.agentId}:irene` });
    const read = await call<AdminPaymentProviderView>('GET', '/v1/admin/payment-provider', undefined, admin);
    expect(JSON.stringify(read.body)).not.toContain(STRIPE_KEY);
    expect((await call('GET', '/v1/admin/payment-provider', undefined, anna)).status).toBe(403);
    expect((await call<PaymentProviderView>('GET', '/v1/payment-provider', undefined, anna)).body).toEqual({ kind: 'stripe', available: true });

    const row = await db().selectFrom('payment_provider').selectAll().executeTakeFirstOrThrow();
    expect(row.stripe_key_sealed).not.toBeNull();
    expect(row.stripe_key_sealed).not.toContain(STRIPE_KEY.slice(8));
    const audit = await db().selectFrom('audit_log').selectAll().where('event', '=', 'payments.provider_changed').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(STRIPE_KEY.slice(8));
    expect(JSON.parse(audit[0]?.details_json ?? '{}')).toMatchObject({ fromKind: 'none', kind: 'stripe', stripeKeyReplaced: true });
  });

  it('makes a Stripe Payment Link with the key, sends it through Graph past an allow list, and records it; a retry makes nothing new', async () => {
    // The company keeps agents to an allow list that does not name Stripe: the provider's link goes all the same.
    const policy = await call<AdminSafetyPolicyView>('GET', '/v1/admin/safety-policy', undefined, admin);
    const links = { ...policy.body.policy.links, allowedOutboundHosts: ['acme.example'], outboundAllowListOnly: true };
    expect((await call('PUT', '/v1/admin/safety-policy', { version: policy.body.version, policy: { ...policy.body.policy, links } }, admin)).status).toBe(200);

    const idempotencyKey = crypto.randomUUID();
    const body = { conversationId, amount: 1250, currency: 'EUR', description: 'Ordine 1234 — due magliette', language: 'it', idempotencyKey };
    const callsBefore = t.sandbox.stripe.calls.length;
    const created = await requestPayment(body);
    expect(created.status).toBe(201);
    const calls = t.sandbox.stripe.calls.slice(callsBefore);
    expect(calls.map((c) => [c.path, c.status])).toEqual([
      ['/v1/prices', 200],
      ['/v1/payment_links', 200],
    ]);
    expect(calls.every((c) => c.secretKey === STRIPE_KEY && c.idempotencyKey?.includes(idempotencyKey) === true)).toBe(true);
    expect(calls[0]?.form).toMatchObject({ currency: 'eur', unit_amount: '1250', 'product_data[name]': 'Ordine 1234 — due magliette' });
    const link = t.sandbox.stripe.paymentLinks.at(-1);
    expect(link?.url).toMatch(/^https:\/\/buy\.stripe\.com\/test_/);

    const { paymentRequest, message, duplicate } = created.body;
    expect(duplicate).toBe(false);
    expect(paymentRequest).toMatchObject({
      conversationId,
      amount: 1250,
      currency: 'EUR',
      description: 'Ordine 1234 — due magliette',
      provider: 'stripe',
      url: link?.url,
      requestedBy: { agentId: anna.agentId, name: 'Anna' },
      messageId: message.id,
    });
    await t.server.dispatcher.settled();
    const sent = t.sandbox.graph.accepted.filter((m) => JSON.stringify(m.body).includes(String(link?.url)));
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0]?.body)).toContain('EUR 12.50');

    const history = await call<HistoryPage>('GET', `/v1/conversations/${conversationId}/history?limit=50`, undefined, anna);
    const line = history.body.items.find((entry) => entry.kind === 'payment');
    expect(line).toMatchObject({
      actor: { agentId: anna.agentId },
      payment: { paymentRequestId: paymentRequest.id, amount: 1250, currency: 'EUR', provider: 'stripe' },
    });
    const list = await call<PaymentRequestList>('GET', `/v1/conversations/${conversationId}/payment-requests`, undefined, anna);
    expect(list.body.items).toEqual([paymentRequest]);
    expect(await db().selectFrom('audit_log').select('id').where('event', '=', 'payments.requested').execute()).toHaveLength(1);

    // The same request again (a lost answer): the same link, the same message, nothing new anywhere.
    const before = await everything();
    const again = await requestPayment(body);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ duplicate: true, paymentRequest, message: { id: message.id } });
    expect({ ...(await everything()), graphCalls: before.graphCalls }).toEqual(before);
    // Another request under that key is refused.
    await refused(() => requestPayment({ ...body, amount: 1300 }), 409, 'idempotency_key_reused');

    expect(logLines.join('\n')).not.toContain(STRIPE_KEY.slice(8));
  });

  it('refuses bad input, a card number in the description and a conversation the agent may not see, changing nothing', async () => {
    const good = { conversationId, amount: 500, currency: 'EUR', description: 'Spedizione', idempotencyKey: crypto.randomUUID() };
    await refused(() => requestPayment({ ...good, amount: 0 }), 400, 'invalid_request');
    await refused(() => requestPayment({ ...good, amount: 12.5 }), 400, 'invalid_request');
    await refused(() => requestPayment({ ...good, amount: 100_000_000 }), 400, 'invalid_request');
    await refused(() => requestPayment({ ...good, currency: 'XYZ' }), 400, 'invalid_request');
    await refused(() => requestPayment({ ...good, description: ' ' }), 400, 'invalid_request');
    await refused(() => requestPayment({ ...good, idempotencyKey: 'short' }), 400, 'invalid_request');
    await refused(() => requestPayment({ ...good, surprise: 1 }), 400, 'invalid_request');
    await refused(() => requestPayment({ ...good, conversationId: 999_999 }), 404, 'conversation_not_found');
    await refused(() => requestPayment(good, bruno), 404, 'conversation_not_found');
    expect((await call('GET', `/v1/conversations/${conversationId}/payment-requests`, undefined, bruno)).status).toBe(404);
    const before = await db().selectFrom('payment_requests').select('id').execute();
    const card = await requestPayment({ ...good, description: 'carta 4111 1111 1111 1111' });
    expect(card).toMatchObject({ status: 422, body: { error: { code: 'card_number_refused' } } });
    expect(await db().selectFrom('payment_requests').select('id').execute()).toEqual(before);
    expect(t.sandbox.stripe.calls.some((c) => Object.values(c.form).some((value) => value.includes('4111')))).toBe(false);
  });

  it('a key Stripe refuses is payment_provider_rejected_key, and nothing is sent or recorded', async () => {
    expect((await setProvider({ kind: 'stripe', secretKey: `sk_live_${crypto.randomBytes(12).toString('hex')}` })).status).toBe(200);
    const before = await everything();
    const answer = await requestPayment({ conversationId, amount: 900, currency: 'EUR', description: 'Reso', idempotencyKey: crypto.randomUUID() });
    expect(answer).toMatchObject({ status: 502, body: { error: { code: 'payment_provider_rejected_key' } } });
    const after = await everything();
    expect({ ...after, stripeCalls: before.stripeCalls }).toEqual(before);
    expect(after.stripeCalls).toBeGreaterThan(before.stripeCalls);
    expect(JSON.stringify(answer.body)).not.toContain('sk_live_');
  });

  it('with a fixed page, the page is sent as it is with the amount in the text', async () => {
    expect((await setProvider({ kind: 'fixed_url', url: 'https://paypal.me/acmeshop' })).body).toMatchObject({
      kind: 'fixed_url',
      stripeKeyStored: false,
      fixedUrl: 'https://paypal.me/acmeshop',
    });
    const stripeCalls = t.sandbox.stripe.calls.length;
    const created = await requestPayment({ conversationId, amount: 4990, currency: 'USD', description: 'Order 77', idempotencyKey: crypto.randomUUID() });
    expect(created.status).toBe(201);
    expect(created.body.paymentRequest).toMatchObject({ provider: 'fixed_url', url: 'https://paypal.me/acmeshop', amount: 4990, currency: 'USD' });
    expect(t.sandbox.stripe.calls.length).toBe(stripeCalls);
    const text = (await db().selectFrom('messages').select('content_json').where('id', '=', created.body.message.id).executeTakeFirstOrThrow()).content_json;
    expect(text).toContain('USD 49.90');
    expect(text).toContain('https://paypal.me/acmeshop');
    const list = await call<PaymentRequestList>('GET', `/v1/conversations/${conversationId}/payment-requests`, undefined, anna);
    expect(list.body.items.map((item) => item.provider)).toEqual(['fixed_url', 'stripe']);

    expect((await setProvider({ kind: 'none' })).body).toMatchObject({ kind: 'none', stripeKeyStored: false, fixedUrl: null });
    expect((await call<PaymentProviderView>('GET', '/v1/payment-provider', undefined, anna)).body).toEqual({ kind: 'none', available: false });
  });
});
