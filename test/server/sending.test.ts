/**
 * The sending service against the sandbox on loopback: every kind of send, idempotency, the
 * 24-hour window, Meta's error codes (retry or not), and statuses applied to what was sent.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { STATUS_RANK } from '../../server/inbox/message-status.js';
import { inboundMessageWebhook } from '../../server/sandbox/webhook-builder.js';
import { SendError } from '../../server/sending/send-errors.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { eventually, rowCounts } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwAFgwJ/lDFz1wAAAABJRU5ErkJggg==', 'base64');
const key = (): string => crypto.randomUUID();

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  t = await startTestServer(options);
  return t;
}

async function message(s: TestServer, id: number) {
  return s.server.database.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function settledMessage(s: TestServer, id: number) {
  await s.server.dispatcher.settled();
  return message(s, id);
}

async function expectRefused(promise: Promise<unknown>, code: string): Promise<SendError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SendError);
  expect((error as SendError).code).toBe(code);
  return error as SendError;
}

describe('sending', () => {
  it('sends a text, records Meta’s id, and moves through sent, delivered and read', async () => {
    const s = await server({ statusDelaysMs: { sent: 5, delivered: 15, read: 30 } });
    const { conversationId } = await customerWrites(s, customer(s));
    const result = await s.server.sendService.send({ kind: 'text', idempotencyKey: key(), conversationId, text: 'Your order ships today.' });
    expect(result).toMatchObject({ status: 'queued', duplicate: false, conversationId });
    const sent = await settledMessage(s, result.messageId);
    expect(sent).toMatchObject({ direction: 'outbound', origin: 'agent', type: 'text', attempts: 1 });
    expect(sent.wamid).toMatch(/^wamid\./);
    expect(s.sandbox.graph.accepted).toEqual([
      expect.objectContaining({
        wamid: sent.wamid,
        to: customer(s).waId,
        type: 'text',
        body: expect.objectContaining({ text: { body: 'Your order ships today.', preview_url: false } }),
      }),
    ]);
    const read = await eventually(
      async () => {
        const row = await message(s, result.messageId);
        return row.status === 'read' ? row : undefined;
      },
      5000,
      'the read status',
    );
    expect(read.status_rank).toBe(STATUS_RANK.read);
    const statuses = await s.server.database.db.selectFrom('message_statuses').select('status').where('wamid', '=', sent.wamid).execute();
    expect(statuses.map((row) => row.status).sort()).toEqual(['delivered', 'read', 'sent']);
  });

  it('sends once per idempotency key, and refuses the key for a different message', async () => {
    const s = await server();
    const { conversationId } = await customerWrites(s, customer(s));
    const request = { kind: 'text', idempotencyKey: key(), conversationId, text: 'Once only' } as const;
    const [a, b] = await Promise.all([s.server.sendService.send(request), s.server.sendService.send(request)]);
    await s.server.dispatcher.settled();
    const c = await s.server.sendService.send(request);
    expect(new Set([a.messageId, b.messageId, c.messageId]).size).toBe(1);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(c).toMatchObject({ duplicate: true, status: 'accepted' });
    await expectRefused(s.server.sendService.send({ ...request, text: 'Something else' }), 'idempotency_key_reused');
    await s.server.dispatcher.settled();
    expect(s.sandbox.graph.accepted).toHaveLength(1);
    const outbound = await s.server.database.db.selectFrom('messages').select('id').where('direction', '=', 'outbound').execute();
    expect(outbound).toHaveLength(1);
  });

  it('replies with context and reacts to the customer’s message', async () => {
    const s = await server();
    const inbound = await customerWrites(s, customer(s));
    const reply = await s.server.sendService.send({
      kind: 'text',
      idempotencyKey: key(),
      conversationId: inbound.conversationId,
      text: 'About that:',
      replyToMessageId: inbound.messageId,
    });
    const reaction = await s.server.sendService.send({
      kind: 'reaction',
      idempotencyKey: key(),
      conversationId: inbound.conversationId,
      targetMessageId: inbound.messageId,
      emoji: '👍',
    });
    await s.server.dispatcher.settled();
    const [replyBody, reactionBody] = s.sandbox.graph.accepted.map((m) => m.body);
    expect(replyBody).toMatchObject({ context: { message_id: inbound.wamid }, type: 'text' });
    expect(reactionBody).toMatchObject({ type: 'reaction', reaction: { message_id: inbound.wamid, emoji: '👍' } });
    expect((await message(s, reply.messageId)).context_wamid).toBe(inbound.wamid);
    expect(await message(s, reaction.messageId)).toMatchObject({ type: 'reaction', amends_wamid: inbound.wamid, status: 'accepted' });
    await expectRefused(
      s.server.sendService.send({ kind: 'reaction', idempotencyKey: key(), conversationId: inbound.conversationId, targetMessageId: 999_999, emoji: '👍' }),
      'message_not_found',
    );
  });

  it('uploads media to Graph, then sends it by id; refuses types and sizes WhatsApp does not take', async () => {
    const s = await server();
    const { conversationId } = await customerWrites(s, customer(s));
    const stored = await s.server.outboundMedia.upload({ kind: 'image', mimeType: 'image/png', filename: 'receipt.png', bytes: PNG }, undefined);
    expect(stored.sha256).toBe(crypto.createHash('sha256').update(PNG).digest('hex'));
    const sent = await s.server.sendService.send({ kind: 'media', idempotencyKey: key(), conversationId, mediaId: stored.mediaId, caption: 'Your receipt' });
    const row = await settledMessage(s, sent.messageId);
    expect(row.status).toBe('accepted');
    const body = s.sandbox.graph.accepted[0]?.body as { type: string; image: { id: string; caption: string } };
    expect(body.type).toBe('image');
    expect(body.image.caption).toBe('Your receipt');
    const media = await s.server.database.db.selectFrom('media').selectAll().where('id', '=', stored.mediaId).executeTakeFirstOrThrow();
    expect(media.graph_media_id).toBe(body.image.id);
    expect(media.graph_uploaded_at).not.toBeNull();

    // The same file again (a copy of the row, the same stored file) reuses Meta's upload (kept 30 days) instead of uploading twice.
    const callsBefore = s.sandbox.graph.callCount;
    const again = await s.server.sendService.send({ kind: 'media', idempotencyKey: key(), conversationId, mediaId: stored.mediaId });
    await s.server.dispatcher.settled();
    expect(s.sandbox.graph.callCount - callsBefore).toBe(1);
    expect((await message(s, again.messageId)).media_id).not.toBe(stored.mediaId);

    const upload = (file: { kind: string; mimeType: string; filename: string; bytes: Buffer }) =>
      s.server.outboundMedia.upload(file, undefined).then(
        () => 'stored',
        (e: unknown) => (e as { code?: string }).code,
      );
    expect(await upload({ kind: 'image', mimeType: 'image/gif', filename: 'a.gif', bytes: PNG })).toBe('attachment_type_not_allowed');
    expect(await upload({ kind: 'image', mimeType: 'image/jpeg', filename: 'big.jpg', bytes: Buffer.alloc(5 * 1024 * 1024 + 1) })).toBe('attachment_too_large');
    expect(await upload({ kind: 'executable', mimeType: 'application/x-msdownload', filename: 'x.exe', bytes: PNG })).toBe('attachment_type_not_allowed');
    await expectRefused(s.server.sendService.send({ kind: 'media', idempotencyKey: key(), conversationId, mediaId: 424242 }), 'media_not_found');
  });

  it('refuses free-form messages outside the 24-hour window before calling Meta, and sends templates', async () => {
    const s = await server();
    const c = customer(s);
    const longAgo = Date.now() - 25 * 60 * 60 * 1000;
    const { body } = inboundMessageWebhook(s.sandbox.business, c, { type: 'text', text: { body: 'Hello from yesterday' } }, { timestampMs: longAgo });
    expect((await s.postWebhook(body)).status).toBe(200);
    const conversation = await s.server.database.db.selectFrom('conversations').select(['id', 'last_inbound_at']).executeTakeFirstOrThrow();
    expect(conversation.last_inbound_at).toBe(Math.floor(longAgo / 1000) * 1000);

    const before = await rowCounts(s.server.database.db);
    const calls = s.sandbox.graph.callCount;
    const refusal = await expectRefused(
      s.server.sendService.send({ kind: 'text', idempotencyKey: key(), conversationId: conversation.id, text: 'Hi again' }),
      'template_required',
    );
    expect(refusal.message).toMatch(/template/);
    await expectRefused(
      s.server.sendService.send({ kind: 'reaction', idempotencyKey: key(), conversationId: conversation.id, targetMessageId: 1, emoji: '👍' }),
      'template_required',
    );
    expect(await rowCounts(s.server.database.db)).toEqual(before);
    expect(s.sandbox.graph.callCount).toBe(calls);

    const template = await s.server.sendService.send({
      kind: 'template',
      idempotencyKey: key(),
      conversationId: conversation.id,
      name: 'order_update',
      languageCode: 'it',
      components: [{ type: 'body', parameters: [{ type: 'text', text: 'Giulia' }] }],
    });
    expect((await settledMessage(s, template.messageId)).status).toBe('accepted');
    expect(s.sandbox.graph.accepted[0]?.body).toMatchObject({
      type: 'template',
      template: { name: 'order_update', language: { code: 'it' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Giulia' }] }] },
    });
  });

  it('handles Meta’s 131047 like the window check: failed, not retried, pointing to a template', async () => {
    const s = await server();
    // The server saw the customer write, but Meta says the window is closed (clocks disagree).
    const { body } = inboundMessageWebhook(s.sandbox.business, customer(s), { type: 'text', text: { body: 'hi' } });
    await s.postWebhook(body);
    const conversation = await s.server.database.db.selectFrom('conversations').select('id').executeTakeFirstOrThrow();
    const sent = await s.server.sendService.send({ kind: 'text', idempotencyKey: key(), conversationId: conversation.id, text: 'Hello' });
    const row = await settledMessage(s, sent.messageId);
    expect(row).toMatchObject({ status: 'failed', error_code: 'meta_131047', attempts: 1 });
    expect(row.error_reason).toMatch(/template/);
  });

  it.each([
    ['130429 throughput', { httpStatus: 429, code: 130429, message: '(#130429) Rate limit hit' }],
    ['131000 something went wrong', { httpStatus: 500, code: 131000, message: 'Something went wrong' }],
    ['131016 service unavailable', { httpStatus: 503, code: 131016, message: 'Service unavailable' }],
    ['a bare 502 from a proxy', { httpStatus: 502, rawBody: '<html>Bad Gateway</html>' }],
  ])('retries after %s, then sends', async (_name, fault) => {
    const s = await server();
    const { conversationId } = await customerWrites(s, customer(s));
    s.sandbox.graph.injectFaults(fault);
    const sent = await s.server.sendService.send({ kind: 'text', idempotencyKey: key(), conversationId, text: 'Retry me' });
    const row = await eventually(
      async () => {
        const current = await message(s, sent.messageId);
        return current.status === 'accepted' ? current : undefined;
      },
      10_000,
      'the retried send',
    );
    expect(row).toMatchObject({ attempts: 2, error_code: null });
    expect(s.sandbox.graph.accepted).toHaveLength(1);
    const retries = await s.server.metrics.sends.get();
    expect(retries.values.find((v) => v.labels.outcome === 'retry')?.value).toBe(1);
  });

  it.each([
    ['131026 undeliverable', { httpStatus: 400, code: 131026, message: 'Message undeliverable' }, 'meta_131026', /Undeliverable/],
    ['131051 unsupported type', { httpStatus: 400, code: 131051, message: 'Unsupported message type' }, 'meta_131051', /not supported/],
    ['132000 template parameters', { httpStatus: 400, code: 132000, message: 'Number of parameters does not match' }, 'meta_132000', /parameters/],
    ['132015 template paused', { httpStatus: 400, code: 132015, message: 'Template is paused' }, 'template_not_approved', /paused/],
    ['an unknown code', { httpStatus: 400, code: 139999, message: 'Something new' }, 'meta_139999', /code 139999/],
  ])('does not retry %s: failed, with Meta’s code and a reason', async (_name, fault, code, reason) => {
    const s = await server();
    const { conversationId } = await customerWrites(s, customer(s));
    s.sandbox.graph.injectFaults(fault);
    const sent = await s.server.sendService.send({ kind: 'text', idempotencyKey: key(), conversationId, text: 'No retry' });
    const row = await settledMessage(s, sent.messageId);
    expect(row).toMatchObject({ status: 'failed', status_rank: STATUS_RANK.failed, error_code: code, attempts: 1 });
    expect(row.error_reason).toMatch(reason);
    expect(s.sandbox.graph.accepted).toHaveLength(0);
  });

  it('on 190 reports that the channel needs re-authorising, and refuses further sends', async () => {
    const s = await server();
    const { conversationId } = await customerWrites(s, customer(s));
    s.sandbox.graph.injectFaults({ httpStatus: 401, code: 190, message: 'Error validating access token: Session has expired' });
    const sent = await s.server.sendService.send({ kind: 'text', idempotencyKey: key(), conversationId, text: 'Token test' });
    const row = await settledMessage(s, sent.messageId);
    expect(row).toMatchObject({ status: 'failed', error_code: 'meta_190', attempts: 1 });
    expect(row.error_reason).toMatch(/re-authorised/);
    expect(s.server.numbers.line(s.sandbox.business.phoneNumberId)?.health.state).toBe('needs_reauthorization');
    const health = (await (await fetch(`${s.server.url}/healthz`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'degraded', channel: 'needs_reauthorization' });
    expect(await (await fetch(`${s.server.metricsUrl}/metrics`)).text()).toMatch(/^sportello_channel_needs_reauthorization 1$/m);
    await expectRefused(s.server.sendService.send({ kind: 'text', idempotencyKey: key(), conversationId, text: 'Next' }), 'channel_needs_reauthorization');

    // A new token (re-authorisation) at the next start clears it; the same store remembers nothing stale.
    t = await s.restart();
    expect(t.server.numbers.line(t.sandbox.business.phoneNumberId)?.health.state).toBe('ok');
  });

  it('keeps each conversation in order, even when its first message has to be retried', async () => {
    const s = await server();
    const { conversationId } = await customerWrites(s, customer(s));
    s.sandbox.graph.injectFaults({ httpStatus: 503, code: 131016, message: 'Service unavailable' });
    const first = await s.server.sendService.send({ kind: 'text', idempotencyKey: key(), conversationId, text: 'first' });
    const second = await s.server.sendService.send({ kind: 'text', idempotencyKey: key(), conversationId, text: 'second' });
    await eventually(async () => ((await message(s, second.messageId)).status === 'accepted' ? true : undefined), 10_000, 'both sends');
    expect(s.sandbox.graph.accepted.map((m) => (m.body as { text: { body: string } }).text.body)).toEqual(['first', 'second']);
    expect((await message(s, first.messageId)).attempts).toBe(2);
  });

  it('holds the number’s throughput, so a burst never earns 130429', async () => {
    const rate = 20;
    const s = await server({ limits: { messagesPerSecond: rate }, customers: 50 });
    const conversations = [];
    for (let i = 0; i < 50; i += 1) conversations.push((await customerWrites(s, customer(s, i))).conversationId);
    const burst = await Promise.all(
      conversations.map((conversationId) => s.server.sendService.send({ kind: 'text', idempotencyKey: key(), conversationId, text: 'Sale starts now' })),
    );
    await s.server.dispatcher.settled();
    for (const sent of burst) expect((await message(s, sent.messageId)).status).toBe('accepted');
    expect(s.sandbox.graph.accepted).toHaveLength(50);
    const errors = await s.server.metrics.graphErrors.get();
    expect(errors.values).toEqual([]);
    // What Meta's stand-in saw: never more than `rate` messages in any one-second window.
    const times = s.sandbox.graph.accepted.map((m) => m.at).sort((a, b) => a - b);
    for (let i = rate; i < times.length; i += 1) expect(times[i]! - times[i - rate]!).toBeGreaterThanOrEqual(1000);
  });

  it('holds the per-customer pair rate, in order, so a burst to one customer never earns 131056', async () => {
    const s = await server({ limits: { pairBurst: 3, pairIntervalMs: 100 } });
    const { conversationId } = await customerWrites(s, customer(s));
    const texts = Array.from({ length: 10 }, (_, i) => `part ${i + 1}`);
    for (const text of texts) await s.server.sendService.send({ kind: 'text', idempotencyKey: key(), conversationId, text });
    await s.server.dispatcher.settled();
    expect(s.sandbox.graph.accepted.map((m) => (m.body as { text: { body: string } }).text.body)).toEqual(texts);
    expect((await s.server.metrics.graphErrors.get()).values).toEqual([]);
  });

  it('marks the conversation read on the customer’s phone once, and clears the unread count', async () => {
    const s = await server();
    await customerWrites(s, customer(s), 'first');
    const latest = await customerWrites(s, customer(s), 'second');
    const db = s.server.database.db;
    expect((await db.selectFrom('conversations').select('unread_count').executeTakeFirstOrThrow()).unread_count).toBe(2);
    expect(await s.server.sendService.markRead({ conversationId: latest.conversationId })).toEqual({ queued: true });
    await s.server.dispatcher.settled();
    expect(s.sandbox.graph.readReceipts).toEqual([latest.wamid]);
    expect(await db.selectFrom('read_receipts').selectAll().executeTakeFirstOrThrow()).toMatchObject({ wamid: latest.wamid, state: 'sent' });
    expect((await db.selectFrom('conversations').select('unread_count').executeTakeFirstOrThrow()).unread_count).toBe(0);
    expect(await s.server.sendService.markRead({ conversationId: latest.conversationId })).toEqual({ queued: false });
    await s.server.dispatcher.settled();
    expect(s.sandbox.graph.readReceipts).toHaveLength(1);
    await expectRefused(s.server.sendService.markRead({ conversationId: 777 }), 'conversation_not_found');
  });

  it('addresses a customer known only by their business-scoped id through `recipient`', async () => {
    const s = await server();
    const c = { ...customer(s), waId: undefined as unknown as string };
    const { body } = inboundMessageWebhook(s.sandbox.business, customer(s), { type: 'text', text: { body: 'username only' } });
    const parsed = JSON.parse(body) as { entry: [{ changes: [{ value: { contacts: [Record<string, unknown>]; messages: [Record<string, unknown>] } }] }] };
    const value = parsed.entry[0].changes[0].value;
    delete value.contacts[0].wa_id;
    delete value.messages[0].from;
    expect((await s.postWebhook(JSON.stringify(parsed))).status).toBe(200);
    s.sandbox.graph.noteInbound(c.userId, Date.now());
    const conversation = await s.server.database.db.selectFrom('conversations').select('id').executeTakeFirstOrThrow();
    const sent = await s.server.sendService.send({ kind: 'text', idempotencyKey: key(), conversationId: conversation.id, text: 'Hello' });
    expect((await settledMessage(s, sent.messageId)).status).toBe('accepted');
    expect(s.sandbox.graph.accepted[0]).toMatchObject({ to: undefined, recipient: c.userId });
  });

  it('refuses malformed requests with a clear error and stores nothing', async () => {
    const s = await server();
    const { conversationId } = await customerWrites(s, customer(s));
    const before = await rowCounts(s.server.database.db);
    const bad: unknown[] = [
      undefined,
      {},
      { kind: 'text', idempotencyKey: 'short', conversationId, text: 'x' },
      { kind: 'text', idempotencyKey: key(), conversationId, text: '   ' },
      { kind: 'text', idempotencyKey: key(), conversationId, text: 'x'.repeat(4097) },
      { kind: 'text', idempotencyKey: key(), conversationId: -1, text: 'x' },
      { kind: 'fax', idempotencyKey: key(), conversationId, text: 'x' },
      { kind: 'template', idempotencyKey: key(), conversationId, name: 'Bad Name', languageCode: 'en' },
      { kind: 'template', idempotencyKey: key(), conversationId, name: 'hello_world', languageCode: 'english' },
    ];
    for (const request of bad) {
      const error = await expectRefused(s.server.sendService.send(request), 'invalid_request');
      expect(error.message.length).toBeGreaterThan(5);
    }
    await expectRefused(s.server.sendService.send({ kind: 'text', idempotencyKey: key(), conversationId: 4242, text: 'x' }), 'conversation_not_found');
    expect(await rowCounts(s.server.database.db)).toEqual(before);
  });

  it.each([
    ['Meta sent it and its answer was lost', 'answer_lost' as const, 1],
    ['the connection dropped before Meta answered', 'network' as const, 0],
  ])('never sends a message again once its request went out without an answer (%s): send_interrupted, back to the agent', async (_name, fault, reached) => {
    const s = await server();
    const { conversationId } = await customerWrites(s, customer(s));
    s.sandbox.graph.injectFaults(fault);
    const sent = await s.server.sendService.send({ kind: 'text', idempotencyKey: key(), conversationId, text: 'Only once' });
    const row = await settledMessage(s, sent.messageId);
    expect(row).toMatchObject({ status: 'failed', error_code: 'send_interrupted', attempts: 1 });
    expect(row.error_reason).toMatch(/may have reached the customer or not/);
    expect(s.sandbox.graph.accepted).toHaveLength(reached);
    // The next message of the conversation goes as usual.
    const next = await s.server.sendService.send({ kind: 'text', idempotencyKey: key(), conversationId, text: 'And the next' });
    expect(await settledMessage(s, next.messageId)).toMatchObject({ status: 'accepted' });
  });

  it('after a restart sends what was queued, and fails visibly what was cut off mid-send', async () => {
    const s = await server();
    const { conversationId } = await customerWrites(s, customer(s));
    // Park the dispatcher so the messages stay queued, then stop the server.
    await s.server.dispatcher.stop();
    const queued = await s.server.sendService.send({ kind: 'text', idempotencyKey: key(), conversationId, text: 'still queued' });
    const cutOff = await s.server.sendService.send({ kind: 'text', idempotencyKey: key(), conversationId, text: 'was in flight' });
    await s.server.committer.submit((trx) =>
      trx.updateTable('messages').set({ status: 'sending', status_rank: STATUS_RANK.sending, attempts: 1 }).where('id', '=', cutOff.messageId).execute(),
    );
    // Meta's stand-in starts afresh: told the customer wrote before the server (and its dispatcher) starts, or the first send could race it.
    t = await s.restart({ customersWrote: [customer(s).waId] });
    await t.server.dispatcher.settled();
    expect(await message(t, queued.messageId)).toMatchObject({ status: 'accepted' });
    const failed = await message(t, cutOff.messageId);
    expect(failed).toMatchObject({ status: 'failed', error_code: 'send_interrupted' });
    expect(failed.error_reason).toMatch(/may or may not/);
    expect(t.sandbox.graph.accepted.map((m) => (m.body as { text: { body: string } }).text.body)).toEqual(['still queued']);
  });
});
