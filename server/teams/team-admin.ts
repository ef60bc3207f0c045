/**
 * An admin's acts on teams (the admin routes and the admin CLI): each in one transaction with its
 * audit row, and bad input refused before anything changes. Every change of who is in a team
 * tells the event feed, so the agents concerned see what their teams now let them see at once
 * (another process's changes reach the feed at its next poll).
 */
import type { Kysely } from 'kysely';
import type { AddMemberRequest, CreateTeamRequest, RemoveTeamQuery, TeamList, TeamRemoved, TeamView, UpdateTeamRequest } from '../../common/api/teams.js';
import { commitAudited } from '../audit/audited-commit.js';
import type { AuditDetails } from '../audit/audited-commit.js';
import type { TeamFilling } from '../inbox/team-filling.js';
import { queuedAtExpression } from '../inbox/queue-wait.js';
import type { Actor } from '../audit/actor.js';
import type { SecurityNotifier } from '../events/security-notifier.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { addMember, addSupervisor, removeMember, removeSupervisor, requeueHeldByOutsiders, setCapacity, TeamError, teamRow } from './team-membership.js';
import { listTeams } from './team-views.js';

export interface TeamAdminDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly security: SecurityNotifier;
  readonly now: () => number;
  /** Fills a team's queue when a member joins or gets more room (the server's router; the admin CLI has none: the server's sweep does it). */
  readonly routing?: TeamFilling;
}

type Work = (trx: StoreTransaction, now: number) => Promise<{ teamId: number | null; details: AuditDetails; agents: readonly number[] }>;

export class TeamAdmin {
  readonly #deps: TeamAdminDeps;

  constructor(deps: TeamAdminDeps) {
    this.#deps = deps;
  }

  async list(): Promise<TeamList> {
    return { teams: await listTeams(this.#deps.db) };
  }

  async get(teamId: number): Promise<TeamView> {
    const team = (await listTeams(this.#deps.db, teamId))[0];
    if (team === undefined) throw new TeamError('team_not_found', `There is no team ${teamId}.`);
    return team;
  }

  async create(request: CreateTeamRequest, actor: Actor): Promise<TeamView> {
    const id = await this.#audited(actor, 'team.created', async (trx, now) => {
      await refuseTakenName(trx, request.name, null);
      const row = await trx
        .insertInto('teams')
        .values({ name: request.name, description: request.description ?? null, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { teamId: row.id, details: { teamId: row.id, name: request.name }, agents: [] };
    });
    return this.get(id ?? 0);
  }

  async update(teamId: number, change: UpdateTeamRequest, actor: Actor): Promise<TeamView> {
    await this.#audited(actor, 'team.updated', async (trx, now) => {
      const team = await teamRow(trx, teamId);
      if (change.name !== undefined) await refuseTakenName(trx, change.name, teamId);
      await trx
        .updateTable('teams')
        .set({
          ...(change.name === undefined ? {} : { name: change.name }),
          ...(change.description === undefined ? {} : { description: change.description }),
          ...(change.offlineRequeueAfterSeconds === undefined ? {} : { offline_requeue_after_seconds: change.offlineRequeueAfterSeconds }),
          updated_at: now,
        })
        .where('id', '=', teamId)
        .execute();
      const details: Record<string, string | number | null> = { teamId, from: team.name };
      if (change.name !== undefined) details.name = change.name;
      if (change.offlineRequeueAfterSeconds !== undefined) details.offlineRequeueAfterSeconds = change.offlineRequeueAfterSeconds;
      return { teamId, details, agents: [] };
    });
    return this.get(teamId);
  }

  /**
   * Deletes a team. While it holds conversations it needs another team to move them to; the
   * numbers that sent to it send there too (or to the default team when nothing held).
   */
  async remove(teamId: number, query: RemoveTeamQuery, actor: Actor): Promise<TeamRemoved> {
    let moved = 0;
    const target = query.moveConversationsTo ?? null;
    await this.#audited(actor, 'team.removed', async (trx, now) => {
      const team = await teamRow(trx, teamId);
      if (target === teamId) throw new TeamError('team_move_to_itself', `Move ${team.name}’s conversations to another team, not to itself.`);
      if (target !== null) await teamRow(trx, target);
      const held = await trx
        .selectFrom('conversations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('team_id', '=', teamId)
        .executeTakeFirstOrThrow();
      moved = Number(held.n);
      if (moved > 0 && target === null)
        throw new TeamError('team_has_conversations', `${team.name} holds ${moved} conversation(s): name a team to move them to (moveConversationsTo).`);
      const members = await trx.selectFrom('team_members').select('agent_id').where('team_id', '=', teamId).execute();
      const supervisors = await trx.selectFrom('team_supervisors').select('agent_id').where('team_id', '=', teamId).execute();
      if (target !== null)
        await trx
          .updateTable('conversations')
          .set((eb) => ({ team_id: target, queued_at: queuedAtExpression(eb, { team_id: target }, now) }))
          .where('team_id', '=', teamId)
          .execute();
      await trx.updateTable('business_numbers').set({ default_team_id: target }).where('default_team_id', '=', teamId).execute();
      await trx.deleteFrom('team_members').where('team_id', '=', teamId).execute();
      await trx.deleteFrom('team_supervisors').where('team_id', '=', teamId).execute();
      // History lines that name it keep its name (migration 0026) and let go of the row.
      await trx.updateTable('conversation_history').set({ team_id: null }).where('team_id', '=', teamId).execute();
      await trx.deleteFrom('teams').where('id', '=', teamId).execute();
      if (target !== null) {
        await requeueHeldByOutsiders(trx, target, actor.agentId, now);
        await this.#deps.routing?.fillTeam(trx, target, now);
      }
      const agents = [...members, ...supervisors].map((row) => row.agent_id);
      return { teamId, details: { teamId, name: team.name, movedConversations: moved, movedTo: target }, agents };
    });
    return { removed: teamId, movedConversations: moved, movedTo: target };
  }

  async addMember(teamId: number, request: AddMemberRequest, actor: Actor): Promise<TeamView> {
    await this.#audited(actor, 'team.member_added', async (trx, now) => {
      const { team, agent } = await addMember(trx, teamId, request.agentId, request.capacity, now);
      await this.#deps.routing?.fillTeam(trx, teamId, now);
      return {
        teamId,
        details: { teamId, team: team.name, subjectAgentId: agent.id, username: agent.username, capacity: request.capacity },
        agents: [agent.id],
      };
    });
    return this.get(teamId);
  }

  async setCapacity(teamId: number, agentId: number, capacity: number, actor: Actor): Promise<TeamView> {
    await this.#audited(actor, 'team.capacity_set', async (trx, now) => {
      const { team, agent } = await setCapacity(trx, teamId, agentId, capacity);
      await this.#deps.routing?.fillTeam(trx, teamId, now);
      return { teamId, details: { teamId, team: team.name, subjectAgentId: agent.id, username: agent.username, capacity }, agents: [] };
    });
    return this.get(teamId);
  }

  async removeMember(teamId: number, agentId: number, actor: Actor): Promise<TeamView> {
    await this.#audited(actor, 'team.member_removed', async (trx, now) => {
      const { team, agent, requeued } = await removeMember(trx, teamId, agentId, actor.agentId, now);
      await this.#deps.routing?.fillTeam(trx, teamId, now);
      return { teamId, details: { teamId, team: team.name, subjectAgentId: agent.id, username: agent.username, requeued }, agents: [agent.id] };
    });
    return this.get(teamId);
  }

  async addSupervisor(teamId: number, agentId: number, actor: Actor): Promise<TeamView> {
    await this.#audited(actor, 'team.supervisor_added', async (trx, now) => {
      const { team, agent } = await addSupervisor(trx, teamId, agentId, now);
      return { teamId, details: { teamId, team: team.name, subjectAgentId: agent.id, username: agent.username }, agents: [agent.id] };
    });
    return this.get(teamId);
  }

  async removeSupervisor(teamId: number, agentId: number, actor: Actor): Promise<TeamView> {
    await this.#audited(actor, 'team.supervisor_removed', async (trx) => {
      const { team, agent } = await removeSupervisor(trx, teamId, agentId);
      return { teamId, details: { teamId, team: team.name, subjectAgentId: agent.id, username: agent.username }, agents: [agent.id] };
    });
    return this.get(teamId);
  }

  async #audited(actor: Actor, event: string, work: Work): Promise<number | null> {
    const done = await commitAudited(this.#deps.committer, actor, event, this.#deps.now(), async (trx, now) => {
      const result = await work(trx, now);
      return { result, details: result.details };
    });
    if (done.agents.length > 0) this.#deps.security.viewsChanged(done.agents);
    return done.teamId;
  }
}

/** Names are unique without regard to case: "Sales" and "sales" would be the same team to a person. */
async function refuseTakenName(trx: StoreTransaction, name: string, except: number | null): Promise<void> {
  let query = trx
    .selectFrom('teams')
    .select(['id', 'name'])
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()));
  if (except !== null) query = query.where('id', '!=', except);
  const taken = await query.executeTakeFirst();
  if (taken !== undefined) throw new TeamError('team_name_taken', `There is already a team called ${taken.name}: choose another name.`);
}
