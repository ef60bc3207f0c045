/** Teams as admins see them: members with capacities, supervisors, how many conversations, which numbers. */
import type { Kysely } from 'kysely';
import type { TeamView } from '../../common/api/teams.js';
import { rolesOf } from '../store/agent-roles.js';
import type { InboxDatabase } from '../store/schema.js';

/** Every team (or the one `only` names), by name. */
export async function listTeams(db: Kysely<InboxDatabase>, only?: number): Promise<TeamView[]> {
  let teams = db.selectFrom('teams').selectAll();
  if (only !== undefined) teams = teams.where('id', '=', only);
  const [rows, first, members, supervisors, counts, numbers] = await Promise.all([
    teams.orderBy('name').execute(),
    db.selectFrom('teams').select('id').orderBy('id').limit(1).executeTakeFirst(),
    db
      .selectFrom('team_members')
      .innerJoin('agents', 'agents.id', 'team_members.agent_id')
      .select(['team_members.team_id', 'team_members.capacity', 'agents.id', 'agents.username', 'agents.display_name', 'agents.roles'])
      .orderBy('agents.username')
      .execute(),
    db
      .selectFrom('team_supervisors')
      .innerJoin('agents', 'agents.id', 'team_supervisors.agent_id')
      .select(['team_supervisors.team_id', 'agents.id', 'agents.username', 'agents.display_name', 'agents.roles'])
      .orderBy('agents.username')
      .execute(),
    db
      .selectFrom('conversations')
      .select(['team_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('team_id', 'is not', null)
      .groupBy('team_id')
      .execute(),
    db.selectFrom('business_numbers').select(['phone_number_id', 'default_team_id']).orderBy('phone_number_id').execute(),
  ]);
  const countOf = new Map(counts.map((row) => [row.team_id, Number(row.n)]));
  return rows.map((team) => ({
    id: team.id,
    name: team.name,
    description: team.description,
    isDefault: team.id === first?.id,
    members: members
      .filter((row) => row.team_id === team.id)
      .map((row) => ({ agentId: row.id, username: row.username, displayName: row.display_name, roles: rolesOf(row.roles), capacity: row.capacity })),
    supervisors: supervisors
      .filter((row) => row.team_id === team.id)
      .map((row) => ({ agentId: row.id, username: row.username, displayName: row.display_name, roles: rolesOf(row.roles) })),
    conversationCount: countOf.get(team.id) ?? 0,
    numbers: numbers.filter((row) => (row.default_team_id ?? first?.id) === team.id).map((row) => row.phone_number_id),
    createdAt: team.created_at,
    offlineRequeueAfterSeconds: team.offline_requeue_after_seconds,
  }));
}
