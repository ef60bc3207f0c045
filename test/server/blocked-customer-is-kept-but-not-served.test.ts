/**
 * Blocking a customer (issue 13), over a listening server with the sandbox: the block is kept
 * per business number and WhatsApp blocks them too (the stand-in's block_users); the customer's
 * next messages are stored and shown but neither counted unread (no notification), nor routed,
 * nor reopen a resolved conversation; every send to them is refused `customer_blocked` before
 * anything reaches Graph, and a message queued before the block fails without reaching it; a
 * plain agent cannot unblock, a supervisor of the team can, and sending works again. A number
 * without block_users keeps the block in Sportello alone, and bad input changes nothing.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationChanged } from '../../common/api/inbox.js';
import type { FeedEvent } from '../../common/api/events.js';
import { notificationOf } from '../../main/core/feed-notifications.js';
import { desktopTextFor } from '../../main/desktop-text/desktop-text.js';
import { inboundMessageWebhook } from '../../server/sandbox/webhook-builder.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, openEventSocket } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const NUMBER_WITHOUT_BLOCK_USERS = '100000000000002';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let t: TestServer;
let device: TestDevice;
let anna: EnrolledAgent;
let bruno: EnrolledAgent;
let sara: EnrolledAgent;

beforeAll(async () => {
  t = await startTestServer({ customers: 5, blockUsersUnsupported: [NUMBER_WITHOUT_BLOCK_USERS], dispatcher: { retryBaseMs: 100 } });
  expect(t.sandbox.businesses[1]?.phoneNumberId).toBe(NUMBER_WITHOUT_BLOCK_USERS);
  device = await approvedDevice(t, 'block-desk');
  anna = await enrolledAgent(t, device, 'anna', 'agent');
  bruno = await enrolledAgent(t, device, 'bruno', 'agent');
  sara = await enrolledAgent(t, device, 'sara', 'supervisor');
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const post = <T = unknown>(path: string, body: unknown, who: EnrolledAgent) => device.call<T>('POST', path, body, who.session.accessToken);
const send = (conversationId: number, body: Record<string, unknown>, who = anna) =>
  post('/v1/messages', { idempotencyKey: crypto.randomUUID(), conversationId, ...body }, who);
const db = () => t.server.database.db;

/** A conversation of the customer, answered by Anna (so it is hers and she may see it; Bruno may not). */
async function annasConversation(index: number, business = t.sandbox.businesses[0]): Promise<number> {
  const { conversationId } = await customerWrites(t, customer(t, index), 'Buongiorno', business);
  expect((await send(conversationId, { kind: 'text', text: 'Eccomi' })).status).toBe(201);
  await t.server.dispatcher.settled();
  return conversationId;
}

async function everythingOf(conversationId: number) {
  return {
    conversation: await db().selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirstOrThrow(),
    blocks: await db().selectFrom('customer_blocks').selectAll().execute(),
    messages: (await db().selectFrom('messages').select('id').where('conversation_id', '=', conversationId).execute()).length,
    audit: (await db().selectFrom('audit_log').select('id').execute()).length,
    graphCalls: t.sandbox.graph.callCount,
  };
}

async function refused(conversationId: number, ask: () => Promise<{ status: number; body: unknown }>, status: number, code: string) {
  const before = await everythingOf(conversationId);
  const answer = await ask();
  expect(answer, code).toMatchObject({ status, body: { error: { code } } });
  expect(await everythingOf(conversationId), `${code}: nothing changed`).toEqual(before);
}

const auditEvents = async (event: string) => db().selectFrom('audit_log').selectAll().where('event', '=', event).execute();

describe('a blocked customer', () => {
  let blocked: number;

  it('is blocked on the conversation’s number and on WhatsApp, with the reason, who and when; audited, and on the feed', async () => {
    blocked = await annasConversation(0);
    const number = t.sandbox.businesses[0]?.phoneNumberId ?? '';
    const feedBefore = (await db().selectFrom('events').select('seq').where('conversation_id', '=', blocked).where('kind', '=', 'conversation').execute())
      .length;
    const answer = await post<ConversationChanged>(`/v1/conversations/${blocked}/block`, { reason: '  Insulti ripetuti  ' }, anna);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.conversation.block).toMatchObject({
      reason: 'Insulti ripetuti',
      blockedBy: { agentId: anna.agentId },
      whatsapp: { outcome: 'blocked', errorCode: null },
    });
    expect(answer.body.conversation.block?.blockedAt).toBeGreaterThan(0);
    expect(t.sandbox.graph.blocks.blockedBy(number)).toEqual([customer(t, 0).waId]);
    const [audit] = await auditEvents('customer.blocked');
    expect(JSON.parse(audit?.details_json ?? '{}')).toMatchObject({ conversationId: blocked, phoneNumberId: number, reason: 'Insulti ripetuti' });
    expect(await auditEvents('customer.whatsapp_blocked')).toHaveLength(1);
    const feedAfter = (await db().selectFrom('events').select('seq').where('conversation_id', '=', blocked).where('kind', '=', 'conversation').execute())
      .length;
    expect(feedAfter).toBeGreaterThan(feedBefore);
    // The viewers' copy says so too: the conversation by id.
    const read = await device.call<{ block: unknown }>('GET', `/v1/conversations/${blocked}`, undefined, sara.session.accessToken);
    expect(read.body.block).toMatchObject({ reason: 'Insulti ripetuti', whatsapp: { outcome: 'blocked' } });
  });

  it('writes again: the message is stored and shown, not counted unread, and announces nothing on the desktop', async () => {
    const before = await everythingOf(blocked);
    const socket = await openEventSocket(t, device, anna.session.accessToken);
    try {
      const { conversationId, messageId } = await customerWrites(t, customer(t, 0), 'Vi rovino');
      expect(conversationId).toBe(blocked);
      const after = await everythingOf(blocked);
      expect(after.messages).toBe(before.messages + 1);
      expect(after.conversation.unread_count).toBe(before.conversation.unread_count);
      expect(after.conversation.assigned_agent_id).toBe(anna.agentId);
      const page = await device.call<{ items: Array<{ id: number }> }>('GET', `/v1/conversations/${blocked}/messages`, undefined, anna.session.accessToken);
      expect(page.body.items.map((item) => item.id)).toContain(messageId);
      const event = (await socket.next((e) => e.type === 'message' && e.message.id === messageId)) as FeedEvent;
      expect(notificationOf(event, { notificationPreviews: true }, desktopTextFor('en'))).toBeUndefined();
      // The control: another customer's message is announced.
      const other = await customerWrites(t, customer(t, 3), 'Salve');
      const otherEvent = (await socket.next((e) => e.type === 'message' && e.message.id === other.messageId)) as FeedEvent;
      expect(notificationOf(otherEvent, { notificationPreviews: true }, desktopTextFor('en'))).toBeDefined();
    } finally {
      socket.close();
    }
  });

  it('does not reopen a resolved conversation into the queue, nor start a new one', async () => {
    const resolved = await annasConversation(1);
    expect((await post(`/v1/conversations/${resolved}/block`, { reason: 'Spam continuo' }, anna)).status).toBe(200);
    expect((await post(`/v1/conversations/${resolved}/state`, { state: 'resolved' }, anna)).status).toBe(200);
    const contactId = (await db().selectFrom('conversations').select('contact_id').where('id', '=', resolved).executeTakeFirstOrThrow()).contact_id;
    const { conversationId } = await customerWrites(t, customer(t, 1), 'Ancora io');
    expect(conversationId).toBe(resolved);
    const conversations = await db().selectFrom('conversations').select(['id', 'state', 'unread_count']).where('contact_id', '=', contactId).execute();
    expect(conversations).toEqual([expect.objectContaining({ id: resolved, state: 'resolved' })]);
  });

  it('is sent nothing: text, template, media and reaction are refused customer_blocked before anything reaches Graph', async () => {
    const upload = await device.request('POST', '/v1/media?kind=image&filename=foto.png', {
      token: anna.session.accessToken,
      body: PNG,
      contentType: 'image/png',
    });
    const mediaId = (JSON.parse(upload.bytes.toString('utf8')) as { mediaId: number }).mediaId;
    const accepted = t.sandbox.graph.accepted.length;
    const lastCustomerMessage = (
      await db()
        .selectFrom('messages')
        .select('id')
        .where('conversation_id', '=', blocked)
        .where('direction', '=', 'inbound')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
    ).id;
    for (const body of [
      { kind: 'text', text: 'Le scrivo' },
      { kind: 'template', name: 'hello_world', languageCode: 'it' },
      { kind: 'media', mediaId },
      { kind: 'reaction', targetMessageId: lastCustomerMessage, emoji: '👍' },
    ]) {
      await refused(blocked, () => send(blocked, body), 409, 'customer_blocked');
    }
    // A supervisor is refused alike.
    await refused(blocked, () => send(blocked, { kind: 'text', text: 'Sono la supervisora' }, sara), 409, 'customer_blocked');
    await t.server.dispatcher.settled();
    expect(t.sandbox.graph.accepted.length).toBe(accepted);
  });

  it('fails a message queued before the block without it reaching Graph', async () => {
    const conversationId = await annasConversation(2);
    // Meta errs once (worth a retry): the message waits in the queue, and meanwhile the customer is blocked.
    t.sandbox.graph.injectFaults({ httpStatus: 500, code: 131000, message: 'Something went wrong' });
    const sent = await send(conversationId, { kind: 'text', text: 'Un attimo' });
    expect(sent.status).toBe(201);
    const messageId = (sent.body as { message: { id: number } }).message.id;
    expect((await post(`/v1/conversations/${conversationId}/block`, { reason: 'Minacce' }, anna)).status).toBe(200);
    const accepted = t.sandbox.graph.accepted.length;
    await t.server.dispatcher.settled();
    const row = await db().selectFrom('messages').select(['status', 'error_code']).where('id', '=', messageId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'failed', error_code: 'customer_blocked' });
    expect(t.sandbox.graph.accepted.length).toBe(accepted);
  });

  it('is unblocked by a supervisor of the team only; then WhatsApp unblocks them and sending works again', async () => {
    const number = t.sandbox.businesses[0]?.phoneNumberId ?? '';
    await refused(blocked, () => post(`/v1/conversations/${blocked}/unblock`, {}, anna), 403, 'unblock_not_permitted');
    const answer = await post<ConversationChanged>(`/v1/conversations/${blocked}/unblock`, {}, sara);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.conversation.block).toBeNull();
    expect(t.sandbox.graph.blocks.isBlocked(number, customer(t, 0).waId)).toBe(false);
    expect(await auditEvents('customer.unblocked')).toHaveLength(1);
    expect(await auditEvents('customer.whatsapp_unblocked')).toHaveLength(1);
    const accepted = t.sandbox.graph.accepted.length;
    expect((await send(blocked, { kind: 'text', text: 'Riproviamo con calma' })).status).toBe(201);
    await t.server.dispatcher.settled();
    expect(t.sandbox.graph.accepted.length).toBe(accepted + 1);
  });

  it('is kept blocked by Sportello alone on a number without block_users (not_supported)', async () => {
    const conversationId = await annasConversation(4, t.sandbox.businesses[1]);
    const answer = await post<ConversationChanged>(`/v1/conversations/${conversationId}/block`, { reason: 'Spam' }, anna);
    expect(answer.status).toBe(200);
    expect(answer.body.conversation.block?.whatsapp).toEqual({ outcome: 'not_supported', errorCode: 'meta_100' });
    expect(t.sandbox.graph.blocks.blockedBy(NUMBER_WITHOUT_BLOCK_USERS)).toEqual([]);
    await refused(conversationId, () => send(conversationId, { kind: 'text', text: 'Ciao' }), 409, 'customer_blocked');
  });
});

describe('WhatsApp refusing the block', () => {
  it('is recorded with Meta’s code (131047: the customer has not written to the number in 24 hours), and Sportello’s block holds', async () => {
    // A customer whose message reached the server but not the stand-in's record of who wrote: to Meta, they have not written lately.
    const stranger = { waId: '393479990001', userId: 'IT.9990001', name: 'Sconosciuto', language: 'it' as const };
    const business = t.sandbox.businesses[0];
    if (business === undefined) throw new Error('the sandbox has no number');
    const { wamid, body } = inboundMessageWebhook(business, stranger, { type: 'text', text: { body: 'Pronto?' } });
    expect((await t.postWebhook(body)).status).toBe(200);
    const { conversation_id: conversationId } = await db()
      .selectFrom('messages')
      .select('conversation_id')
      .where('wamid', '=', wamid)
      .executeTakeFirstOrThrow();
    const answer = await post<ConversationChanged>(`/v1/conversations/${conversationId}/block`, { reason: 'Numero sconosciuto molesto' }, anna);
    expect(answer.status).toBe(200);
    expect(answer.body.conversation.block?.whatsapp).toEqual({ outcome: 'failed', errorCode: 'meta_131047' });
    expect(t.sandbox.graph.blocks.isBlocked(business.phoneNumberId, stranger.waId)).toBe(false);
    const [audit] = (await auditEvents('customer.whatsapp_blocked')).filter(
      (row) => (JSON.parse(row.details_json) as { conversationId?: number }).conversationId === conversationId,
    );
    expect(audit).toMatchObject({ outcome: 'failed' });
    await refused(conversationId, () => send(conversationId, { kind: 'text', text: 'Chi è?' }), 409, 'customer_blocked');
  });
});

describe('blocking refuses bad input, and changes nothing', () => {
  it('without a reason, with one too short or too long, with another field, of a conversation unknown or not one the agent may see', async () => {
    const conversationId = await annasConversation(3);
    const block = (body: unknown, who = anna, id = conversationId) => post(`/v1/conversations/${id}/block`, body, who);
    await refused(conversationId, () => block({}), 400, 'invalid_request');
    await refused(conversationId, () => block({ reason: ' no ' }), 400, 'invalid_request');
    await refused(conversationId, () => block({ reason: 'x'.repeat(501) }), 400, 'invalid_request');
    await refused(conversationId, () => block({ reason: 'Spam', until: 1 }), 400, 'invalid_request');
    await refused(conversationId, () => block({ reason: 'Spam' }, anna, 999_999), 404, 'conversation_not_found');
    // Anna's conversation does not exist for Bruno: not found, exactly as a missing one.
    await refused(conversationId, () => block({ reason: 'Spam' }, bruno), 404, 'conversation_not_found');
    await refused(conversationId, () => post(`/v1/conversations/${conversationId}/unblock`, {}, bruno), 404, 'conversation_not_found');
    await refused(conversationId, () => post(`/v1/conversations/${conversationId}/unblock`, {}, sara), 409, 'customer_not_blocked');
    await refused(conversationId, () => post(`/v1/conversations/${conversationId}/unblock`, { now: true }, sara), 400, 'invalid_request');
    expect((await block({ reason: 'Spam' })).status).toBe(200);
    await refused(conversationId, () => block({ reason: 'Di nuovo' }), 409, 'customer_already_blocked');
  });
});
