/**
 * A conversation taken from an agent into the queue does not go straight back to them. Before the
 * fix, routing filled the queue in the unassign's own transaction and gave the conversation to
 * the member with fewest open conversations, and the agent who had just given it up, online with
 * room, was usually that one: unassigning (by the agent, or by a supervisor, one at a time or in
 * bulk) was undone at once. Now routing passes them over for that conversation: a colleague with
 * room gets it, or it waits until one has room; the agent may still claim it themself.
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

interface Desk {
  readonly t: TestServer;
  readonly device: TestDevice;
  readonly general: number;
  readonly anna: EnrolledAgent;
  readonly bruno: EnrolledAgent;
  readonly sara: EnrolledAgent;
}

/** Anna and Bruno, members of the default team with the capacities given; Sara supervises it. Nobody online yet. */
async function desk(capacities: { anna: number; bruno: number }): Promise<Desk> {
  // A long sweep: every fill here is one a move or an arrival makes in its own transaction.
  const t = await startTestServer({ customers: 6, routing: { sweepMs: 3_600_000 } });
  cleanups.push(() => t.close());
  const device = await approvedDevice(t);
  const general = (await t.server.identity.teams.list()).teams.find((team) => team.isDefault)?.id ?? 0;
  const anna = await enrolledAgent(t, device, 'anna', 'agent', [general]);
  const bruno = await enrolledAgent(t, device, 'bruno', 'agent', [general]);
  const sara = await enrolledAgent(t, device, 'sara', 'supervisor', [general]);
  await t.server.identity.teams.setCapacity(general, anna.agentId, capacities.anna, IT);
  await t.server.identity.teams.setCapacity(general, bruno.agentId, capacities.bruno, IT);
  return { t, device, general, anna, bruno, sara };
}

async function online({ t, device }: Desk, agent: EnrolledAgent): Promise<void> {
  const socket = await openEventSocket(t, device, agent.session.accessToken);
  cleanups.push(() => socket.close());
  await socket.next((event) => event.type === 'ready', 10_000);
}

const holderOf = async ({ t }: Desk, conversationId: number) =>
  (await t.server.database.db.selectFrom('conversations').select('assigned_agent_id').where('id', '=', conversationId).executeTakeFirstOrThrow())
    .assigned_agent_id;

const post = async ({ device }: Desk, path: string, body: unknown, who: EnrolledAgent) => {
  const answer = await device.call('POST', path, body, who.session.accessToken);
  expect(answer.status, `${path}: ${JSON.stringify(answer.body)}`).toBe(200);
};

const arrives = async (d: Desk, index: number) => (await customerWrites(d.t, customer(d.t, index), `Question ${index}`)).conversationId;

describe('an unassigned conversation', () => {
  it('goes to a colleague with room, or waits for one, never straight back to the agent who gave it up; they may still claim it', async () => {
    const d = await desk({ anna: 1, bruno: 2 });
    const { anna, bruno } = d;
    await online(d, bruno);
    const brunos = await arrives(d, 0);
    expect(await holderOf(d, brunos)).toBe(bruno.agentId);
    await online(d, anna);
    // Anna holds none, Bruno one: routing gives the next one to her.
    const first = await arrives(d, 1);
    expect(await holderOf(d, first)).toBe(anna.agentId);

    // She gives it up: she is online with room and holds fewest, yet it goes to Bruno.
    await post(d, `/v1/conversations/${first}/unassign`, { fromAgentId: anna.agentId }, anna);
    expect(await holderOf(d, first)).toBe(bruno.agentId);

    // Bruno is full now: the next one she gives up waits in the queue rather than coming back to her.
    const second = await arrives(d, 2);
    expect(await holderOf(d, second)).toBe(anna.agentId);
    await post(d, `/v1/conversations/${second}/unassign`, { fromAgentId: anna.agentId }, anna);
    expect(await holderOf(d, second)).toBeNull();

    // A newcomer is hers (the one she gave up, older, stays queued ahead of it, passed over for her)...
    const third = await arrives(d, 3);
    expect(await holderOf(d, third)).toBe(anna.agentId);
    expect(await holderOf(d, second)).toBeNull();
    // ...and the one waiting goes to Bruno as soon as he has room.
    await post(d, `/v1/conversations/${brunos}/state`, { state: 'resolved' }, bruno);
    expect(await holderOf(d, second)).toBe(bruno.agentId);

    // What she gave up she may still take back herself: a claim is her own choice.
    await post(d, `/v1/conversations/${third}/state`, { state: 'resolved' }, anna);
    const fourth = await arrives(d, 4);
    expect(await holderOf(d, fourth)).toBe(anna.agentId);
    await post(d, `/v1/conversations/${fourth}/unassign`, { fromAgentId: anna.agentId }, anna);
    expect(await holderOf(d, fourth)).toBeNull();
    await post(d, `/v1/conversations/${fourth}/claim`, {}, anna);
    expect(await holderOf(d, fourth)).toBe(anna.agentId);
  });

  it('taken from an agent by a supervisor, alone or in bulk, goes to a colleague, not back to them', async () => {
    const d = await desk({ anna: 3, bruno: 3 });
    const { anna, bruno, sara } = d;
    await online(d, bruno);
    const brunos = await arrives(d, 0);
    expect(await holderOf(d, brunos)).toBe(bruno.agentId);
    await online(d, anna);
    const annas = await arrives(d, 1);
    expect(await holderOf(d, annas)).toBe(anna.agentId);

    // Sara takes it from Anna into the queue: Bruno gets it, though Anna holds fewer.
    await post(d, `/v1/conversations/${annas}/unassign`, { fromAgentId: anna.agentId }, sara);
    expect(await holderOf(d, annas)).toBe(bruno.agentId);

    // Passing her over lasts until someone holds it: Bruno gives it up in turn, and it goes to Anna, who has room.
    await post(d, `/v1/conversations/${annas}/unassign`, { fromAgentId: bruno.agentId }, bruno);
    expect(await holderOf(d, annas)).toBe(anna.agentId);

    // Sara's bulk reassignment back to the queue passes over Anna just the same.
    const answer = await d.device.call<{ moved: number[] }>('POST', '/v1/conversations/reassign', { conversationIds: [annas] }, sara.session.accessToken);
    expect(answer.status).toBe(200);
    expect(answer.body.moved).toEqual([annas]);
    expect(await holderOf(d, annas)).toBe(bruno.agentId);
  });
});
