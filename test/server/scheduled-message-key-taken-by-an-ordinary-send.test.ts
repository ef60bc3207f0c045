/**
 * Defect: the scheduled message's send went under `scheduled-<id>`, a key anyone could predict. An
 * agent's ordinary send under that key (by accident or on purpose) made the scheduled one come
 * back `idempotency_key_reused`, or, with the same text, be matched to that other send and never
 * go. The send key is now random, kept on the scheduled row and never shown. On both stores.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScheduledMessageView } from '../../common/schedule/scheduled-message.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function scene() {
  let offset = 0;
  const clock = { now: () => Date.now() + offset, advance: (ms: number) => (offset += ms) };
  t = await startTestServer({ now: clock.now });
  const server = t;
  const desk = await approvedDevice(server, 'desk');
  const anna = await enrolledAgent(server, desk, 'anna');
  const { conversationId } = await customerWrites(server, customer(server, 0), 'When does the shop open?');
  const send = (idempotencyKey: string, text: string) =>
    desk.call<{ messageId: number }>('POST', '/v1/messages', { idempotencyKey, conversationId, kind: 'text', text }, anna.session.accessToken);
  const schedule = (text: string, sendAt: number) =>
    desk.call<{ scheduled: ScheduledMessageView }>(
      'POST',
      `/v1/conversations/${conversationId}/scheduled-messages`,
      { idempotencyKey: crypto.randomUUID(), timeZone: 'Europe/Rome', content: { kind: 'text', text }, sendAt: new Date(sendAt).toISOString() },
      anna.session.accessToken,
    );
  const stored = (id: number) =>
    server.server.database.db.selectFrom('scheduled_messages').select(['state', 'reason', 'message_id']).where('id', '=', id).executeTakeFirstOrThrow();
  const texts = () => server.sandbox.graph.accepted.map((m) => (m.body as { text?: { body: string } }).text?.body);
  return { server, clock, send, schedule, stored, texts };
}

describe('a scheduled message whose old key an ordinary send took first', () => {
  it('still goes, as its own message, whether the ordinary send had other words or the same', async () => {
    const { clock, send, schedule, stored, texts } = await scene();
    const base = clock.now();
    const other = await schedule('We open at nine', base + 60_000);
    const same = await schedule('See you tomorrow', base + 60_000 + 10);
    expect([other.status, same.status]).toEqual([201, 201]);
    expect(JSON.stringify(other.body)).not.toMatch(/scheduled-|send_?key/i);
    // Anna's ordinary sends under the keys the scheduled ones used to go with.
    const taken = await send(`scheduled-${other.body.scheduled.id}`, 'Anything else?');
    const matched = await send(`scheduled-${same.body.scheduled.id}`, 'See you tomorrow');
    expect([taken.status, matched.status]).toEqual([201, 201]);
    await eventually(() => Promise.resolve(texts().length === 2 ? true : undefined), 10_000, 'the two ordinary sends to go');

    clock.advance(61_000);
    await eventually(
      async () => ((await stored(same.body.scheduled.id)).state !== 'pending' ? true : undefined),
      10_000,
      'the scheduled ones to be handed over',
    );
    await eventually(async () => ((await stored(same.body.scheduled.id)).state !== 'sending' ? true : undefined), 10_000, 'the second to be handed over');
    const first = await stored(other.body.scheduled.id);
    const second = await stored(same.body.scheduled.id);
    expect(first).toMatchObject({ state: 'sent', reason: null });
    expect(second).toMatchObject({ state: 'sent', reason: null });
    expect(first.message_id).not.toBe(taken.body.messageId);
    expect(second.message_id).not.toBe(matched.body.messageId);
    await eventually(() => Promise.resolve(texts().length === 4 ? true : undefined), 10_000, 'the scheduled ones to reach the Graph stand-in');
    expect(texts()).toEqual(['Anything else?', 'See you tomorrow', 'We open at nine', 'See you tomorrow']);
  });
});
