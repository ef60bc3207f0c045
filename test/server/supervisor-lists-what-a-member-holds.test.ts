/**
 * What a member holds, for their team's supervisor (GET /v1/supervision/teams/:id/members/:agentId/conversations),
 * on a listening server with its real store: the member's open and pending conversations of that
 * team, most recent first, and none of another team, resolved or snoozed; at most one bulk
 * reassignment's worth, with how many in all. A supervisor of another team is told the team is not
 * found (as one that does not exist), an agent and an admin who supervises nothing are refused by
 * role, and ids that are not ids are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BULK_REASSIGN } from '../../common/api/handover.js';
import type { MemberConversations } from '../../common/api/supervision.js';
import type { TeamView } from '../../common/api/teams.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import type { ApiResponse, TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

/** Customers 0–6 make the first scene; the rest give Bruno more than one reassignment's worth. */
const MANY = MAX_BULK_REASSIGN + 2;

let t: TestServer;
let device: TestDevice;
let irene: EnrolledAgent;
let anna: EnrolledAgent;
let bruno: EnrolledAgent;
let sara: EnrolledAgent;
let vito: EnrolledAgent;
let teamA: number;
let teamB: number;

beforeAll(async () => {
  t = await startTestServer({ customers: 7 + MANY });
  device = await approvedDevice(t, 'supervision-desk');
  irene = await enrolledAgent(t, device, 'irene', 'admin');
  teamA = (await t.server.identity.teams.list()).teams.find((team) => team.isDefault)?.id ?? 0;
  teamB = (await device.call<TeamView>('POST', '/v1/admin/teams', { name: 'Vendite' }, irene.session.accessToken)).body.id;
  anna = await enrolledAgent(t, device, 'anna', 'agent', [teamA, teamB]);
  bruno = await enrolledAgent(t, device, 'bruno', 'agent', [teamA]);
  sara = await enrolledAgent(t, device, 'sara', 'supervisor', [teamA]);
  vito = await enrolledAgent(t, device, 'vito', 'supervisor', [teamB]);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const heldBy = (teamId: number | string, agentId: number | string, who: EnrolledAgent): Promise<ApiResponse<MemberConversations>> =>
  device.call<MemberConversations>('GET', `/v1/supervision/teams/${teamId}/members/${agentId}/conversations`, undefined, who.session.accessToken);
const post = (path: string, body: unknown, who: EnrolledAgent) => device.call('POST', path, body, who.session.accessToken);

/** Customers `from`… write (nobody is online: each waits in team A's queue); their conversations, in that order. */
async function queued(from: number, count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let index = from; index < from + count; index += 1) ids.push((await customerWrites(t, customer(t, index), `Domanda ${index}`)).conversationId);
  return ids;
}

describe('what a member holds, for their supervisor', () => {
  let c: number[];

  it('lists the member’s open and pending conversations of the team, most recent first, and none of another team, resolved or snoozed', async () => {
    c = await queued(0, 7);
    const [c1, c2, c3, c4, c5, c6, c7] = c as [number, number, number, number, number, number, number];
    expect((await post('/v1/conversations/reassign', { conversationIds: [c1, c2, c3, c4, c5, c6], agentId: anna.agentId }, sara)).status).toBe(200);
    expect((await post('/v1/conversations/reassign', { conversationIds: [c7], agentId: bruno.agentId }, sara)).status).toBe(200);
    expect((await post(`/v1/conversations/${c2}/state`, { state: 'pending' }, anna)).status).toBe(200);
    expect((await post(`/v1/conversations/${c4}/transfer`, { agentId: anna.agentId, teamId: teamB }, anna)).status).toBe(200);
    expect((await post(`/v1/conversations/${c5}/state`, { state: 'resolved' }, anna)).status).toBe(200);
    expect((await post(`/v1/conversations/${c6}/state`, { state: 'snoozed', until: Date.now() + 3_600_000 }, anna)).status).toBe(200);

    const annas = await heldBy(teamA, anna.agentId, sara);
    expect(annas.status).toBe(200);
    expect({ ...annas.body, items: annas.body.items.map((item) => [item.id, item.state, item.teamId, item.assignee?.name]) }).toEqual({
      teamId: teamA,
      agentId: anna.agentId,
      items: [
        [c3, 'open', teamA, 'Anna'],
        [c2, 'pending', teamA, 'Anna'],
        [c1, 'open', teamA, 'Anna'],
      ],
      total: 3,
    });
    // The summaries are the inbox's own: the customer and the last message.
    expect(annas.body.items[0]).toMatchObject({ customer: { name: customer(t, 2).name }, lastMessage: { text: 'Domanda 2' } });
    // Team B's supervisor sees what Anna holds there, and nothing of team A's.
    expect((await heldBy(teamB, anna.agentId, vito)).body).toMatchObject({ items: [{ id: c4, teamId: teamB }], total: 1 });
    // Someone who holds nothing here, or no agent at all: nothing.
    expect((await heldBy(teamA, sara.agentId, sara)).body).toEqual({ teamId: teamA, agentId: sara.agentId, items: [], total: 0 });
    expect((await heldBy(teamA, 999_999, sara)).body).toMatchObject({ items: [], total: 0 });
  });

  it('tells a supervisor of another team the team is not found, as one that does not exist, and refuses the rest by role', async () => {
    const notFound = await heldBy(teamB, anna.agentId, sara);
    expect([notFound.status, notFound.body]).toMatchObject([404, { error: { code: 'team_not_found' } }]);
    const missing = await heldBy(999_999, anna.agentId, sara);
    expect([missing.status, (missing.body as unknown as { error: { code: string } }).error.code]).toEqual([404, 'team_not_found']);
    expect(JSON.stringify(notFound.body)).not.toContain('Domanda');
    for (const who of [anna, bruno, irene]) {
      const refused = await heldBy(teamA, anna.agentId, who);
      expect([refused.status, refused.body], who.username).toMatchObject([403, { error: { code: 'forbidden_role' } }]);
    }
    for (const [team, agent] of [
      ['uno', anna.agentId],
      [teamA, 0],
      [teamA, '1.5'],
      [-1, anna.agentId],
    ] as const) {
      const refused = await heldBy(team, agent, sara);
      expect([refused.status, refused.body], `${team}/${agent}`).toMatchObject([400, { error: { code: 'invalid_request' } }]);
    }
  });

  it('gives at most one bulk reassignment’s worth, the most recent, with how many the member holds in all', async () => {
    const many = await queued(7, MANY);
    for (const batch of [many.slice(0, MAX_BULK_REASSIGN), many.slice(MAX_BULK_REASSIGN)])
      expect((await post('/v1/conversations/reassign', { conversationIds: batch, agentId: bruno.agentId }, sara)).status).toBe(200);
    const brunos = await heldBy(teamA, bruno.agentId, sara);
    expect(brunos.body.total).toBe(MANY + 1);
    expect(brunos.body.items.map((item) => item.id)).toEqual([...many].reverse().slice(0, MAX_BULK_REASSIGN));
  }, 120_000);
});
