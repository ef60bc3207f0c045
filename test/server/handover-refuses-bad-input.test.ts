/**
 * Hand-over's bad input, on a listening server: each refusal is a clear coded error and changes
 * nothing (the conversation's row, its history, its notes, the audit log). A transfer to an agent
 * outside the conversation's team (or outside the team named), by someone who is neither its
 * assignee nor a supervisor of its team, to a colleague at capacity (a supervisor may override),
 * naming nobody, an unassign from an assignee it no longer has, a bulk reassignment past its
 * bound, naming a conversation of a team the supervisor does not supervise (answered as a missing
 * one, nothing moved), or to an agent outside a conversation's team.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BULK_REASSIGN } from '../../common/api/handover.js';
import type { TransferTargets } from '../../common/api/handover.js';
import type { TeamView } from '../../common/api/teams.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer;
let device: TestDevice;
let anna: EnrolledAgent;
let bruno: EnrolledAgent;
let carla: EnrolledAgent;
let sara: EnrolledAgent;
let teamA: number;
let teamB: number;

beforeAll(async () => {
  t = await startTestServer({ customers: 6 });
  device = await approvedDevice(t, 'handover-desk');
  const admin = await enrolledAgent(t, device, 'irene', 'admin');
  teamA = (await t.server.identity.teams.list()).teams.find((team) => team.isDefault)?.id ?? 0;
  teamB = (await device.call<TeamView>('POST', '/v1/admin/teams', { name: 'Vendite' }, admin.session.accessToken)).body.id;
  const second = t.sandbox.businesses[1];
  await device.call('POST', `/v1/admin/numbers/${second?.phoneNumberId ?? ''}/team`, { teamId: teamB }, admin.session.accessToken);
  anna = await enrolledAgent(t, device, 'anna', 'agent', [teamA]);
  bruno = await enrolledAgent(t, device, 'bruno', 'agent', [teamA]);
  carla = await enrolledAgent(t, device, 'carla', 'agent', [teamB]);
  sara = await enrolledAgent(t, device, 'sara', 'supervisor', [teamA]);
  await t.server.identity.teams.setCapacity(teamA, bruno.agentId, 1, { name: 'cli:it', agentId: null, sourceAddress: null });
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const post = (path: string, body: unknown, who: EnrolledAgent) => device.call('POST', path, body, who.session.accessToken);

/** A conversation of team A, answered by `who` (so it is theirs). */
async function conversationOf(who: EnrolledAgent, index: number, number = t.sandbox.businesses[0]): Promise<number> {
  const { conversationId } = await customerWrites(t, customer(t, index), 'Buongiorno', number);
  expect((await post('/v1/messages', { idempotencyKey: crypto.randomUUID(), conversationId, kind: 'text', text: 'Eccomi' }, who)).status).toBe(201);
  return conversationId;
}

async function everythingOf(conversationId: number) {
  const { db } = t.server.database;
  return {
    row: await db.selectFrom('conversations').select(['assigned_agent_id', 'team_id', 'state']).where('id', '=', conversationId).executeTakeFirstOrThrow(),
    history: await db.selectFrom('conversation_history').select('id').where('conversation_id', '=', conversationId).execute(),
    notes: await db.selectFrom('notes').select('id').where('conversation_id', '=', conversationId).execute(),
    audit: (await db.selectFrom('audit_log').select('id').execute()).length,
  };
}

async function refused(conversationId: number, ask: () => Promise<{ status: number; body: unknown }>, status: number, code: string) {
  const before = await everythingOf(conversationId);
  const answer = await ask();
  expect(answer, code).toMatchObject({ status, body: { error: { code } } });
  expect(await everythingOf(conversationId), `${code}: nothing changed`).toEqual(before);
}

describe('hand-over refuses bad input', () => {
  it('refuses a transfer to an agent outside the team, by an outsider to the conversation, to nobody, or to a full colleague unless a supervisor makes it', async () => {
    const annas = await conversationOf(anna, 0);
    const transfer = (body: unknown, who = anna) => post(`/v1/conversations/${annas}/transfer`, body, who);
    await refused(annas, () => transfer({ agentId: carla.agentId, note: 'Per te' }), 409, 'transfer_agent_not_in_team');
    await refused(annas, () => transfer({ agentId: bruno.agentId, teamId: teamB }), 409, 'transfer_agent_not_in_team');
    await refused(annas, () => transfer({ note: 'A chi?' }), 400, 'invalid_request');
    await refused(annas, () => transfer({ agentId: bruno.agentId, extra: true }), 400, 'invalid_request');
    await refused(annas, () => transfer({ teamId: 999_999 }), 404, 'team_not_found');
    await refused(annas, () => transfer({ agentId: anna.agentId }), 409, 'handover_unchanged');
    // Bruno sees it? No: it is Anna's. To him it does not exist.
    await refused(annas, () => transfer({ agentId: bruno.agentId }, bruno), 404, 'conversation_not_found');
    // Bruno holds one open conversation, his capacity: Anna's transfer is refused; their supervisor's goes through.
    await conversationOf(bruno, 1);
    // The dialog says so before anyone tries: Bruno is full in team A, Anna is not.
    const targets = await device.call<TransferTargets>('GET', `/v1/conversations/${annas}/transfer-targets`, undefined, anna.session.accessToken);
    const inA = targets.body.teams.find((team) => team.teamId === teamA)?.members ?? [];
    expect(inA.filter((member) => [anna.agentId, bruno.agentId].includes(member.agentId)).map(({ agentId, full }) => ({ agentId, full }))).toEqual(
      expect.arrayContaining([
        { agentId: anna.agentId, full: false },
        { agentId: bruno.agentId, full: true },
      ]),
    );
    await refused(annas, () => transfer({ agentId: bruno.agentId, note: 'Puoi tu?' }), 409, 'transfer_agent_full');
    const bySupervisor = await transfer({ agentId: bruno.agentId }, sara);
    expect(bySupervisor).toMatchObject({ status: 200, body: { conversationId: annas, conversation: { assignedAgentId: bruno.agentId } } });
  });

  it('refuses a claim of a conversation someone has, an unassign by a member who does not have it, or from an assignee it no longer has', async () => {
    const waiting = (await customerWrites(t, customer(t, 2), 'C’è qualcuno?')).conversationId;
    await refused(waiting, () => post(`/v1/conversations/${waiting}/unassign`, { fromAgentId: anna.agentId }, anna), 403, 'handover_not_permitted');
    await refused(waiting, () => post(`/v1/conversations/${waiting}/transfer`, { agentId: bruno.agentId }, anna), 403, 'handover_not_permitted');
    expect((await post(`/v1/conversations/${waiting}/claim`, {}, anna)).status).toBe(200);
    await refused(waiting, () => post(`/v1/conversations/${waiting}/claim`, {}, bruno), 404, 'conversation_not_found');
    await refused(waiting, () => post(`/v1/conversations/${waiting}/claim`, {}, sara), 409, 'conversation_assigned_elsewhere');
    await refused(waiting, () => post(`/v1/conversations/${waiting}/unassign`, { fromAgentId: bruno.agentId }, sara), 409, 'conversation_assignee_changed');
    await refused(waiting, () => post(`/v1/conversations/${waiting}/unassign`, {}, anna), 400, 'invalid_request');
  });

  it('moves a supervisor’s conversations all or nothing: past the bound, one outside their teams, or to an agent outside a team, nothing moves', async () => {
    const first = await conversationOf(anna, 3);
    const second = await conversationOf(anna, 4);
    const elsewhere = await conversationOf(carla, 5, t.sandbox.businesses[1]);
    const bulk = (body: unknown, who = sara) => post('/v1/conversations/reassign', body, who);
    const tooMany = Array.from({ length: MAX_BULK_REASSIGN + 1 }, (_, index) => index + 1);
    await refused(first, () => bulk({ conversationIds: tooMany }), 400, 'invalid_request');
    await refused(first, () => bulk({ conversationIds: [first, first] }), 400, 'invalid_request');
    await refused(first, () => bulk({ conversationIds: [first, second] }, anna), 403, 'forbidden_role');
    const before = await everythingOf(elsewhere);
    await refused(first, () => bulk({ conversationIds: [first, second, elsewhere] }), 404, 'bulk_reassign_not_found');
    expect(await everythingOf(elsewhere)).toEqual(before);
    await refused(second, () => bulk({ conversationIds: [first, second], agentId: carla.agentId }), 409, 'transfer_agent_not_in_team');
    // Valid: both back to team A's queue in one request, each with its history line and audit row.
    const moved = await bulk({ conversationIds: [first, second], note: 'Ridistribuite' });
    expect(moved).toMatchObject({ status: 200, body: { moved: [first, second], unchanged: [] } });
    for (const id of [first, second]) expect((await everythingOf(id)).row).toMatchObject({ assigned_agent_id: null, team_id: teamA });
    const audited = await t.server.database.db.selectFrom('audit_log').select('details_json').where('event', '=', 'conversation.reassigned').execute();
    expect(audited.map((row) => (JSON.parse(row.details_json) as { conversationId: number }).conversationId)).toEqual([first, second]);
    expect(audited.some((row) => row.details_json.includes('Ridistribuite'))).toBe(false);
  });
});
