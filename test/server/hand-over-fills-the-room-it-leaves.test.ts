/**
 * A hand-over opens room as routing does: in its own transaction, the agent who gave a
 * conversation up gets the oldest one waiting in their team's queue, and a conversation sent to a
 * queue goes to an online member with room. Before the fix a transfer left its sender's place
 * empty until the next sweep (15 s), and a queue was filled by a second commit after the answer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, IT, openEventSocket } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import { runEvery } from '../helpers/run-every.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await runEvery(cleanups.splice(0).reverse());
});

const holderOf = async (t: TestServer, conversationId: number) =>
  (await t.server.database.db.selectFrom('conversations').select('assigned_agent_id').where('id', '=', conversationId).executeTakeFirstOrThrow())
    .assigned_agent_id;

async function online(t: TestServer, device: TestDevice, agent: EnrolledAgent): Promise<void> {
  const socket = await openEventSocket(t, device, agent.session.accessToken);
  cleanups.push(() => socket.close());
  await socket.next((event) => event.type === 'ready', 10_000);
}

describe('a hand-over', () => {
  it('gives the room it leaves and the queue it fills to online members in its own transaction', async () => {
    // A long sweep: nothing here may wait for it.
    const t = await startTestServer({ customers: 4, routing: { sweepMs: 3_600_000 } });
    cleanups.push(() => t.close());
    const device = await approvedDevice(t);
    const general = (await t.server.identity.teams.list()).teams.find((team) => team.isDefault)?.id ?? 0;
    const anna = await enrolledAgent(t, device, 'anna');
    const bruno = await enrolledAgent(t, device, 'bruno');
    for (const agent of [anna, bruno]) await t.server.identity.teams.setCapacity(general, agent.agentId, 1, IT);
    await online(t, device, anna);
    const first = await customerWrites(t, customer(t, 0), 'The first question');
    expect(await holderOf(t, first.conversationId)).toBe(anna.agentId);
    const waiting = await customerWrites(t, customer(t, 1), 'A second question');
    expect(await holderOf(t, waiting.conversationId)).toBeNull();

    // Bruno is away, so routing gives him nothing; Anna hands him the first one and has room again.
    await device.call('POST', '/v1/me/availability', { available: false }, bruno.session.accessToken);
    const transferred = await device.call('POST', `/v1/conversations/${first.conversationId}/transfer`, { agentId: bruno.agentId }, anna.session.accessToken);
    expect(transferred.status).toBe(200);
    expect(await holderOf(t, first.conversationId)).toBe(bruno.agentId);
    expect(await holderOf(t, waiting.conversationId)).toBe(anna.agentId);

    // Bruno, still away, sends it back to the queue: Anna is full, so it waits; she resolves hers and gets it.
    const queued = await device.call('POST', `/v1/conversations/${first.conversationId}/transfer`, { teamId: general }, bruno.session.accessToken);
    expect(queued.status).toBe(200);
    expect(await holderOf(t, first.conversationId)).toBeNull();
    const resolved = await device.call('POST', `/v1/conversations/${waiting.conversationId}/state`, { state: 'resolved' }, anna.session.accessToken);
    expect(resolved.status).toBe(200);
    expect(await holderOf(t, first.conversationId)).toBe(anna.agentId);
  });
});
