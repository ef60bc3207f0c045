/**
 * Regression: the feed queued every event for every socket however far behind its reader was, so
 * one workstation that stopped reading grew the server's memory without bound and was never told.
 * Now a live socket holding more unsent bytes than the cap is closed with `tooSlow` (4008) after
 * what it was sent; the others get everything meanwhile, and the slow one resumes from its seq
 * with nothing missed or doubled. The slow reader is real: a proxy that stops reading the
 * server's bytes, so they pile up in the kernel's buffers and then in the server's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EVENTS_CLOSE } from '../../common/api/events.js';
import type { ServerEvent } from '../../common/api/events.js';
import { customer } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, openEventSocket } from '../helpers/identity-setup.js';
import type { EventSocket } from '../helpers/identity-setup.js';
import { eventually } from '../helpers/store-queries.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer | undefined;
let proxy: TcpProxy | undefined;
const sockets: EventSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await proxy?.close();
  await t?.close();
  proxy = undefined;
  t = undefined;
});

const CAP = 64 * 1024;
/** Long enough that a few thousand fill the loopback buffers (several MB) and then the cap. */
const LONG_TEXT = 'Buongiorno, vi scrivo per il mio ordine. '.repeat(100);
/** Bounded: the loopback buffers take a few MB at most. */
const MAX_MESSAGES = 4000;

const messageIdsOf = (events: readonly ServerEvent[]) => events.flatMap((event) => (event.type === 'message' ? [event.message.id] : []));
const seqsOf = (events: readonly ServerEvent[]) => events.flatMap((event) => ('seq' in event ? [event.seq] : []));

describe('a socket that reads too slowly', () => {
  it('is closed with tooSlow past the cap, holds nobody back, and resumes from its seq with nothing missed or doubled', async () => {
    const server = await startTestServer({ customers: 8, eventFeed: { maxBufferedBytes: CAP } });
    t = server;
    const network = await TcpProxy.start(Number(new URL(server.server.url).port));
    proxy = network;
    const device = await approvedDevice(server);
    const chief = await enrolledAgent(server, device, 'chief', 'supervisor');
    const slow = await openEventSocket(server, device, chief.session.accessToken, 0, { port: network.port });
    const healthy = await openEventSocket(server, device, chief.session.accessToken);
    sockets.push(slow, healthy);
    await Promise.all([slow.next((event) => event.type === 'ready'), healthy.next((event) => event.type === 'ready')]);
    expect(server.server.eventFeed.connectionCount).toBe(2);

    // The slow workstation stops reading; customers keep writing until the server gives up on it.
    network.stall(true);
    const written: string[] = [];
    while (server.server.eventFeed.connectionCount === 2 && written.length < MAX_MESSAGES) {
      const burst = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          server.customers.write(customer(server, i % 8), { type: 'text', text: { body: `${LONG_TEXT} (${written.length + i})` } }),
        ),
      );
      expect(burst.every((sent) => sent.delivered)).toBe(true);
      written.push(...burst.map((sent) => sent.wamid));
    }
    expect(server.server.eventFeed.connectionCount, `the slow socket was still served after ${written.length} messages`).toBe(1);

    // The healthy socket got every message meanwhile, once each.
    const rows = await server.server.database.db.selectFrom('messages').select(['id', 'wamid']).where('wamid', 'in', written).execute();
    const allIds = rows.map((row) => row.id).sort((a, b) => a - b);
    expect(allIds).toHaveLength(written.length);
    await eventually(
      () => Promise.resolve(messageIdsOf(healthy.events).length >= allIds.length ? true : undefined),
      20_000,
      'every message on the healthy socket',
    );
    expect([...messageIdsOf(healthy.events)].sort((a, b) => a - b)).toEqual(allIds);

    // The slow reader catches up on what it was sent, then finds the close that tells it to resume.
    network.stall(false);
    const closed = await slow.closed;
    expect(closed.code).toBe(EVENTS_CLOSE.tooSlow);
    const before = messageIdsOf(slow.events);
    expect(new Set(before).size).toBe(before.length);
    expect(before.length).toBeLessThan(allIds.length);
    const seqs = seqsOf(slow.events);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    const resumed = await openEventSocket(server, device, chief.session.accessToken, Math.max(...seqs), { port: network.port });
    sockets.push(resumed);
    await resumed.next((event) => event.type === 'ready', 20_000);
    const after = messageIdsOf(resumed.events);
    expect([...before, ...after].sort((a, b) => a - b)).toEqual(allIds);
    expect(resumed.events.some((event) => event.type === 'resync')).toBe(false);
    expect(await server.server.metrics.eventSocketsTooSlow.get()).toMatchObject({ values: [{ value: 1 }] });
  }, 120_000);
});
