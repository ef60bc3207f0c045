/**
 * Meta's Graph API down (every call answered 503, as Meta or its proxy answers in an outage),
 * with a restart of the server in the middle of it: the queued sends wait and retry with backoff,
 * the queue survives the restart (the restarted server meets the outage at once), and once Meta
 * is back every message reaches the customer exactly once, in each conversation's order.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { customer, customerWrites } from '../helpers/conversations.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const CONVERSATIONS = 4;
const PER_CONVERSATION = 3;
const META_DOWN = { httpStatus: 503, rawBody: '<html>Service Unavailable</html>' } as const;

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const textOf = (body: Record<string, unknown>) => (body.text as { body: string }).body;

describe('the Graph API down for a while', () => {
  it('keeps the sends queued through a restart and sends each once, in order, when Meta is back', async () => {
    const first = await startTestServer({ customers: CONVERSATIONS });
    t = first;
    const conversations: Array<{ id: number; waId: string }> = [];
    for (let index = 0; index < CONVERSATIONS; index += 1) {
      const { conversationId } = await customerWrites(first, customer(first, index));
      conversations.push({ id: conversationId, waId: customer(first, index).waId });
    }
    first.sandbox.graph.beginOutage(META_DOWN);
    const callsBefore = first.sandbox.graph.callCount;
    const sent: Array<{ messageId: number; waId: string; text: string }> = [];
    for (let round = 0; round < PER_CONVERSATION; round += 1) {
      for (const conversation of conversations) {
        const text = `during the outage ${round} to ${conversation.waId}`;
        const { messageId } = await first.server.sendService.send({ kind: 'text', idempotencyKey: crypto.randomUUID(), conversationId: conversation.id, text });
        sent.push({ messageId, waId: conversation.waId, text });
      }
    }
    // Each conversation's first message is tried, refused, and tried again.
    await eventually(
      () => Promise.resolve(first.sandbox.graph.callCount - callsBefore >= 2 * CONVERSATIONS ? true : undefined),
      20_000,
      'retries during the outage',
    );
    expect(first.sandbox.graph.accepted).toHaveLength(0);
    // The server stops as it does on SIGTERM: the calls in flight end (refused), then nothing is sent.
    await first.server.dispatcher.stop();
    const waiting = await first.server.database.db.selectFrom('messages').select(['id', 'status']).where('direction', '=', 'outbound').execute();
    expect(new Set(waiting.map((row) => row.status))).toEqual(new Set(['queued']));

    // Restarted while Meta is still down: its stand-in is down from the start.
    const second = await first.restart({ graphOutage: META_DOWN, customersWrote: conversations.map((conversation) => conversation.waId) });
    t = second;
    await eventually(() => Promise.resolve(second.sandbox.graph.callCount >= 2 * CONVERSATIONS ? true : undefined), 20_000, 'retries after the restart');
    expect(second.sandbox.graph.accepted).toHaveLength(0);

    second.sandbox.graph.endOutage();
    await eventually(() => Promise.resolve(second.sandbox.graph.accepted.length >= sent.length ? true : undefined), 30_000, 'every send after the outage');
    await second.server.dispatcher.settled();

    const rows = await second.server.database.db.selectFrom('messages').select(['id', 'status', 'wamid']).where('direction', '=', 'outbound').execute();
    expect(rows.map((row) => row.status)).toEqual(Array<string>(sent.length).fill('accepted'));
    const accepted = second.sandbox.graph.accepted;
    expect(accepted).toHaveLength(sent.length);
    expect(new Set(accepted.map((message) => textOf(message.body))).size).toBe(sent.length);
    for (const conversation of conversations) {
      const inOrder = sent.filter((message) => message.waId === conversation.waId).map((message) => message.text);
      expect(accepted.filter((message) => message.to === conversation.waId).map((message) => textOf(message.body))).toEqual(inOrder);
    }
  }, 120_000);
});
