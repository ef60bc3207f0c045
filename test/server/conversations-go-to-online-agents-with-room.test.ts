/**
 * Assignment within a team over a listening server with the sandbox, real event sockets and the
 * client API: a conversation waits in the team's queue while nobody is online, goes to an agent as
 * they connect, to the one with room, back to the one who resolved the contact's last
 * conversation when they have room, to whoever frees a place by resolving, to a member whose
 * capacity is raised; and an agent offline longer than the team's setting has their conversations
 * put back in the queue by a durable job, each change a history line of routing and an
 * `assignment` event; the requeue is audited. An agent who comes back in time keeps theirs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationHistoryEntry } from '../../common/api/conversation-lifecycle.js';
import type { ServerEvent } from '../../common/api/events.js';
import type { TeamView } from '../../common/api/teams.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, IT, openEventSocket } from '../helpers/identity-setup.js';
import type { EnrolledAgent, EventSocket } from '../helpers/identity-setup.js';
import { runEvery } from '../helpers/run-every.js';
import { eventually } from '../helpers/store-queries.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await runEvery(cleanups.splice(0).reverse());
});

async function desk() {
  const t = await startTestServer({ customers: 6 });
  cleanups.push(() => t.close());
  const device = await approvedDevice(t);
  const general = (await t.server.identity.teams.list()).teams.find((team) => team.isDefault)?.id ?? 0;
  const anna = await enrolledAgent(t, device, 'anna');
  const bruno = await enrolledAgent(t, device, 'bruno');
  const admin = await enrolledAgent(t, device, 'ivo', 'admin');
  for (const agent of [anna, bruno]) await t.server.identity.teams.setCapacity(general, agent.agentId, 1, IT);
  return { t, device, general, anna, bruno, admin };
}

async function connect(t: TestServer, device: TestDevice, agent: EnrolledAgent): Promise<EventSocket> {
  const socket = await openEventSocket(t, device, agent.session.accessToken);
  cleanups.push(() => socket.close());
  await socket.next((event) => event.type === 'ready', 10_000);
  return socket;
}

const holderOf = async (t: TestServer, conversationId: number) =>
  (await t.server.database.db.selectFrom('conversations').select('assigned_agent_id').where('id', '=', conversationId).executeTakeFirstOrThrow())
    .assigned_agent_id;

const heldBy = (t: TestServer, conversationId: number, agentId: number | null) =>
  eventually(async () => ((await holderOf(t, conversationId)) === agentId ? true : undefined), 8000, `conversation ${conversationId} held by ${agentId}`);

/** The feed's `assignment` row as the socket tells it: the conversation, now held by `agentId`. */
const assignedEvent = (conversationId: number, agentId: number) => (event: ServerEvent) =>
  event.type === 'conversation' && event.conversation.id === conversationId && event.conversation.assignedAgentId === agentId;

async function routingLines(device: TestDevice, agent: EnrolledAgent, conversationId: number): Promise<ConversationHistoryEntry[]> {
  const page = await device.call<{ items: ConversationHistoryEntry[] }>(
    'GET',
    `/v1/conversations/${conversationId}/history`,
    undefined,
    agent.session.accessToken,
  );
  expect(page.status).toBe(200);
  return page.body.items.filter((entry) => entry.kind === 'assignment' && entry.cause === 'routing');
}

describe('assignment within a team', () => {
  it('queues while nobody is online, then gives each conversation to an online member with room', async () => {
    const { t, device, general, anna, bruno } = await desk();
    const first = await customerWrites(t, customer(t, 0));
    expect(await holderOf(t, first.conversationId)).toBeNull();

    const annaSocket = await connect(t, device, anna);
    await heldBy(t, first.conversationId, anna.agentId);
    await annaSocket.next(assignedEvent(first.conversationId, anna.agentId), 5000);
    const [line] = await routingLines(device, anna, first.conversationId);
    expect(line).toMatchObject({ assignee: { agentId: anna.agentId, name: 'Anna' }, actor: null, cause: 'routing' });

    // Anna is full (capacity 1): the next waits until Bruno comes.
    const second = await customerWrites(t, customer(t, 1));
    expect(await holderOf(t, second.conversationId)).toBeNull();
    await connect(t, device, bruno);
    await heldBy(t, second.conversationId, bruno.agentId);

    // Both full: the third waits; Anna resolving frees her place and it is hers.
    const third = await customerWrites(t, customer(t, 2));
    expect(await holderOf(t, third.conversationId)).toBeNull();
    const resolved = await device.call('POST', `/v1/conversations/${first.conversationId}/state`, { state: 'resolved' }, anna.session.accessToken);
    expect(resolved.status).toBe(200);
    await heldBy(t, third.conversationId, anna.agentId);

    // A fourth waits; raising Bruno's capacity gives it to him.
    const fourth = await customerWrites(t, customer(t, 3));
    expect(await holderOf(t, fourth.conversationId)).toBeNull();
    await t.server.identity.teams.setCapacity(general, bruno.agentId, 3, IT);
    await heldBy(t, fourth.conversationId, bruno.agentId);

    // The first customer writes again: Bruno holds more (2) but Anna resolved their last one, and she gets room.
    await t.server.identity.teams.setCapacity(general, anna.agentId, 3, IT);
    const again = await customerWrites(t, customer(t, 0), 'Me again');
    expect(again.conversationId).not.toBe(first.conversationId);
    await heldBy(t, again.conversationId, anna.agentId);
  });

  it('puts an offline agent’s conversations back in the queue after the team’s time, waiting from then, unless they come back', async () => {
    const { t, device, general, anna, bruno, admin } = await desk();
    const setting = await device.call<TeamView>('POST', `/v1/admin/teams/${general}`, { offlineRequeueAfterSeconds: 1 }, admin.session.accessToken);
    expect(setting.status).toBe(200);
    expect(setting.body.offlineRequeueAfterSeconds).toBe(1);

    const annaSocket = await connect(t, device, anna);
    const older = await customerWrites(t, customer(t, 0));
    await heldBy(t, older.conversationId, anna.agentId);

    const queuedAt = async () =>
      (await t.server.database.db.selectFrom('conversations').select('queued_at').where('id', '=', older.conversationId).executeTakeFirstOrThrow()).queued_at;
    // Held, it waits in no queue.
    expect(await queuedAt()).toBeNull();
    const requeues = () => t.server.database.db.selectFrom('jobs').select(['state']).where('kind', '=', 'team.offline_requeue').orderBy('id').execute();
    // Away a moment and back before the time: her requeue is cancelled and she keeps it.
    annaSocket.close();
    await eventually(async () => ((await requeues()).length === 1 ? true : undefined), 5000, 'a requeue scheduled');
    const annaAgain = await connect(t, device, anna);
    await eventually(async () => ((await requeues())[0]?.state === 'cancelled' ? true : undefined), 5000, 'the requeue cancelled');
    expect(await holderOf(t, older.conversationId)).toBe(anna.agentId);

    // Gone for good: after a second it goes back to the queue, and Bruno, coming online, takes it.
    annaAgain.close();
    await heldBy(t, older.conversationId, null);
    // Back in the queue, it waits from its requeue (routing's line putting it back), not from when it first came.
    const requeuedAt = await t.server.database.db
      .selectFrom('conversation_history')
      .select('at')
      .where('conversation_id', '=', older.conversationId)
      .where('kind', '=', 'assignment')
      .where('assigned_agent_id', 'is', null)
      .executeTakeFirstOrThrow();
    expect(await queuedAt()).toBe(Number(requeuedAt.at));
    const brunoSocket = await connect(t, device, bruno);
    await heldBy(t, older.conversationId, bruno.agentId);
    await brunoSocket.next(assignedEvent(older.conversationId, bruno.agentId), 5000);
    const history = (await routingLines(device, bruno, older.conversationId)).map((entry) => entry.assignee?.agentId ?? null);
    expect(history).toEqual([bruno.agentId, null, anna.agentId]);

    const audited = await t.server.database.db
      .selectFrom('audit_log')
      .select(['event', 'details_json'])
      .where('event', '=', 'conversation.requeued_offline')
      .execute();
    expect(audited).toHaveLength(1);
    expect(JSON.parse(audited[0]?.details_json ?? '{}')).toMatchObject({ subjectAgentId: anna.agentId, teamId: general, requeued: 1 });
    expect((await requeues()).map((job) => job.state)).toEqual(['cancelled', 'done']);
  });
});
