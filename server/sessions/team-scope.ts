/**
 * The teams an agent answers for, read from the store: what the visibility rule
 * (common/api/conversation-access.ts) needs besides the agent's id and roles.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { TeamScope } from '../../common/api/session.js';
import type { InboxDatabase } from '../store/schema.js';

export const NO_TEAMS: TeamScope = { memberOf: [], supervises: [] };

/** One read for any number of agents: each one's teams (agents without any get NO_TEAMS). */
export async function teamScopesOf(db: Kysely<InboxDatabase>, agentIds: readonly number[]): Promise<Map<number, TeamScope>> {
  const scopes = new Map<number, { memberOf: number[]; supervises: number[] }>();
  if (agentIds.length === 0) return scopes;
  const ids = [...new Set(agentIds)];
  for (const id of ids) scopes.set(id, { memberOf: [], supervises: [] });
  const rows = await db
    .selectFrom('team_members')
    .select(['agent_id', 'team_id', sql<string>`'member'`.as('kind')])
    .where('agent_id', 'in', ids)
    .unionAll(
      db
        .selectFrom('team_supervisors')
        .select(['agent_id', 'team_id', sql<string>`'supervisor'`.as('kind')])
        .where('agent_id', 'in', ids),
    )
    .execute();
  for (const row of rows) {
    const scope = scopes.get(row.agent_id);
    if (scope === undefined) continue;
    (row.kind === 'member' ? scope.memberOf : scope.supervises).push(row.team_id);
  }
  for (const scope of scopes.values()) {
    scope.memberOf.sort((a, b) => a - b);
    scope.supervises.sort((a, b) => a - b);
  }
  return scopes;
}

export async function teamScopeOf(db: Kysely<InboxDatabase>, agentId: number): Promise<TeamScope> {
  return (await teamScopesOf(db, [agentId])).get(agentId) ?? NO_TEAMS;
}

export function sameScope(a: TeamScope, b: TeamScope): boolean {
  return a.memberOf.join(',') === b.memberOf.join(',') && a.supervises.join(',') === b.supervises.join(',');
}
