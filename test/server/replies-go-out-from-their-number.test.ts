/**
 * Each conversation is answered from its own business number, with that number's token; the
 * pacing (Meta's throughput is per number) and the health of a number are its own: a token Meta
 * refuses stops that number only.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { customer, customerWrites } from '../helpers/conversations.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

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

async function status(s: TestServer, messageId: number): Promise<string> {
  const row = await s.server.database.db.selectFrom('messages').select('status').where('id', '=', messageId).executeTakeFirstOrThrow();
  return row.status;
}

describe('replies go out from their number', () => {
  it('answers a conversation on the second number from the second number, with its token', async () => {
    const s = await server();
    const second = s.sandbox.businesses[1];
    const { conversationId } = await customerWrites(s, customer(s), 'Hello sales', second);
    const sent = await s.server.sendService.send({ kind: 'text', idempotencyKey: key(), conversationId, text: 'Sales here' });
    await s.server.dispatcher.settled();
    expect(await status(s, sent.messageId)).toBe('accepted');
    // The stand-in accepts a number's sends only with that number's own token.
    expect(s.sandbox.graph.accepted.map((m) => m.from)).toEqual([second?.phoneNumberId]);
  });

  it('paces each number under its own throughput, so two numbers together send more than one could', async () => {
    const rate = 5;
    const s = await server({ limits: { messagesPerSecond: rate }, customers: 20 });
    const [first, second] = s.sandbox.businesses;
    const conversations: number[] = [];
    for (let i = 0; i < 20; i += 1) conversations.push((await customerWrites(s, customer(s, i), 'Hi', i % 2 === 0 ? first : second)).conversationId);
    await Promise.all(conversations.map((conversationId) => s.server.sendService.send({ kind: 'text', idempotencyKey: key(), conversationId, text: 'Sale' })));
    await s.server.dispatcher.settled();
    expect(s.sandbox.graph.accepted).toHaveLength(20);
    expect((await s.server.metrics.graphErrors.get()).values).toEqual([]);
    const timesOf = (from: string | undefined) =>
      s.sandbox.graph.accepted
        .filter((m) => m.from === from)
        .map((m) => m.at)
        .sort((a, b) => a - b);
    // Each number alone: never more than `rate` in any second.
    for (const times of [timesOf(first?.phoneNumberId), timesOf(second?.phoneNumberId)]) {
      expect(times).toHaveLength(10);
      for (let i = rate; i < times.length; i += 1) expect(times[i]! - times[i - rate]!).toBeGreaterThanOrEqual(1000);
    }
    // Both together: more than `rate` in some second, which one pacer for the server would never allow.
    const all = s.sandbox.graph.accepted.map((m) => m.at).sort((a, b) => a - b);
    expect(all.some((at, i) => i >= rate && at - all[i - rate]! < 1000)).toBe(true);
  });

  it('stops only the number whose token Meta refused, and shows it on /healthz and /metrics', async () => {
    const s = await server();
    const [first, second] = s.sandbox.businesses;
    const onFirst = await customerWrites(s, customer(s, 0), 'Hello', first);
    const onSecond = await customerWrites(s, customer(s, 1), 'Hello', second);
    s.sandbox.graph.injectFaults({ httpStatus: 401, code: 190, message: 'Error validating access token: Session has expired' });
    const refused = await s.server.sendService.send({ kind: 'text', idempotencyKey: key(), conversationId: onFirst.conversationId, text: 'First' });
    await s.server.dispatcher.settled();
    expect(await status(s, refused.messageId)).toBe('failed');
    expect(s.server.numbers.line(first?.phoneNumberId ?? '')?.health.state).toBe('needs_reauthorization');
    expect(s.server.numbers.line(second?.phoneNumberId ?? '')?.health.state).toBe('ok');

    const sent = await s.server.sendService.send({ kind: 'text', idempotencyKey: key(), conversationId: onSecond.conversationId, text: 'Second' });
    await eventually(async () => ((await status(s, sent.messageId)) === 'accepted' ? true : undefined), 5000, 'the second number sends');
    await expect(
      s.server.sendService.send({ kind: 'text', idempotencyKey: key(), conversationId: onFirst.conversationId, text: 'Again' }),
    ).rejects.toMatchObject({ code: 'channel_needs_reauthorization' });

    const stored = await s.server.database.db.selectFrom('business_numbers').select(['phone_number_id', 'health_state']).orderBy('id').execute();
    expect(stored.find((row) => row.phone_number_id === first?.phoneNumberId)?.health_state).toBe('needs_reauthorization');
    const health = (await (await fetch(`${s.server.url}/healthz`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'degraded', channel: 'needs_reauthorization' });
    const metrics = await (await fetch(`${s.server.metricsUrl}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^sportello_number_can_send\\{phone_number_id="${first?.phoneNumberId}"\\} 0$`, 'm'));
    expect(metrics).toMatch(new RegExp(`^sportello_number_can_send\\{phone_number_id="${second?.phoneNumberId}"\\} 1$`, 'm'));
  });
});
