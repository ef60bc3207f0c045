/**
 * `teams …` as an admin runs it beside the server: teams created, renamed and removed; members
 * added with a capacity, capacities set, members and supervisors added and removed; each audited
 * as the CLI's act, each bad input one coded line that changes nothing, and each change applied
 * to the agents' connections by the running server (it finds what another process committed).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TeamList, TeamView } from '../../common/api/teams.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, openEventSocket } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import { adminJson, expectOneLineFailure, runAdmin } from './admin-cli-process.js';

let t: TestServer;
let device: TestDevice;
let bruno: EnrolledAgent;
beforeEach(async () => {
  t = await startTestServer();
  device = await approvedDevice(t, 'teams-desk');
  bruno = await enrolledAgent(t, device, 'bruno');
  await enrolledAgent(t, device, 'sara', 'supervisor');
  await enrolledAgent(t, device, 'dario', 'admin');
});
afterEach(async () => {
  await t.close();
});

const teamsList = async () => TeamList.parse(await adminJson(t.dataDir, ['teams', 'list']));
const teamCalled = async (name: string) => (await teamsList()).teams.find((team) => team.name === name);

async function auditEvents(): Promise<Array<{ event: string; actor: string; details: Record<string, unknown> }>> {
  const rows = await t.server.database.db.selectFrom('audit_log').select(['event', 'actor', 'details_json']).orderBy('id').execute();
  return rows
    .filter((row) => row.event.startsWith('team.') || row.event === 'number.team_set')
    .map((row) => ({ event: row.event, actor: row.actor, details: JSON.parse(row.details_json) as Record<string, unknown> }));
}

describe('teams', () => {
  it('lists the default team, which every account joined as its roles say', async () => {
    const { teams } = await teamsList();
    expect(teams).toHaveLength(1);
    expect(teams[0]).toMatchObject({ name: 'General', isDefault: true, supervisors: [expect.objectContaining({ username: 'sara' })] });
    expect(teams[0]?.members.map((member) => [member.username, member.capacity])).toEqual([['bruno', 10]]);
    const text = await runAdmin(t.dataDir, ['teams', 'list']);
    expect(text.stdout).toMatch(/^Teams \(1 team\):\nID +NAME +DEFAULT +MEMBERS \(CAPACITY\) +SUPERVISORS/);
    expect(text.stdout).toContain('bruno (10)');
  });

  it('creates, fills, renames and removes a team, audited; the running server applies each change to the agent’s connection', async () => {
    const socket = await openEventSocket(t, device, bruno.session.accessToken);
    await socket.next((event) => event.type === 'ready', 10_000);

    const created = await runAdmin(t.dataDir, ['teams', 'create', 'Vendite', '--description', 'Sales in Italy', '--json']);
    expect(created, created.stderr).toMatchObject({ code: 0, stderr: '' });
    const vendite = TeamView.parse(JSON.parse(created.stdout));
    expect(vendite).toMatchObject({ name: 'Vendite', description: 'Sales in Italy', isDefault: false, members: [], supervisors: [] });

    const added = await runAdmin(t.dataDir, ['teams', 'add-member', 'vendite', 'bruno', '--capacity', '3']);
    expect(added, added.stderr).toMatchObject({ code: 0 });
    expect(added.stdout).toMatch(/^Added a member to Vendite \(#\d+\): 1 member, 0 supervisors, 0 conversations\./);
    // Another process changed Bruno's teams: the server's poll finds it and tells his socket.
    await socket.next((event) => event.type === 'view_changed' && event.teams.memberOf.includes(vendite.id), 10_000);

    expect((await runAdmin(t.dataDir, ['teams', 'set-capacity', String(vendite.id), 'bruno', '0'])).code).toBe(0);
    expect((await runAdmin(t.dataDir, ['teams', 'add-supervisor', 'Vendite', 'sara'])).code).toBe(0);
    expect((await runAdmin(t.dataDir, ['teams', 'rename', 'Vendite', 'Vendite Italia'])).code).toBe(0);
    expect(await teamCalled('Vendite Italia')).toMatchObject({
      id: vendite.id,
      members: [expect.objectContaining({ username: 'bruno', capacity: 0 })],
      supervisors: [expect.objectContaining({ username: 'sara' })],
    });

    // A conversation in it: the number sends there, a customer writes.
    const second = t.sandbox.businesses[1]?.phoneNumberId ?? '';
    expect((await runAdmin(t.dataDir, ['numbers', 'set-team', second, 'Vendite Italia'])).code).toBe(0);
    const written = await customerWrites(t, customer(t, 0), 'Un preventivo, per favore', t.sandbox.businesses[1]);
    const row = await t.server.database.db.selectFrom('conversations').select('team_id').where('id', '=', written.conversationId).executeTakeFirstOrThrow();
    expect(row.team_id).toBe(vendite.id);

    const before = await teamsList();
    const refused = expectOneLineFailure(await runAdmin(t.dataDir, ['teams', 'remove', 'Vendite Italia']));
    expect(refused).toMatch(/^error \[team_has_conversations\]: Vendite Italia holds 1 conversation\(s\): name a team to move them to/);
    expect(await teamsList()).toEqual(before);

    const removed = await runAdmin(t.dataDir, ['teams', 'remove', 'Vendite Italia', '--move-to', 'General']);
    expect(removed, removed.stderr).toMatchObject({ code: 0 });
    expect(removed.stdout).toMatch(/^Removed team #\d+; 1 conversation moved to team #\d+\./);
    const general = await teamCalled('General');
    expect(general?.conversationCount).toBe(1);
    expect(general?.numbers).toContain(second);
    await socket.next((event) => event.type === 'view_changed' && !event.teams.memberOf.includes(vendite.id), 10_000);
    socket.close();

    const events = await auditEvents();
    expect(events.map((event) => event.event)).toEqual([
      'team.created',
      'team.member_added',
      'team.capacity_set',
      'team.supervisor_added',
      'team.updated',
      'number.team_set',
      'team.removed',
    ]);
    expect(events.every((event) => event.actor.startsWith('cli:'))).toBe(true);
    expect(events[1]?.details).toMatchObject({ username: 'bruno', capacity: 3 });
    expect(events.at(-1)?.details).toMatchObject({ name: 'Vendite Italia', movedConversations: 1 });
  }, 60_000);

  it('sets how long a member may be offline before their conversations go back to the queue, and never again', async () => {
    const set = await runAdmin(t.dataDir, ['teams', 'set-offline-requeue', 'General', '90', '--json']);
    expect(set, set.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(TeamView.parse(JSON.parse(set.stdout))).toMatchObject({ name: 'General', offlineRequeueAfterSeconds: 90 });
    expect((await runAdmin(t.dataDir, ['teams', 'list'])).stdout).toMatch(/OFFLINE REQUEUE\n.*General.* 90 s/s);
    const never = await runAdmin(t.dataDir, ['teams', 'set-offline-requeue', 'General', 'never']);
    expect(never.stdout).toMatch(/^Set the offline requeue time of General \(#\d+\)/);
    expect((await teamCalled('General'))?.offlineRequeueAfterSeconds).toBeNull();
    expect((await auditEvents()).filter((event) => event.event === 'team.updated').map((event) => event.details.offlineRequeueAfterSeconds)).toEqual([
      90,
      null,
    ]);
  });

  it.each([
    ['an offline requeue time below zero', ['teams', 'set-offline-requeue', 'General', '-5'], /^error \[invalid_argument\]: /],
    ['an offline requeue time that is not a number of seconds', ['teams', 'set-offline-requeue', 'General', '1.5'], /^error \[invalid_argument\]: <seconds>: /],
    [
      'an offline requeue time past a week',
      ['teams', 'set-offline-requeue', 'General', '604801'],
      /^error \[invalid_argument\]: <seconds>: the offline requeue time is at most 604800 seconds \(a week\)$/,
    ],
    [
      'a capacity below zero',
      ['teams', 'add-member', 'General', 'dario', '--capacity', '-1'],
      /^error \[invalid_argument\]: --capacity: capacity must be a whole number, 0 or more$/,
    ],
    [
      'a capacity that is not a number',
      ['teams', 'set-capacity', 'General', 'bruno', 'lots'],
      /^error \[invalid_argument\]: <capacity>: capacity must be a whole number/,
    ],
    ['an unknown agent', ['teams', 'add-member', 'General', 'nobody'], /^error \[agent_not_found\]: There is no agent with the id or username "nobody"/],
    ['an unknown team', ['teams', 'add-member', 'Nowhere', 'bruno'], /^error \[team_not_found\]: There is no team with the id or name "Nowhere"/],
    ['a name taken, whatever its case', ['teams', 'create', 'general'], /^error \[team_name_taken\]: There is already a team called General/],
    ['a member twice', ['teams', 'add-member', 'General', 'bruno'], /^error \[team_member_exists\]: bruno is already a member of General/],
    ['an admin who reads no conversation as a member', ['teams', 'add-member', 'General', 'dario'], /^error \[team_member_cannot_read\]: dario holds neither/],
    [
      'an agent as a supervisor',
      ['teams', 'add-supervisor', 'General', 'bruno'],
      /^error \[team_supervisor_not_supervisor\]: bruno does not hold the supervisor role/,
    ],
    ['someone who is not a member', ['teams', 'remove-member', 'General', 'sara'], /^error \[team_member_not_found\]: sara is not a member of General/],
    ['a team moved into itself', ['teams', 'remove', 'General', '--move-to', 'General'], /^error \[team_move_to_itself\]: /],
    ['an empty name', ['teams', 'create', '  '], /^error \[invalid_argument\]: <name>: a team needs a name$/],
  ])('refuses %s: one line naming it, nothing changed', async (_what, args, line) => {
    const before = await teamsList();
    const audited = (await auditEvents()).length;
    const run = await runAdmin(t.dataDir, args);
    expect(expectOneLineFailure(run)).toMatch(line);
    expect(await teamsList()).toEqual(before);
    expect(await auditEvents()).toHaveLength(audited);
  });
});
