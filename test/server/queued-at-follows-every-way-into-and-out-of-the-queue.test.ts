/**
 * `conversations.queued_at`, the one "queued since" (server/inbox/queue-wait.ts), over a listening
 * server with the sandbox and the API: set on every way a conversation enters its team's queue (a
 * new conversation nobody takes, unassigned, transferred to a team's queue, the customer writing
 * to a pending one, a snooze woken, reopened, its agent removed from the team, its team removed
 * and merged into another) to that moment, and cleared on every way out (routing, a claim, a
 * reply, a transfer to an agent, pending, snoozed, resolved). A requeued conversation waits from
 * its requeue, not from when it first came. The server's clock is moved ten seconds between steps, so
 * "since then" and "since before" cannot be confused. The views read the same column.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../common/api/inbox.js';
import type { TeamView } from '../../common/api/teams.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, IT, openEventSocket } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import { eventually } from '../helpers/store-queries.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

/** Each step moves the server's clock this far: far more than a step takes, less than a session lasts. */
const STEP = 10_000;

let t: TestServer;
let device: TestDevice;
let admin: EnrolledAgent;
let anna: EnrolledAgent;
let bruno: EnrolledAgent;
let carla: EnrolledAgent;
let dora: EnrolledAgent;
let sara: EnrolledAgent;
let teamA: number;
let teamB: number;
let offset = 0;

beforeAll(async () => {
  t = await startTestServer({ customers: 8, now: () => Date.now() + offset });
  device = await approvedDevice(t, 'queue-desk');
  admin = await enrolledAgent(t, device, 'irene', 'admin');
  teamA = (await t.server.identity.teams.list()).teams.find((team) => team.isDefault)?.id ?? 0;
  teamB = (await device.call<TeamView>('POST', '/v1/admin/teams', { name: 'Vendite' }, admin.session.accessToken)).body.id;
  anna = await enrolledAgent(t, device, 'anna', 'agent', [teamA]);
  bruno = await enrolledAgent(t, device, 'bruno', 'agent', [teamA]);
  carla = await enrolledAgent(t, device, 'carla', 'agent', [teamB]);
  dora = await enrolledAgent(t, device, 'dora', 'agent', [teamA]);
  sara = await enrolledAgent(t, device, 'sara', 'supervisor', [teamA, teamB]);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const post = (path: string, body: unknown, who: EnrolledAgent) => device.call('POST', path, body, who.session.accessToken);

async function queuedAt(conversationId: number): Promise<number | null> {
  const row = await t.server.database.db.selectFrom('conversations').select('queued_at').where('id', '=', conversationId).executeTakeFirstOrThrow();
  return row.queued_at === null ? null : Number(row.queued_at);
}

/** The server's clock moves a step on; `act` runs; answers the server times it may have run at. */
async function aStepLater<T>(act: () => Promise<T>): Promise<{ result: T; from: number; to: number }> {
  offset += STEP;
  const from = Date.now() + offset;
  const result = await act();
  return { result, from, to: Date.now() + offset };
}

/** The conversation waits in the queue since a moment within `during`, and the API says so too. */
async function waitsSince(conversationId: number, during: { from: number; to: number }, who: EnrolledAgent = sara): Promise<number> {
  const at = await queuedAt(conversationId);
  expect(at).not.toBeNull();
  expect(at).toBeGreaterThanOrEqual(during.from);
  expect(at).toBeLessThanOrEqual(during.to);
  const view = await device.call<ConversationSummary>('GET', `/v1/conversations/${conversationId}`, undefined, who.session.accessToken);
  expect(view.body.queuedSince).toBe(at);
  return at ?? 0;
}

const ok = async (answer: Promise<{ status: number; body: unknown }>, status = 200) => {
  const { status: got, body } = await answer;
  expect(got, JSON.stringify(body)).toBe(status);
};

describe('queued_at', () => {
  it('is set when a new conversation finds nobody, and cleared when routing, a claim or a reply takes it', async () => {
    const first = await aStepLater(() => customerWrites(t, customer(t, 0)));
    await waitsSince(first.result.conversationId, first);

    // Anna comes online with room for one: routing gives it to her, and it waits no more (and she takes no other).
    await t.server.identity.teams.setCapacity(teamA, anna.agentId, 1, IT);
    const socket = await openEventSocket(t, device, anna.session.accessToken);
    try {
      await socket.next((event) => event.type === 'ready', 10_000);
      await eventually(async () => ((await queuedAt(first.result.conversationId)) === null ? true : undefined), 8000, 'routed out of the queue');
    } finally {
      socket.close();
    }

    const second = await aStepLater(() => customerWrites(t, customer(t, 1)));
    await waitsSince(second.result.conversationId, second);
    await ok(post(`/v1/conversations/${second.result.conversationId}/claim`, {}, bruno));
    expect(await queuedAt(second.result.conversationId)).toBeNull();

    const third = await aStepLater(() => customerWrites(t, customer(t, 2)));
    await waitsSince(third.result.conversationId, third);
    await ok(
      post('/v1/messages', { idempotencyKey: crypto.randomUUID(), conversationId: third.result.conversationId, kind: 'text', text: 'Eccomi' }, bruno),
      201,
    );
    expect(await queuedAt(third.result.conversationId)).toBeNull();
  });

  it('restarts when it is unassigned or transferred to another team’s queue, and is cleared by a transfer to an agent', async () => {
    const { conversationId } = await customerWrites(t, customer(t, 3));
    await ok(post(`/v1/conversations/${conversationId}/claim`, {}, bruno));
    expect(await queuedAt(conversationId)).toBeNull();

    const unassigned = await aStepLater(() => ok(post(`/v1/conversations/${conversationId}/unassign`, { fromAgentId: bruno.agentId }, bruno)));
    const back = await waitsSince(conversationId, unassigned);

    const transferred = await aStepLater(() => ok(post(`/v1/conversations/${conversationId}/transfer`, { teamId: teamB, note: 'Per le vendite' }, sara)));
    expect(await waitsSince(conversationId, transferred)).toBeGreaterThan(back);

    await ok(post(`/v1/conversations/${conversationId}/transfer`, { agentId: carla.agentId, teamId: teamB }, sara));
    expect(await queuedAt(conversationId)).toBeNull();
  });

  it('is cleared by pending, snoozed and resolved, and set again when the customer writes, the snooze wakes, or it is reopened without an owner', async () => {
    const { conversationId } = await customerWrites(t, customer(t, 4));
    const state = (body: unknown) => ok(post(`/v1/conversations/${conversationId}/state`, body, anna));

    await state({ state: 'pending' });
    expect(await queuedAt(conversationId)).toBeNull();
    const wrote = await aStepLater(() => customerWrites(t, customer(t, 4), 'Any news?'));
    expect(wrote.result.conversationId).toBe(conversationId);
    await waitsSince(conversationId, wrote);

    const until = Date.now() + offset + STEP;
    await state({ state: 'snoozed', until });
    expect(await queuedAt(conversationId)).toBeNull();
    // Its time comes: the job wakes it, and it waits from then (the server's clock, past `until`).
    offset += 2 * STEP;
    const from = Date.now() + offset;
    await eventually(async () => ((await queuedAt(conversationId)) === null ? undefined : true), 10_000, 'woken back into the queue');
    await waitsSince(conversationId, { from, to: Date.now() + offset });

    await state({ state: 'resolved' });
    expect(await queuedAt(conversationId)).toBeNull();
    const reopened = await aStepLater(() => state({ state: 'open' }));
    await waitsSince(conversationId, reopened);
  });

  it('restarts when the agent holding it leaves the team, and when its team is removed into another', async () => {
    const held = await customerWrites(t, customer(t, 5));
    await ok(post(`/v1/conversations/${held.conversationId}/claim`, {}, dora));
    const removed = await aStepLater(() => t.server.identity.teams.removeMember(teamA, dora.agentId, IT));
    expect(removed.result.members.some((member) => member.agentId === dora.agentId)).toBe(false);
    await waitsSince(held.conversationId, removed);

    // Team C, with a number of its own: one conversation waits in its queue, one is held by its member Dora, who is not in B.
    const teamC = (await device.call<TeamView>('POST', '/v1/admin/teams', { name: 'Resi' }, admin.session.accessToken)).body.id;
    await t.server.identity.teams.addMember(teamC, { agentId: dora.agentId, capacity: 5 }, IT);
    const number = t.sandbox.businesses[1];
    await ok(device.call('POST', `/v1/admin/numbers/${number?.phoneNumberId ?? ''}/team`, { teamId: teamC }, admin.session.accessToken));
    const waiting = (await customerWrites(t, customer(t, 6), 'Reso', number)).conversationId;
    const holding = (await customerWrites(t, customer(t, 7), 'Reso', number)).conversationId;
    await ok(post(`/v1/conversations/${holding}/claim`, {}, dora));
    const before = await queuedAt(waiting);
    expect(before).not.toBeNull();
    expect(await queuedAt(holding)).toBeNull();

    const merged = await aStepLater(() => t.server.identity.teams.remove(teamC, { moveConversationsTo: teamB }, IT));
    expect(merged.result).toMatchObject({ movedConversations: 2, movedTo: teamB });
    expect(await waitsSince(waiting, merged)).toBeGreaterThan(before ?? 0);
    await waitsSince(holding, merged);
    const rows = await t.server.database.db
      .selectFrom('conversations')
      .select(['team_id', 'assigned_agent_id'])
      .where('id', 'in', [waiting, holding])
      .execute();
    expect(rows).toEqual([
      { team_id: teamB, assigned_agent_id: null },
      { team_id: teamB, assigned_agent_id: null },
    ]);
  });
});
