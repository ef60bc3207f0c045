/**
 * Regression: the feed's delivery loop awaited only promises that were already settled (the
 * store answers synchronously), so a replay or a delivery pass, however long, ran to its end
 * before the server read another request: webhooks waited for the event feed. Now the feed gives
 * the event loop back between reads of the feed. Shown by order, not by time: a webhook posted
 * once the first frame of a long replay has arrived is acknowledged before the replay ends.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, openEventSocket } from '../helpers/identity-setup.js';
import type { EventSocket } from '../helpers/identity-setup.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer | undefined;
const sockets: EventSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await t?.close();
  t = undefined;
});

describe('a long replay', () => {
  it('lets a webhook be acknowledged before it ends', async () => {
    // One feed row per read: the replay below takes a few hundred reads.
    const server = await startTestServer({ customers: 4, eventFeed: { batchSize: 1 } });
    t = server;
    const device = await approvedDevice(server);
    const chief = await enrolledAgent(server, device, 'chief', 'supervisor');
    await Promise.all(Array.from({ length: 150 }, (_, i) => customerWrites(server, customer(server, i % 4), `message ${i}`)));

    const order: string[] = [];
    const replay = await openEventSocket(server, device, chief.session.accessToken, 0);
    sockets.push(replay);
    let posted: Promise<void> | undefined;
    replay.socket.on('message', () => {
      posted ??= server.customers.write(customer(server, 0), { type: 'text', text: { body: 'Anyone there?' } }).then(({ delivered }) => {
        expect(delivered).toBe(true);
        order.push('webhook acknowledged');
      });
    });
    await replay.next((event) => event.type === 'ready', 20_000);
    order.push('replay ready');
    await posted;
    expect(order).toEqual(['webhook acknowledged', 'replay ready']);
  }, 60_000);
});
