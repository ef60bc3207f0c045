/**
 * The supervisor view (GET /v1/supervision/teams): for each team the caller supervises, and no
 * other, its queue (how many unassigned open conversations, since when the oldest waits:
 * `queued_at`, queue-wait.ts) and its members' load against their capacity, with whether the desk counts
 * them online. A few grouped queries whatever the number of teams and agents: the teams, their
 * queues, their members, the members' load, their availability.
 */
import type { Kysely } from 'kysely';
import type { SupervisorOverview } from '../../common/api/supervision.js';
import type { InboxDatabase } from '../store/schema.js';
import { openConversationsOfAgents } from './agent-load.js';

/** Who of `agentIds` the desk counts online now (server/presence/desk-presence.ts: connected, not locked, available). */
export type OnlineStates = (agentIds: readonly number[]) => Promise<ReadonlyMap<number, { readonly online: boolean }>>;

export async function supervisorOverview(db: Kysely<InboxDatabase>, onlineStates: OnlineStates, supervises: readonly number[]): Promise<SupervisorOverview> {
  if (supervises.length === 0) return { teams: [] };
  const teamIds = [...supervises];
  const [teams, queues, members] = await Promise.all([
    db.selectFrom('teams').select(['id', 'name']).where('id', 'in', teamIds).orderBy('name').orderBy('id').execute(),
    db
      .selectFrom('conversations')
      .select((eb) => ['conversations.team_id', eb.fn.countAll<number | string | bigint>().as('waiting'), eb.fn.min('conversations.queued_at').as('oldest')])
      .where('conversations.team_id', 'in', teamIds)
      .where('conversations.assigned_agent_id', 'is', null)
      .where('conversations.state', '=', 'open')
      .groupBy('conversations.team_id')
      .execute(),
    db
      .selectFrom('team_members')
      .innerJoin('agents', 'agents.id', 'team_members.agent_id')
      .select(['team_members.team_id', 'team_members.agent_id', 'team_members.capacity', 'agents.display_name'])
      .where('team_members.team_id', 'in', teamIds)
      .where('agents.status', '=', 'active')
      .orderBy('agents.display_name')
      .orderBy('agents.id')
      .execute(),
  ]);
  const agentIds = [...new Set(members.map((member) => member.agent_id))];
  const [held, states] = await Promise.all([openConversationsOfAgents(db, agentIds), onlineStates(agentIds)]);
  const queueOf = new Map(queues.map((queue) => [queue.team_id, queue]));
  return {
    teams: teams.map((team) => {
      const queue = queueOf.get(team.id);
      return {
        teamId: team.id,
        name: team.name,
        queueLength: queue === undefined ? 0 : Number(queue.waiting),
        oldestQueuedSince: queue?.oldest === undefined || queue.oldest === null ? null : Number(queue.oldest),
        members: members
          .filter((member) => member.team_id === team.id)
          .map((member) => ({
            agentId: member.agent_id,
            displayName: member.display_name,
            open: held.get(member.agent_id) ?? 0,
            capacity: member.capacity,
            online: states.get(member.agent_id)?.online ?? false,
          })),
      };
    }),
  };
}
