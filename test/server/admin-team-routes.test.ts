/**
 * The admin routes the teams screen uses, on a listening server with its real store: an admin
 * creates a team, adds a member with a capacity and a supervisor, sets a capacity, names the team
 * of a number, changes an agent's roles, renames and removes a team; each audited with the admin
 * as actor. Bad input (a capacity below zero, an unknown agent, a duplicate name, a team removed
 * while it holds conversations without a target) and callers who are not admins are refused with
 * a coded error, and nothing changes. A member added or removed sees what the change says at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentView } from '../../common/api/admin.js';
import type { ConversationPage } from '../../common/api/inbox.js';
import type { TeamList, TeamRemoved, TeamView } from '../../common/api/teams.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import type { ApiResponse, TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer;
let device: TestDevice;
let admin: EnrolledAgent;
let bruno: EnrolledAgent;
let sara: EnrolledAgent;
let general: number;

const call = <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, token = admin.session.accessToken): Promise<ApiResponse<T>> =>
  device.call<T>(method, path, body, token);

async function snapshot() {
  const db = t.server.database.db;
  return {
    teams: (await call<TeamList>('GET', '/v1/admin/teams')).body,
    conversations: await db.selectFrom('conversations').select(['id', 'team_id', 'assigned_agent_id']).orderBy('id').execute(),
    agents: await db.selectFrom('agents').select(['id', 'roles']).orderBy('id').execute(),
    numbers: await db.selectFrom('business_numbers').select(['phone_number_id', 'default_team_id']).orderBy('id').execute(),
    audit: (await db.selectFrom('audit_log').select('id').execute()).length,
  };
}

const listedFor = async (agent: EnrolledAgent) =>
  (await call<ConversationPage>('GET', '/v1/conversations?filter=all', undefined, agent.session.accessToken)).body.items.map((item) => item.id);

beforeAll(async () => {
  t = await startTestServer();
  device = await approvedDevice(t, 'teams-desk');
  admin = await enrolledAgent(t, device, 'irene', 'admin');
  bruno = await enrolledAgent(t, device, 'bruno', 'agent', []);
  sara = await enrolledAgent(t, device, 'sara', 'supervisor', []);
  general = (await t.server.identity.teams.list()).teams.find((team) => team.isDefault)?.id ?? 0;
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('the admin team routes', () => {
  let vendite: TeamView;

  it('create a team, add a member and a supervisor, who see its conversations at once; all audited under the admin', async () => {
    const created = await call<TeamView>('POST', '/v1/admin/teams', { name: 'Vendite', description: 'Vendite Italia' });
    expect(created.status).toBe(201);
    vendite = created.body;
    const second = t.sandbox.businesses[1]?.phoneNumberId ?? '';
    expect((await call('POST', `/v1/admin/numbers/${second}/team`, { teamId: vendite.id })).status).toBe(200);
    const waiting = await customerWrites(t, customer(t, 0), 'Un preventivo, per favore', t.sandbox.businesses[1]);
    expect(await listedFor(bruno)).toEqual([]);

    const member = await call<TeamView>('POST', `/v1/admin/teams/${vendite.id}/members`, { agentId: bruno.agentId, capacity: 4 });
    expect(member.body.members).toEqual([expect.objectContaining({ agentId: bruno.agentId, capacity: 4 })]);
    expect(await listedFor(bruno)).toEqual([waiting.conversationId]);
    expect((await call('POST', `/v1/admin/teams/${vendite.id}/supervisors`, { agentId: sara.agentId })).status).toBe(200);
    expect(await listedFor(sara)).toEqual([waiting.conversationId]);
    const capacity = await call<TeamView>('POST', `/v1/admin/teams/${vendite.id}/members/${bruno.agentId}`, { capacity: 0 });
    expect(capacity.body.members[0]?.capacity).toBe(0);

    const audit = await t.server.database.db
      .selectFrom('audit_log')
      .select(['event', 'actor', 'agent_id'])
      .where('event', 'like', 'team.%')
      .orderBy('id')
      .execute();
    expect(audit.map((row) => row.event)).toEqual(['team.created', 'team.member_added', 'team.supervisor_added', 'team.capacity_set']);
    expect(audit.every((row) => row.agent_id === admin.agentId && row.actor === `agent:${admin.agentId}:irene`)).toBe(true);
  });

  const refusals: ReadonlyArray<readonly [string, 'POST' | 'DELETE', () => string, () => unknown, number, string]> = [
    ['a capacity below zero', 'POST', () => `/v1/admin/teams/${vendite.id}/members/${bruno.agentId}`, () => ({ capacity: -1 }), 400, 'invalid_request'],
    ['an offline requeue time below zero', 'POST', () => `/v1/admin/teams/${vendite.id}`, () => ({ offlineRequeueAfterSeconds: -1 }), 400, 'invalid_request'],
    [
      'an offline requeue time in fractions',
      'POST',
      () => `/v1/admin/teams/${vendite.id}`,
      () => ({ offlineRequeueAfterSeconds: 1.5 }),
      400,
      'invalid_request',
    ],
    [
      'an offline requeue time past a week',
      'POST',
      () => `/v1/admin/teams/${vendite.id}`,
      () => ({ offlineRequeueAfterSeconds: 604_801 }),
      400,
      'invalid_request',
    ],
    [
      'a member with a capacity below zero',
      'POST',
      () => `/v1/admin/teams/${general}/members`,
      () => ({ agentId: sara.agentId, capacity: -3 }),
      400,
      'invalid_request',
    ],
    ['an unknown agent', 'POST', () => `/v1/admin/teams/${vendite.id}/members`, () => ({ agentId: 999_999, capacity: 2 }), 404, 'agent_not_found'],
    ['an unknown team', 'POST', () => '/v1/admin/teams/999999/supervisors', () => ({ agentId: sara.agentId }), 404, 'team_not_found'],
    ['a duplicate name, whatever its case', 'POST', () => '/v1/admin/teams', () => ({ name: 'vendite' }), 409, 'team_name_taken'],
    ['a rename onto another team’s name', 'POST', () => `/v1/admin/teams/${vendite.id}`, () => ({ name: 'GENERAL' }), 409, 'team_name_taken'],
    [
      'a team removed while it holds conversations, without a target',
      'DELETE',
      () => `/v1/admin/teams/${vendite.id}`,
      () => undefined,
      409,
      'team_has_conversations',
    ],
    [
      'a team moved into itself',
      'DELETE',
      () => `/v1/admin/teams/${vendite.id}?moveConversationsTo=${vendite.id}`,
      () => undefined,
      409,
      'team_move_to_itself',
    ],
    [
      'an admin who reads nothing as a member',
      'POST',
      () => `/v1/admin/teams/${vendite.id}/members`,
      () => ({ agentId: admin.agentId, capacity: 1 }),
      409,
      'team_member_cannot_read',
    ],
    [
      'an agent as a supervisor',
      'POST',
      () => `/v1/admin/teams/${vendite.id}/supervisors`,
      () => ({ agentId: bruno.agentId }),
      409,
      'team_supervisor_not_supervisor',
    ],
    ['no roles at all', 'POST', () => `/v1/admin/agents/${bruno.agentId}/roles`, () => ({ roles: [] }), 400, 'invalid_request'],
    ['taking admin from oneself', 'POST', () => `/v1/admin/agents/${admin.agentId}/roles`, () => ({ roles: ['supervisor'] }), 409, 'cannot_drop_own_admin'],
  ];
  it.each(refusals)('refuse %s with a coded error, changing nothing', async (_what, method, path, body, status, code) => {
    const before = await snapshot();
    const answer = await call(method, path(), body());
    expect(answer, JSON.stringify(answer.body)).toMatchObject({ status, body: { error: { code } } });
    expect(await snapshot()).toEqual(before);
  });

  it('refuse every team route to a caller who is not an admin, changing nothing', async () => {
    const before = await snapshot();
    for (const token of [bruno.session.accessToken, sara.session.accessToken]) {
      for (const [method, path, body] of [
        ['GET', '/v1/admin/teams', undefined],
        ['POST', '/v1/admin/teams', { name: 'Intrusi' }],
        ['POST', `/v1/admin/teams/${vendite.id}/members`, { agentId: sara.agentId, capacity: 1 }],
        ['DELETE', `/v1/admin/teams/${vendite.id}/members/${bruno.agentId}`, undefined],
        ['POST', `/v1/admin/agents/${bruno.agentId}/roles`, { roles: ['admin'] }],
      ] as const) {
        expect(await call(method, path, body, token), `${method} ${path}`).toMatchObject({ status: 403, body: { error: { code: 'forbidden_role' } } });
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('take a member out (their conversations back in the queue), change roles, rename and remove a team moving what it held', async () => {
    const [waiting] = await listedFor(bruno);
    // Bruno answers: the conversation is his; taken out of the team, it goes back to its queue and out of his view.
    await t.server.database.db
      .updateTable('conversations')
      .set({ assigned_agent_id: bruno.agentId, assigned_at: Date.now() })
      .where('id', '=', waiting ?? 0)
      .execute();
    const removed = await call<TeamView>('DELETE', `/v1/admin/teams/${vendite.id}/members/${bruno.agentId}`);
    expect(removed.body.members).toEqual([]);
    expect(await listedFor(bruno)).toEqual([]);
    const row = await t.server.database.db
      .selectFrom('conversations')
      .select(['assigned_agent_id', 'team_id'])
      .where('id', '=', waiting ?? 0)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ assigned_agent_id: null, team_id: vendite.id });

    const roles = await call<AgentView>('POST', `/v1/admin/agents/${sara.agentId}/roles`, { roles: ['admin', 'supervisor'] });
    expect(roles.body.roles).toEqual(['supervisor', 'admin']);
    expect((await call<TeamView>('POST', `/v1/admin/teams/${vendite.id}`, { name: 'Vendite Italia' })).body.name).toBe('Vendite Italia');
    const gone = await call<TeamRemoved>('DELETE', `/v1/admin/teams/${vendite.id}?moveConversationsTo=${general}`);
    expect(gone.body).toEqual({ removed: vendite.id, movedConversations: 1, movedTo: general });
    // Sara supervised only the removed team: its conversation left her view with it.
    expect(await listedFor(sara)).toEqual([]);
    const teams = (await call<TeamList>('GET', '/v1/admin/teams')).body.teams;
    expect(teams.map((team) => team.name)).toEqual(['General']);
    expect(teams[0]?.conversationCount).toBe(1);
    // The number that sent to the removed team sends to the target now.
    expect(teams[0]?.numbers).toEqual(expect.arrayContaining(t.sandbox.businesses.map((number) => number.phoneNumberId)));
  });
});
