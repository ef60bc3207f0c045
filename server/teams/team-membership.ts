/**
 * Who is in which team, as one transaction changes it: a member (an agent or supervisor, with a
 * capacity) or a supervisor (holding `supervisor`). Removing a member puts the conversations of
 * that team assigned to them back in the team's queue: what they see follows their teams.
 */
import { DEFAULT_CAPACITY } from '../../common/api/teams.js';
import { readsConversations } from '../../common/api/conversation-access.js';
import type { Role } from '../../common/api/session.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { rolesOf } from '../store/agent-roles.js';
import type { StoreTransaction } from '../store/group-commit.js';
import { recordHistory, requeued } from '../inbox/conversation-history.js';
import { queuedAtExpression } from '../inbox/queue-wait.js';
import { defaultTeamId } from '../inbox/team-placement.js';

export class TeamError extends CodedError {}

export async function teamRow(trx: StoreTransaction, teamId: number) {
  const team = await trx.selectFrom('teams').selectAll().where('id', '=', teamId).executeTakeFirst();
  if (team === undefined) throw new TeamError('team_not_found', `There is no team ${teamId}.`);
  return team;
}

async function agentRow(trx: StoreTransaction, agentId: number) {
  const agent = await trx.selectFrom('agents').select(['id', 'username', 'roles', 'status']).where('id', '=', agentId).executeTakeFirst();
  if (agent === undefined) throw new TeamError('agent_not_found', `There is no agent ${agentId}.`);
  return agent;
}

export async function addMember(trx: StoreTransaction, teamId: number, agentId: number, capacity: number, now: number) {
  const team = await teamRow(trx, teamId);
  const agent = await agentRow(trx, agentId);
  if (!readsConversations({ roles: rolesOf(agent.roles) }))
    throw new TeamError(
      'team_member_cannot_read',
      `${agent.username} holds neither the agent nor the supervisor role, so cannot answer a team’s conversations.`,
    );
  const existing = await trx.selectFrom('team_members').select('capacity').where('team_id', '=', teamId).where('agent_id', '=', agentId).executeTakeFirst();
  if (existing !== undefined)
    throw new TeamError('team_member_exists', `${agent.username} is already a member of ${team.name}: change their capacity instead.`);
  await trx.insertInto('team_members').values({ team_id: teamId, agent_id: agentId, capacity, created_at: now }).execute();
  return { team, agent };
}

export async function setCapacity(trx: StoreTransaction, teamId: number, agentId: number, capacity: number) {
  const team = await teamRow(trx, teamId);
  const agent = await agentRow(trx, agentId);
  const updated = await trx.updateTable('team_members').set({ capacity }).where('team_id', '=', teamId).where('agent_id', '=', agentId).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) throw new TeamError('team_member_not_found', `${agent.username} is not a member of ${team.name}.`);
  return { team, agent };
}

/**
 * Takes the agent out of the team; their conversations of it go back to its queue (how many:
 * `requeued`), each with a history entry naming who did it (`actorAgentId`, null for the CLI).
 */
export async function removeMember(trx: StoreTransaction, teamId: number, agentId: number, actorAgentId: number | null, now: number) {
  const team = await teamRow(trx, teamId);
  const agent = await agentRow(trx, agentId);
  const deleted = await trx.deleteFrom('team_members').where('team_id', '=', teamId).where('agent_id', '=', agentId).executeTakeFirst();
  if (Number(deleted.numDeletedRows) === 0) throw new TeamError('team_member_not_found', `${agent.username} is not a member of ${team.name}.`);
  const theirs = await trx
    .updateTable('conversations')
    .set((eb) => ({ assigned_agent_id: null, assigned_at: null, queued_at: queuedAtExpression(eb, { assigned_agent_id: null }, now) }))
    .where('team_id', '=', teamId)
    .where('assigned_agent_id', '=', agentId)
    .returning('id')
    .execute();
  for (const { id } of theirs) await recordHistory(trx, requeued(id, actorAgentId, now));
  return { team, agent, requeued: theirs.length };
}

/**
 * Conversations of `teamId` held by an agent who is not a member of it (they came with a removed
 * team) go back to its queue, each with a history line: nobody holds a conversation of a team
 * they are not in. Answers how many.
 */
export async function requeueHeldByOutsiders(trx: StoreTransaction, teamId: number, actorAgentId: number | null, now: number): Promise<number> {
  const outsiders = await trx
    .updateTable('conversations')
    .set((eb) => ({ assigned_agent_id: null, assigned_at: null, queued_at: queuedAtExpression(eb, { assigned_agent_id: null }, now) }))
    .where('team_id', '=', teamId)
    .where('assigned_agent_id', 'is not', null)
    .where('assigned_agent_id', 'not in', (eb) => eb.selectFrom('team_members').select('agent_id').where('team_id', '=', teamId))
    .returning('id')
    .execute();
  for (const { id } of outsiders) await recordHistory(trx, requeued(id, actorAgentId, now));
  return outsiders.length;
}

export async function addSupervisor(trx: StoreTransaction, teamId: number, agentId: number, now: number) {
  const team = await teamRow(trx, teamId);
  const agent = await agentRow(trx, agentId);
  if (!rolesOf(agent.roles).includes('supervisor'))
    throw new TeamError('team_supervisor_not_supervisor', `${agent.username} does not hold the supervisor role: give it to them first (agents set-roles).`);
  const existing = await trx.selectFrom('team_supervisors').select('agent_id').where('team_id', '=', teamId).where('agent_id', '=', agentId).executeTakeFirst();
  if (existing !== undefined) throw new TeamError('team_supervisor_exists', `${agent.username} already supervises ${team.name}.`);
  await trx.insertInto('team_supervisors').values({ team_id: teamId, agent_id: agentId, created_at: now }).execute();
  return { team, agent };
}

export async function removeSupervisor(trx: StoreTransaction, teamId: number, agentId: number) {
  const team = await teamRow(trx, teamId);
  const agent = await agentRow(trx, agentId);
  const deleted = await trx.deleteFrom('team_supervisors').where('team_id', '=', teamId).where('agent_id', '=', agentId).executeTakeFirst();
  if (Number(deleted.numDeletedRows) === 0) throw new TeamError('team_supervisor_not_found', `${agent.username} does not supervise ${team.name}.`);
  return { team, agent };
}

/**
 * A new account's teams: those named, else the default team; a member of each if it holds
 * `agent`, a supervisor of each if it holds `supervisor`. Answers the team ids joined.
 */
export async function joinTeamsOnCreation(
  trx: StoreTransaction,
  agentId: number,
  roles: readonly Role[],
  teamIds: readonly number[] | undefined,
  now: number,
): Promise<number[]> {
  const fallback = teamIds === undefined ? await defaultTeamId(trx) : null;
  const teams = teamIds === undefined ? (fallback === null ? [] : [fallback]) : [...new Set(teamIds)];
  for (const teamId of teams) {
    await teamRow(trx, teamId);
    if (roles.includes('agent'))
      await trx.insertInto('team_members').values({ team_id: teamId, agent_id: agentId, capacity: DEFAULT_CAPACITY, created_at: now }).execute();
    if (roles.includes('supervisor')) await trx.insertInto('team_supervisors').values({ team_id: teamId, agent_id: agentId, created_at: now }).execute();
  }
  return roles.includes('agent') || roles.includes('supervisor') ? teams : [];
}
