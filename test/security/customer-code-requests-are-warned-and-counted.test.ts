/**
 * A customer's message that asks for a code or claims to be WhatsApp's, Meta's or Sportello's
 * support is stored as any message is, and its warning (shown by the renderer) is counted in
 * /metrics and audited by ids only, once, in English and in Italian; an everyday message is not,
 * nor is any while an admin has the warning turned off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundMessageWebhook } from '../../server/sandbox/webhook-builder.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { IT } from '../helpers/identity-setup.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const ASKING = {
  en: 'Hello, this is WhatsApp Support. Please send me the 6-digit code we sent you.',
  it: 'Ciao, sono del team di WhatsApp. Ti abbiamo inviato un codice via SMS, inviamelo per verificare il tuo account.',
};

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ customers: 4 });
});
afterAll(async () => {
  await t.close();
});

const warnedRows = () => t.server.database.db.selectFrom('audit_log').selectAll().where('event', '=', 'safety.codes.warned').execute();
const warnedCount = async () =>
  Number((await t.server.metrics.safetyActions.get()).values.find((value) => value.labels.rule === 'codes' && value.labels.action === 'warned')?.value ?? 0);

describe('a customer asking for a code', () => {
  it('is warned of, counted and audited once per message by its ids, never its words', async () => {
    const english = await customerWrites(t, customer(t, 0), ASKING.en);
    const italian = await customerWrites(t, customer(t, 1), ASKING.it);
    await customerWrites(t, customer(t, 2), 'Is my parcel coming today? Order 48213.');
    const rows = await warnedRows();
    expect(rows.map((row) => JSON.parse(row.details_json) as Record<string, number>)).toEqual([
      { conversationId: english.conversationId, messageId: english.messageId },
      { conversationId: italian.conversationId, messageId: italian.messageId },
    ]);
    expect(JSON.stringify(rows)).not.toContain('6-digit');
    expect(await warnedCount()).toBe(2);

    // Meta delivers the same webhook again: stored once, warned once.
    const once = inboundMessageWebhook(t.sandbox.business, customer(t, 0), { type: 'text', text: { body: ASKING.en } });
    for (let delivery = 0; delivery < 2; delivery += 1) expect((await t.postWebhook(once.body)).status).toBe(200);
    expect(await warnedRows()).toHaveLength(3);
    expect(await warnedCount()).toBe(3);
  });

  it('is not counted while an admin has the warning turned off', async () => {
    const { version, policy } = await t.server.safety.policies.current();
    await t.server.safety.policies.change({ version, policy: { ...policy, codes: { ...policy.codes, warnInboundCodeRequests: false } } }, IT);
    const before = await warnedCount();
    await customerWrites(t, customer(t, 3), ASKING.en);
    expect(await warnedCount()).toBe(before);
  });
});
