/**
 * Personal data is asked of a customer only with its purpose (issue 13): over a listening server,
 * a send whose text asks for personal data and says nothing of what for is refused with 422
 * personal_data_purpose_required naming the kinds (never the text), stores nothing, sends nothing
 * to the sandbox's Graph endpoint and is recorded (`safety.personal_data.refused`, the counter).
 * With its purpose it goes with one line more, in the customer's language and with the privacy
 * notice when the policy names one; the sandbox's Graph endpoint receives that line, and the
 * request is kept on the contact in the send's transaction (`safety.personal_data.explained`).
 * What was asked is read back by who may see the conversation; an administrator exports it; a
 * promotions request goes with Yes/No buttons, and its answer is recorded by the customer's tap or
 * by an agent.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactPersonalData, PersonalDataExport } from '../../common/api/personal-data.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, IT } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import { rowCounts } from '../helpers/store-queries.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer;
let desk: TestDevice;
let anna: EnrolledAgent;
let root: EnrolledAgent;
/** Customer 0 writes in English, customer 1 in Italian. */
let english: number;
let italian: number;

const PRIVACY = 'https://shop.example/privacy';

beforeAll(async () => {
  t = await startTestServer({ statusDelaysMs: {} });
  desk = await approvedDevice(t);
  anna = await enrolledAgent(t, desk, 'anna');
  root = await enrolledAgent(t, await approvedDevice(t, 'it-desk'), 'root', 'admin');
  ({ conversationId: english } = await customerWrites(t, customer(t, 0), 'Hello, I would like to change the delivery of my order please'));
  ({ conversationId: italian } = await customerWrites(t, customer(t, 1), 'Buongiorno, vorrei cambiare la consegna del mio ordine per favore'));
});
afterAll(async () => {
  await t.close();
});

const db = () => t.server.database.db;
const counts = () => rowCounts(db(), ['messages', 'events', 'audit_log', 'personal_data_requests', 'personal_data_consents']);
const send = (conversationId: number, body: Record<string, unknown>, idempotencyKey: string = crypto.randomUUID()) =>
  desk.call('POST', '/v1/messages', { idempotencyKey, conversationId, kind: 'text', ...body }, anna.session.accessToken);
const counted = async (action: string) =>
  Number(
    (await t.server.metrics.safetyActions.get()).values.find((value) => value.labels.rule === 'personal_data' && value.labels.action === action)?.value ?? 0,
  );
const lastAudit = () => db().selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
const accepted = async () => {
  await t.server.dispatcher.settled();
  return t.sandbox.graph.accepted.map((message) => JSON.stringify(message.body));
};
const storedBody = async (messageId: number) =>
  (
    JSON.parse((await db().selectFrom('messages').select('content_json').where('id', '=', messageId).executeTakeFirstOrThrow()).content_json) as {
      body: string;
    }
  ).body;
const setPolicy = async (personalData: { requirePurpose: boolean; privacyNoticeUrl: string | null }) => {
  const { version, policy } = await t.server.safety.policies.current();
  await t.server.safety.policies.change({ version, policy: { ...policy, personalData } }, IT);
};
const personalData = async (conversationId: number, token = anna.session.accessToken) =>
  desk.call('GET', `/v1/conversations/${conversationId}/personal-data`, undefined, token);

describe('a message that asks a customer for personal data', () => {
  it('is refused without its purpose, naming the kinds and never the text, and nothing reaches Meta', async () => {
    const before = await counts();
    const refusals = await counted('refused');
    for (const [text, kinds] of [
      ['Could you send me your address and your email?', ['address', 'email']],
      ['Mi può indicare il suo codice fiscale e la data di nascita?', ['date_of_birth', 'tax_number']],
    ] as const) {
      const answer = await send(english, { text });
      expect(answer).toMatchObject({ status: 422, body: { error: { code: 'personal_data_purpose_required', details: { kinds } } } });
      expect(JSON.stringify(answer.body)).not.toContain(text);
      const row = await lastAudit();
      expect(row).toMatchObject({ event: 'safety.personal_data.refused', outcome: 'refused', agent_id: anna.agentId });
      expect(JSON.parse(row.details_json)).toEqual({ conversationId: english });
    }
    expect(await counts()).toEqual({ ...before, audit_log: (before.audit_log ?? 0) + 2 });
    expect(await counted('refused')).toBe(refusals + 2);
    expect(await accepted()).toEqual([]);
  });

  it('goes with its purpose told in the customer’s language, and the request is kept on the contact', async () => {
    const explained = await counted('explained');
    const sent = await send(italian, { text: 'Mi può indicare il suo indirizzo di spedizione?', personalDataPurpose: { purpose: 'shipping' } });
    expect(sent.status).toBe(201);
    const messageId = (sent.body as { message: { id: number } }).message.id;
    const line = 'ℹ️ Useremo questi dati (indirizzo) solo per la spedizione del suo ordine.';
    expect(await storedBody(messageId)).toBe(`Mi può indicare il suo indirizzo di spedizione?\n\n${line}`);
    expect((await accepted()).filter((body) => body.includes(JSON.stringify(line).slice(1, -1)))).toHaveLength(1);

    const request = await db().selectFrom('personal_data_requests').selectAll().where('message_id', '=', messageId).executeTakeFirstOrThrow();
    expect(request).toMatchObject({ conversation_id: italian, kinds: 'address', purpose: 'shipping', purpose_text: null, language: 'it' });
    expect(request.requested_by_agent_id).toBe(anna.agentId);
    const row = await lastAudit();
    expect(row).toMatchObject({ event: 'safety.personal_data.explained', outcome: 'ok', agent_id: anna.agentId });
    expect(JSON.parse(row.details_json)).toEqual({ conversationId: italian, messageId });
    expect(await counted('explained')).toBe(explained + 1);
  });

  it('links the privacy notice when the policy names one, in English to an English customer, and the agent’s own words for other', async () => {
    await setPolicy({ requirePurpose: true, privacyNoticeUrl: PRIVACY });
    const text = 'Could you send me your date of birth and your passport number?';
    const sent = await send(english, { text, personalDataPurpose: { purpose: 'other', text: 'the age check of the wine you ordered' } });
    expect(sent.status).toBe(201);
    const messageId = (sent.body as { message: { id: number } }).message.id;
    expect(await storedBody(messageId)).toBe(
      `${text}\n\nℹ️ We will use these details (date of birth and identity document) only for: the age check of the wine you ordered. Privacy notice: ${PRIVACY}`,
    );
    expect((await accepted()).filter((body) => body.includes(PRIVACY))).toHaveLength(1);
    expect(
      await db()
        .selectFrom('personal_data_requests')
        .select(['kinds', 'purpose', 'purpose_text', 'language'])
        .where('message_id', '=', messageId)
        .executeTakeFirst(),
    ).toEqual({
      kinds: 'date_of_birth,identity_document',
      purpose: 'other',
      purpose_text: 'the age check of the wine you ordered',
      language: 'en',
    });
    await setPolicy({ requirePurpose: true, privacyNoticeUrl: null });
  });

  it('refuses a purpose that is not one, and other without words, and stores nothing', async () => {
    const before = await counts();
    for (const personalDataPurpose of [
      { purpose: 'other' },
      { purpose: 'billing', text: 'why not' },
      { purpose: 'curiosity' },
      { purpose: 'billing', extra: 1 },
    ]) {
      const answer = await send(english, { text: 'What is your email address?', personalDataPurpose });
      expect(answer, JSON.stringify(personalDataPurpose)).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    }
    expect(await counts()).toEqual(before);
  });

  it('is sent once under its idempotency key, and a text that asks for nothing goes as written whatever purpose it carries', async () => {
    const key = crypto.randomUUID();
    const body = { text: 'What is your email address?', personalDataPurpose: { purpose: 'billing' } };
    const first = await send(english, body, key);
    expect(first.status).toBe(201);
    await t.server.dispatcher.settled();
    const before = await counts();
    const again = await send(english, body, key);
    expect(again).toMatchObject({ status: 201, body: { duplicate: true } });
    expect(await counts()).toEqual(before);

    const plain = await send(english, { text: 'Your parcel left our warehouse today', personalDataPurpose: { purpose: 'order_tracking' } });
    expect(plain.status).toBe(201);
    expect(await storedBody((plain.body as { message: { id: number } }).message.id)).toBe('Your parcel left our warehouse today');
    expect(await counts()).toMatchObject({ personal_data_requests: before.personal_data_requests });
  });

  it('goes as written when an admin turned the rule off', async () => {
    await setPolicy({ requirePurpose: false, privacyNoticeUrl: null });
    const before = await counts();
    const sent = await send(english, { text: 'Could you send me your phone number?' });
    expect(sent.status).toBe(201);
    expect(await storedBody((sent.body as { message: { id: number } }).message.id)).toBe('Could you send me your phone number?');
    expect(await counts()).toMatchObject({ personal_data_requests: before.personal_data_requests });
    await setPolicy({ requirePurpose: true, privacyNoticeUrl: null });
    expect((await send(english, { text: 'Could you send me your phone number again?' })).status).toBe(422);
  });
});

describe('what was asked of a customer', () => {
  it('is read back by who may see the conversation, with its purpose, and never by an admin who is no agent', async () => {
    const answer = await personalData(italian);
    expect(answer.status).toBe(200);
    const data = answer.body as ContactPersonalData;
    expect(data.requests).toEqual([
      expect.objectContaining({
        conversationId: italian,
        kinds: ['address'],
        purpose: 'shipping',
        language: 'it',
        requestedBy: { agentId: anna.agentId, name: 'Anna' },
      }),
    ]);
    expect(data.promotionsConsent).toBeNull();
    expect(await personalData(italian, root.session.accessToken)).toMatchObject({ status: 403, body: { error: { code: 'forbidden_role' } } });
  });

  it('records the answer to a promotions request, and refuses one to a customer never asked', async () => {
    const before = await counts();
    const refused = await desk.call(
      'POST',
      `/v1/conversations/${italian}/personal-data/consent`,
      { consent: 'yes', wording: 'Offerte?' },
      anna.session.accessToken,
    );
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'consent_needs_promotions_request' } } });
    expect(await counts()).toEqual(before);

    const asked = await send(italian, { text: 'Mi lascia il suo indirizzo email per le nostre offerte?', personalDataPurpose: { purpose: 'promotions' } });
    expect(asked.status).toBe(201);
    const recorded = await counted('consent_recorded');
    const wording = 'Vuole ricevere offerte e promozioni via email?';
    const answer = await desk.call('POST', `/v1/conversations/${italian}/personal-data/consent`, { consent: 'yes', wording }, anna.session.accessToken);
    expect(answer).toMatchObject({ status: 201, body: { consent: 'yes', wording, source: 'agent', recordedBy: { agentId: anna.agentId } } });
    expect((await lastAudit()).event).toBe('safety.personal_data.consent_recorded');
    expect(await counted('consent_recorded')).toBe(recorded + 1);
    const data = (await personalData(italian)).body as ContactPersonalData;
    expect(data.promotionsConsent).toBe('yes');
    expect(data.requests.map((request) => request.purpose)).toEqual(['promotions', 'shipping']);
    expect(
      (await desk.call('POST', `/v1/conversations/${italian}/personal-data/consent`, { consent: 'maybe', wording }, anna.session.accessToken)).status,
    ).toBe(400);
  });

  it('goes, for promotions, with Yes and No buttons whose tap records the customer’s answer by itself', async () => {
    const text = 'Mi lascia il suo numero di cellulare per le offerte?';
    const asked = await send(italian, { text, personalDataPurpose: { purpose: 'promotions' } });
    expect(asked.status).toBe(201);
    await t.server.dispatcher.settled();
    const graphBody = t.sandbox.graph.accepted.at(-1)?.body as { type: string; interactive: { type: string; body: { text: string }; action: unknown } };
    const line = 'ℹ️ Useremo questi dati (numero di telefono) solo per inviarle offerte e promozioni, se acconsente.';
    expect(graphBody).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: `${text}\n\n${line}` },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'sportello_promotions_consent_yes', title: 'Sì, acconsento' } },
            { type: 'reply', reply: { id: 'sportello_promotions_consent_no', title: 'No, grazie' } },
          ],
        },
      },
    });

    const recorded = await counted('consent_recorded');
    const tap = await t.customers.write(customer(t, 1), {
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'sportello_promotions_consent_no', title: 'No, grazie' } },
    });
    expect(tap.delivered).toBe(true);
    const data = (await personalData(italian)).body as ContactPersonalData;
    expect(data.promotionsConsent).toBe('no');
    expect(data.consents[0]).toMatchObject({ consent: 'no', source: 'button_reply', recordedBy: null, wording: `${text}\n\n${line}` });
    expect(await counted('consent_recorded')).toBe(recorded + 1);
    expect(await lastAudit()).toMatchObject({ event: 'safety.personal_data.consent_recorded', agent_id: null });

    // The same button from a customer never asked about promotions records nothing.
    const before = await counts();
    await t.customers.write(customer(t, 0), {
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'sportello_promotions_consent_yes', title: 'Yes, I agree' } },
    });
    expect(await counts()).toMatchObject({ personal_data_consents: before.personal_data_consents });
    expect(((await personalData(english)).body as ContactPersonalData).promotionsConsent).toBeNull();
  });

  it('is exported for a data-subject request by an administrator only, audited', async () => {
    const contactId = (await db().selectFrom('conversations').select('contact_id').where('id', '=', italian).executeTakeFirstOrThrow()).contact_id;
    expect((await desk.call('GET', `/v1/admin/contacts/${contactId}/personal-data`, undefined, anna.session.accessToken)).status).toBe(403);
    const answer = await desk.call('GET', `/v1/admin/contacts/${contactId}/personal-data`, undefined, root.session.accessToken);
    expect(answer.status).toBe(200);
    const exported = answer.body as PersonalDataExport;
    expect(exported.contact).toMatchObject({ id: contactId, waId: customer(t, 1).waId });
    expect(exported.requests.map((request) => request.purpose)).toEqual(['promotions', 'promotions', 'shipping']);
    expect(exported.consents.map((consent) => [consent.consent, consent.source])).toEqual([
      ['no', 'button_reply'],
      ['yes', 'agent'],
    ]);
    const row = await lastAudit();
    expect(row).toMatchObject({ event: 'personal_data.exported', agent_id: root.agentId });
    expect(JSON.parse(row.details_json)).toEqual({ contactId });
    expect((await desk.call('GET', '/v1/admin/contacts/999999/personal-data', undefined, root.session.accessToken)).status).toBe(404);
  });
});
