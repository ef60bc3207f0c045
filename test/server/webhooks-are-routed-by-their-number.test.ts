/**
 * Several business numbers: a webhook is applied to the number its `metadata.phone_number_id`
 * names, with the secret of that number's app; one for a number this server does not serve is
 * kept whole (durable before the 200), counted and never applied to the inbox, also when it is
 * signed by another app than the number's.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { signWebhookBody } from '../../server/cloud-api/webhook-signature.js';
import type { SandboxBusiness } from '../../server/sandbox/webhook-builder.js';
import { inboundMessageWebhook } from '../../server/sandbox/webhook-builder.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { messageByWamid } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const OTHER_APP_SECRET = crypto.randomBytes(32).toString('hex');
const OTHER_APP_NUMBER: SandboxBusiness = { wabaId: '200000000000777', phoneNumberId: '100000000000777', displayPhoneNumber: '15550007777' };
const NOT_SERVED: SandboxBusiness = { wabaId: '200000000000999', phoneNumberId: '100000000000999', displayPhoneNumber: '15550009999' };

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function server(): Promise<TestServer> {
  t = await startTestServer({
    numbers: [{ phoneNumberId: OTHER_APP_NUMBER.phoneNumberId, wabaId: OTHER_APP_NUMBER.wabaId, accessToken: 'OTHER-APP-TOKEN', appSecret: OTHER_APP_SECRET }],
  });
  return t;
}

async function unknownNumberCount(s: TestServer, reason: string): Promise<number> {
  const metric = await s.server.metrics.webhookUnknownNumber.get();
  return metric.values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

describe('webhooks are routed by their number', () => {
  it('gives a customer writing to two numbers two conversations, each on its number', async () => {
    const s = await server();
    const [first, second] = s.sandbox.businesses;
    const someone = customer(s);
    const onFirst = await customerWrites(s, someone, 'Hello first', first);
    const onSecond = await customerWrites(s, someone, 'Hello second', second);
    expect(onFirst.conversationId).not.toBe(onSecond.conversationId);
    const rows = await s.server.database.db.selectFrom('conversations').select(['id', 'business_phone_number_id']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: onFirst.conversationId, business_phone_number_id: first?.phoneNumberId },
      { id: onSecond.conversationId, business_phone_number_id: second?.phoneNumberId },
    ]);
  });

  it('keeps a webhook for a number it does not serve, counts it once, and applies nothing of it', async () => {
    const s = await server();
    const { wamid, body } = inboundMessageWebhook(NOT_SERVED, customer(s), { type: 'text', text: { body: 'Is this the shop?' } });
    expect((await s.postWebhook(body)).status).toBe(200);
    expect((await s.postWebhook(body)).status).toBe(200);

    const db = s.server.database.db;
    expect(await messageByWamid(db, wamid)).toBeUndefined();
    expect(await db.selectFrom('conversations').selectAll().execute()).toEqual([]);
    const kept = await db.selectFrom('unknown_number_webhooks').selectAll().execute();
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ phone_number_id: NOT_SERVED.phoneNumberId, waba_id: NOT_SERVED.wabaId, reason: 'not_configured', payload: body });
    expect(await unknownNumberCount(s, 'not_configured')).toBe(1);
    expect(await (await fetch(`${s.server.metricsUrl}/metrics`)).text()).toMatch(/^sportello_webhook_unknown_number_total\{reason="not_configured"\} 1$/m);
  });

  it('applies a number’s webhooks signed with its own app’s secret, and keeps apart those another app signed', async () => {
    const s = await server();
    const db = s.server.database.db;
    const own = inboundMessageWebhook(OTHER_APP_NUMBER, customer(s), { type: 'text', text: { body: 'Signed by my app' } });
    expect((await s.postWebhook(own.body, { signature: signWebhookBody(own.body, OTHER_APP_SECRET) })).status).toBe(200);
    const stored = await messageByWamid(db, own.wamid);
    expect(stored).toBeDefined();
    const conversation = await db
      .selectFrom('conversations')
      .select('business_phone_number_id')
      .where('id', '=', stored?.conversation_id ?? -1)
      .executeTakeFirst();
    expect(conversation?.business_phone_number_id).toBe(OTHER_APP_NUMBER.phoneNumberId);

    // The first app's secret does not vouch for the other app's number, nor the other's for the first's.
    const forged = inboundMessageWebhook(OTHER_APP_NUMBER, customer(s, 1), { type: 'text', text: { body: 'Signed by the wrong app' } });
    expect((await s.postWebhook(forged.body)).status).toBe(200);
    const crossed = inboundMessageWebhook(s.sandbox.business, customer(s, 2), { type: 'text', text: { body: 'Also the wrong app' } });
    expect((await s.postWebhook(crossed.body, { signature: signWebhookBody(crossed.body, OTHER_APP_SECRET) })).status).toBe(200);
    expect(await messageByWamid(db, forged.wamid)).toBeUndefined();
    expect(await messageByWamid(db, crossed.wamid)).toBeUndefined();
    const kept = await db.selectFrom('unknown_number_webhooks').select(['phone_number_id', 'reason']).orderBy('id').execute();
    expect(kept).toEqual([
      { phone_number_id: OTHER_APP_NUMBER.phoneNumberId, reason: 'other_app' },
      { phone_number_id: s.sandbox.business.phoneNumberId, reason: 'other_app' },
    ]);
    expect(await unknownNumberCount(s, 'other_app')).toBe(2);

    // A secret no configured app has is no signature at all.
    const stranger = inboundMessageWebhook(OTHER_APP_NUMBER, customer(s, 3), { type: 'text', text: { body: 'Nobody signed me' } });
    expect((await s.postWebhook(stranger.body, { signature: signWebhookBody(stranger.body, 'not-a-configured-secret') })).status).toBe(401);
  });
});
