/**
 * The team queue as the server lists it (GET /v1/conversations?filter=unassigned&state=open):
 * oldest waiting first, by since when each waits (`queued_at`), not by the latest message; in
 * pages of every size by its keyset cursor; a conversation the customer writes to again keeps its
 * place, one taken and put back goes to the end. Every other list stays newest first. The
 * server's clock moves ten seconds between arrivals, so no two wait since the same moment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationPage } from '../../common/api/inbox.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const STEP = 10_000;

let t: TestServer;
let device: TestDevice;
let anna: EnrolledAgent;
let offset = 0;

beforeAll(async () => {
  t = await startTestServer({ customers: 4, now: () => Date.now() + offset });
  device = await approvedDevice(t, 'queue-order-desk');
  anna = await enrolledAgent(t, device, 'anna');
}, 60_000);

afterAll(async () => {
  await t?.close();
});

async function listed(filter: string, limit: number): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages += 1) {
    const query = new URLSearchParams({ filter, state: 'open', limit: String(limit), ...(cursor === null ? {} : { cursor }) });
    const page: { status: number; body: ConversationPage } = await device.call<ConversationPage>(
      'GET',
      `/v1/conversations?${query.toString()}`,
      undefined,
      anna.session.accessToken,
    );
    expect(page.status).toBe(200);
    ids.push(...page.body.items.map((item) => item.id));
    cursor = page.body.nextCursor;
    if (cursor === null) return ids;
  }
  throw new Error('the list never ended');
}

const queueInEveryPageSize = async (want: number[]) => {
  for (const limit of [1, 2, 50]) expect(await listed('unassigned', limit), `by ${limit}`).toEqual(want);
};

describe('the queue on the server', () => {
  it('is listed oldest waiting first, whoever wrote last, and one put back goes to its end', async () => {
    const arrived: number[] = [];
    for (let index = 0; index < 4; index += 1) {
      offset += STEP;
      arrived.push((await customerWrites(t, customer(t, index))).conversationId);
    }
    const [first, second, third, fourth] = arrived as [number, number, number, number];
    // The first customer writes again: among the newest activity, and still the longest wait.
    offset += STEP;
    expect((await customerWrites(t, customer(t, 0), 'Still there?')).conversationId).toBe(first);
    await queueInEveryPageSize([first, second, third, fourth]);
    // The list of all stays newest activity first (the sandbox stamps messages to the second: ties by id).
    const all = await device.call<ConversationPage>('GET', '/v1/conversations?filter=all&state=open&limit=50', undefined, anna.session.accessToken);
    const newestFirst = [...all.body.items].sort((a, b) => (b.lastMessageAt ?? 0) - (a.lastMessageAt ?? 0) || b.id - a.id);
    expect(all.body.items.map((item) => item.id)).toEqual(newestFirst.map((item) => item.id));
    expect(all.body.items.map((item) => item.id)).not.toEqual([first, second, third, fourth]);

    // Anna takes the first and puts it back: it waits from then, behind the others.
    offset += STEP;
    expect((await device.call('POST', `/v1/conversations/${first}/claim`, {}, anna.session.accessToken)).status).toBe(200);
    await queueInEveryPageSize([second, third, fourth]);
    expect(await listed('mine', 50)).toEqual([first]);
    offset += STEP;
    expect((await device.call('POST', `/v1/conversations/${first}/unassign`, { fromAgentId: anna.agentId }, anna.session.accessToken)).status).toBe(200);
    await queueInEveryPageSize([second, third, fourth, first]);
  });
});
