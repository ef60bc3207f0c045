/**
 * A message with one field of an unexpected type (a latitude in words, an order quantity in
 * letters, a reply context that is not an object) used to be quarantined whole, so no agent ever
 * saw it. It is stored with what can be read, the unreadable part is kept verbatim beside it on
 * the server, and the agent's view says which part could not be read, never what it held.
 * Only what has no message in it at all (no id to keep it once) still goes to quarantine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessagePage } from '../../common/api/inbox.js';
import type { MessageContent } from '../../common/messages/message-content.js';
import { customer } from '../helpers/conversations.js';
import {
  inboundBody,
  LOCATION_WITH_TEXT_LATITUDE,
  ORDER_WITH_TEXT_QUANTITY,
  TEXT_WITH_MALFORMED_CONTEXT,
  TEXT_WITH_NUMERIC_BODY,
} from '../helpers/edge-webhooks.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import { messageByWamid, rowCounts } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import type { TestDevice } from '../helpers/test-device.js';

let t: TestServer;
let device: TestDevice;
let supervisor: EnrolledAgent;
beforeAll(async () => {
  t = await startTestServer();
  device = await approvedDevice(t);
  supervisor = await enrolledAgent(t, device, 'silvia', 'supervisor');
});
afterAll(async () => {
  await t.close();
});

interface StoredUnreadable {
  path: string;
  found: string;
  raw?: string;
}

/** Posts the message, checks it was stored (not quarantined) and that its redelivery adds nothing. */
async function deliverOnce(message: Record<string, unknown>, customerIndex = 0) {
  const db = t.server.database.db;
  const quarantined = (await rowCounts(db)).webhook_quarantine;
  const { wamid, body } = inboundBody(t.sandbox.business, customer(t, customerIndex), message);
  expect((await t.postWebhook(body)).status).toBe(200);
  const row = await messageByWamid(db, wamid);
  expect(row, 'the message was not stored').toBeDefined();
  expect((await rowCounts(db)).webhook_quarantine).toBe(quarantined);

  const before = await rowCounts(db);
  expect((await t.postWebhook(body)).status).toBe(200);
  expect(await rowCounts(db)).toEqual(before);

  const stored = row!;
  const meta = stored.meta_json === null ? {} : (JSON.parse(stored.meta_json) as { unreadable?: StoredUnreadable[] });
  return { row: stored, content: JSON.parse(stored.content_json) as MessageContent, unreadable: meta.unreadable ?? [] };
}

/** The message as the agent's client receives it, and the whole response text. */
async function agentView(conversationId: number, messageId: number) {
  const response = await device.call<MessagePage>('GET', `/v1/conversations/${conversationId}/messages?limit=50`, undefined, supervisor.session.accessToken);
  expect(response.status).toBe(200);
  const view = response.body.items.find((item) => item.id === messageId);
  expect(view, 'the agent does not see the message').toBeDefined();
  return { view: view!, text: JSON.stringify(response.body) };
}

describe('a message with one unreadable field', () => {
  it('a location whose latitude is text: stored with its name, address and longitude; the latitude kept beside it', async () => {
    const { row, content, unreadable } = await deliverOnce(LOCATION_WITH_TEXT_LATITUDE);
    expect(row.type).toBe('location');
    expect(content).toEqual({ type: 'location', longitude: 9.1916, name: 'Duomo di Milano', address: 'Piazza del Duomo, 20122 Milano' });
    expect(unreadable).toEqual([{ path: 'location.latitude', found: 'string', raw: '"forty-five north"' }]);

    const conversation = await t.server.database.db.selectFrom('conversations').selectAll().where('id', '=', row.conversation_id).executeTakeFirstOrThrow();
    expect(conversation).toMatchObject({ last_message_id: row.id, unread_count: 1 });

    const { view, text } = await agentView(row.conversation_id, row.id);
    expect(view.content).toEqual(content);
    expect(view.unreadableParts).toEqual(['location.latitude']);
    expect(text).not.toContain('forty-five north');
  });

  it('an order whose quantity is a word: every item kept, the unreadable quantity left out and kept beside it', async () => {
    const { content, unreadable, row } = await deliverOnce(ORDER_WITH_TEXT_QUANTITY, 1);
    expect(content).toEqual({
      type: 'order',
      catalogId: '354160437058781',
      text: 'For Saturday, please',
      items: [
        { productRetailerId: 'HAMBURGER', itemPrice: 30, currency: 'EUR' },
        { productRetailerId: 'SODA', quantity: 2, itemPrice: 10, currency: 'EUR' },
      ],
    });
    expect(unreadable).toEqual([{ path: 'order.product_items.0.quantity', found: 'string', raw: '"three"' }]);
    const { view, text } = await agentView(row.conversation_id, row.id);
    expect(view.unreadableParts).toEqual(['order.product_items.0.quantity']);
    expect(text).not.toContain('"three"');
  });

  it('a text whose reply context is not an object: the text stored, the context kept beside it', async () => {
    const { content, unreadable, row } = await deliverOnce(TEXT_WITH_MALFORMED_CONTEXT, 2);
    expect(content).toEqual({ type: 'text', body: 'Is it in stock?' });
    expect(row.context_wamid).toBeNull();
    expect(unreadable).toEqual([{ path: 'context', found: 'string', raw: '"wamid.not-an-object"' }]);
  });

  it('a text whose body is a number: the message reaches the agent as one that could not be read', async () => {
    const { content, unreadable, row } = await deliverOnce(TEXT_WITH_NUMERIC_BODY, 3);
    expect(content).toEqual({ type: 'unsupported', originalType: 'text' });
    // Nothing of the text object could go into the content: all of it is kept beside the message.
    expect(unreadable).toEqual([{ path: 'text', found: 'object', raw: '{"body":4815162342}' }]);
    const { view, text } = await agentView(row.conversation_id, row.id);
    expect(view.unreadableParts).toEqual(['text']);
    expect(text).not.toContain('4815162342');
  });

  it('a message without an id has no message in it to keep once: that one is quarantined verbatim', async () => {
    const db = t.server.database.db;
    const { body } = inboundBody(t.sandbox.business, customer(t, 0), { type: 'text', text: { body: 'no id' }, id: 12345 });
    const before = await rowCounts(db);
    expect((await t.postWebhook(body)).status).toBe(200);
    const after = await rowCounts(db);
    expect(after.messages).toBe(before.messages);
    expect(after.webhook_quarantine).toBe(before.webhook_quarantine! + 1);
    const row = await db.selectFrom('webhook_quarantine').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(row.payload)).toMatchObject({ id: 12345, text: { body: 'no id' } });
  });
});
