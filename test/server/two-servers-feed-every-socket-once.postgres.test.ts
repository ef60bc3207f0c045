/**
 * Two servers on one PostgreSQL database, as two replicas would be (docs/store.md, "The test that
 * proves it"): webhooks go through both at once, an event socket is open on each, and every
 * socket gets every message in seq order, none twice; a socket that reconnects to the other
 * server with its last seq gets what it missed and nothing again. Each server numbers its own
 * commits and, at its feed's poll, the other's. PostgreSQL only (the `postgres` project): two
 * servers in one process cannot share one SQLite file's write lock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedEvent, ServerEvent } from '../../common/api/events.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, openEventSocket } from '../helpers/identity-setup.js';
import type { EventSocket } from '../helpers/identity-setup.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  // The second first: the first made the data directory (and database) and removes it.
  for (const server of servers.splice(0).reverse()) await server.close();
});

const isFeed = (event: ServerEvent): event is FeedEvent => event.type === 'message' || event.type === 'status' || event.type === 'conversation';
const feedOf = (socket: EventSocket) => socket.events.filter(isFeed);
const messageIdsOf = (socket: EventSocket) =>
  new Set(feedOf(socket).flatMap((event) => (event.type === 'message' || event.type === 'status' ? [event.message.id] : [])));

function expectInSeqOrderOnce(socket: EventSocket, after = 0): void {
  const seqs = feedOf(socket).map((event) => event.seq);
  expect(seqs.every((seq, i) => seq > (i === 0 ? after : (seqs[i - 1] ?? 0)))).toBe(true);
}

async function writeThroughBoth(a: TestServer, b: TestServer, rounds: number, label: string): Promise<number[]> {
  const written = await Promise.all(
    Array.from({ length: rounds }, (_, i) =>
      // Each server has customers of its own, so the two never open the same conversation at once.
      i % 2 === 0 ? customerWrites(a, customer(a, (i / 2) % 2), `${label} ${i}`) : customerWrites(b, customer(b, 2 + (((i - 1) / 2) % 2)), `${label} ${i}`),
    ),
  );
  return written.map((message) => message.messageId);
}

describe('two servers on one PostgreSQL database', () => {
  it('give every event socket, on either, every message once in seq order, also after reconnecting to the other', async () => {
    const a = await startTestServer();
    servers.push(a);
    const b = await startTestServer({ dataDir: a.dataDir });
    servers.push(b);
    const device = await approvedDevice(a);
    const agent = await enrolledAgent(a, device, 'rita', 'supervisor');
    const token = agent.session.accessToken;

    const onA = await openEventSocket(a, device, token);
    const onB = await openEventSocket(b, device, token);
    await Promise.all([onA.next((event) => event.type === 'ready'), onB.next((event) => event.type === 'ready')]);

    const first = await writeThroughBoth(a, b, 12, 'first');
    for (const socket of [onA, onB]) {
      await eventually(() => Promise.resolve(first.every((id) => messageIdsOf(socket).has(id)) ? true : undefined), 10_000, 'every message on both sockets');
      expectInSeqOrderOnce(socket);
    }

    // The socket on A goes; it comes back on B with the last seq it saw.
    onA.close();
    await onA.closed;
    const lastSeq = Math.max(...feedOf(onA).map((event) => event.seq));
    const missed = await writeThroughBoth(a, b, 8, 'missed');
    const back = await openEventSocket(b, device, token, lastSeq);
    await back.next((event) => event.type === 'ready');
    await eventually(
      () => Promise.resolve(missed.every((id) => messageIdsOf(back).has(id)) ? true : undefined),
      10_000,
      'the missed messages after reconnecting',
    );
    expectInSeqOrderOnce(back, lastSeq);
    expect([...messageIdsOf(back)].filter((id) => first.includes(id))).toEqual([]);
    await eventually(() => Promise.resolve(missed.every((id) => messageIdsOf(onB).has(id)) ? true : undefined), 10_000, 'the missed messages on B');
    expectInSeqOrderOnce(onB);
    back.close();
    onB.close();
  }, 60_000);
});
