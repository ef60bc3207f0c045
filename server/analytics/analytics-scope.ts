/**
 * Whose figures a viewer may read: a supervisor those of the teams they supervise (and of their
 * members within them), an admin every team's; nobody else (the route's access already refuses
 * agents). A team, agent or number named outside that is refused, not answered with zeros.
 */
import type { Kysely } from 'kysely';
import type { AnalyticsQuery } from '../../common/analytics/analytics-query.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { Role } from '../../common/api/session.js';
import type { InboxDatabase } from '../store/schema.js';

export interface AnalyticsViewer {
  readonly roles: readonly Role[];
  readonly supervises: readonly number[];
}

/** What a request reads: the teams (null: every team, and conversations with none), and one team, agent or number. */
export interface AnalyticsScope {
  readonly teamIds: readonly number[] | null;
  readonly teamId?: number;
  readonly agentId?: number;
  readonly phoneNumberId?: string;
}

function forbidden(what: string): CodedError {
  return new CodedError('analytics_scope_forbidden', `You may read the figures of the teams you supervise only: ${what} is not among them.`);
}

export async function analyticsScope(db: Kysely<InboxDatabase>, viewer: AnalyticsViewer, query: Pick<AnalyticsQuery, 'scope' | 'id'>): Promise<AnalyticsScope> {
  const teamIds = viewer.roles.includes('admin') ? null : viewer.roles.includes('supervisor') ? [...viewer.supervises] : [];
  if (teamIds !== null && !viewer.roles.includes('supervisor'))
    throw new CodedError('forbidden_role', 'Only supervisors and administrators may see these figures.');
  if (query.id === undefined) return { teamIds };
  if (query.scope === 'team') {
    const teamId = Number(query.id);
    if (teamIds !== null && !teamIds.includes(teamId)) throw forbidden(`team ${teamId}`);
    const team = await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst();
    if (team === undefined) throw new CodedError('team_not_found', `There is no team ${teamId}.`);
    return { teamIds, teamId };
  }
  if (query.scope === 'agent') {
    const agentId = Number(query.id);
    const agent = await db.selectFrom('agents').select('id').where('id', '=', agentId).executeTakeFirst();
    if (agent === undefined) {
      if (teamIds !== null) throw forbidden(`agent ${agentId}`);
      throw new CodedError('agent_not_found', `There is no agent ${agentId}.`);
    }
    if (teamIds !== null) {
      const member =
        teamIds.length === 0
          ? undefined
          : await db.selectFrom('team_members').select('agent_id').where('agent_id', '=', agentId).where('team_id', 'in', teamIds).executeTakeFirst();
      if (member === undefined) throw forbidden(`agent ${agentId}`);
    }
    return { teamIds, agentId };
  }
  const number = await db.selectFrom('business_numbers').select('phone_number_id').where('phone_number_id', '=', query.id).executeTakeFirst();
  if (number === undefined) throw new CodedError('number_unknown', `There is no business number ${query.id}.`);
  return { teamIds, phoneNumberId: query.id };
}
