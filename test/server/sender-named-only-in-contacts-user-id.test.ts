/**
 * A message with neither `from` nor `from_user_id`, its sender named only by the one entry of
 * `contacts[]` (a business-scoped user id, with a username), used to be quarantined as "without a
 * sender". It reaches that customer's contact and conversation: a new one, or the one they already
 * have, whether it was opened under their BSUID alone or their number and BSUID. Two customers in
 * `contacts[]` and no sender named: nobody is guessed, the message is kept in quarantine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer, customerWrites } from '../helpers/conversations.js';
import { senderAmbiguousBody, senderOnlyInContactsBody } from '../helpers/edge-webhooks.js';
import { messageByWamid, rowCounts } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

async function contactOfMessage(wamid: string) {
  const db = t.server.database.db;
  const message = await messageByWamid(db, wamid);
  expect(message, 'the message was not stored').toBeDefined();
  const contact = await db
    .selectFrom('conversations')
    .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
    .selectAll('contacts')
    .select(['conversations.id as conversation_id', 'conversations.unread_count'])
    .where('conversations.id', '=', message!.conversation_id)
    .executeTakeFirstOrThrow();
  return { message: message!, contact };
}

describe('a sender named only in contacts[].user_id', () => {
  it('opens a contact and conversation for a customer known only by BSUID and username, and redelivery adds nothing', async () => {
    const { wamid, body } = senderOnlyInContactsBody(
      t.sandbox.business,
      { userId: 'US.4000000000000000001', parentUserId: 'US.ENT.4000000000000000009', username: 'maria.rossi', name: 'Maria' },
      'Ciao, avete il modello blu?',
    );
    expect((await t.postWebhook(body)).status).toBe(200);
    const { message, contact } = await contactOfMessage(wamid);
    expect(message).toMatchObject({ direction: 'inbound', origin: 'customer', type: 'text' });
    expect(contact).toMatchObject({
      wa_id: null,
      user_id: 'US.4000000000000000001',
      parent_user_id: 'US.ENT.4000000000000000009',
      username: 'maria.rossi',
      profile_name: 'Maria',
      unread_count: 1,
    });
    expect(await t.server.database.db.selectFrom('webhook_quarantine').selectAll().execute()).toEqual([]);

    const before = await rowCounts(t.server.database.db);
    expect((await t.postWebhook(body)).status).toBe(200);
    expect(await rowCounts(t.server.database.db)).toEqual(before);
  });

  it('joins the conversation the customer opened under the same BSUID with from_user_id', async () => {
    const userId = 'US.4000000000000000002';
    const earlier = senderOnlyInContactsBody(t.sandbox.business, { userId, username: 'luca.b' }, 'first');
    // The earlier one names its sender in from_user_id, as most payloads do.
    const named = earlier.body.replace(`"id":"${earlier.wamid}"`, `"from_user_id":"${userId}","id":"${earlier.wamid}"`);
    expect((await t.postWebhook(named)).status).toBe(200);
    const first = await contactOfMessage(earlier.wamid);

    const later = senderOnlyInContactsBody(t.sandbox.business, { userId, username: 'luca.b' }, 'second');
    expect((await t.postWebhook(later.body)).status).toBe(200);
    const second = await contactOfMessage(later.wamid);
    expect(second.contact.id).toBe(first.contact.id);
    expect(second.contact.conversation_id).toBe(first.contact.conversation_id);
    expect(second.contact.unread_count).toBe(2);
  });

  it('joins the conversation of a customer known by number and BSUID', async () => {
    const known = customer(t, 0);
    const opened = await customerWrites(t, known, 'I wrote with my number');
    const { wamid, body } = senderOnlyInContactsBody(t.sandbox.business, { userId: known.userId, name: known.name }, 'and now without it');
    expect((await t.postWebhook(body)).status).toBe(200);
    const { message, contact } = await contactOfMessage(wamid);
    expect(message.conversation_id).toBe(opened.conversationId);
    expect(contact).toMatchObject({ wa_id: known.waId, user_id: known.userId });
  });

  it('guesses nobody when two customers are in contacts[] and none is named: kept in quarantine', async () => {
    const db = t.server.database.db;
    const { wamid, body } = senderAmbiguousBody(t.sandbox.business, 'whose is this?');
    const before = await rowCounts(db);
    expect((await t.postWebhook(body)).status).toBe(200);
    expect(await messageByWamid(db, wamid)).toBeUndefined();
    const after = await rowCounts(db);
    expect(after.webhook_quarantine).toBe(before.webhook_quarantine! + 1);
    const row = await db.selectFrom('webhook_quarantine').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(row.reason).toMatch(/sender/);
    expect(JSON.parse(row.payload)).toMatchObject({ id: wamid });
  });
});
