/**
 * Teams, business numbers and agents for assignment tests, written straight into the store: each
 * call makes its own (names and numbers never meet another call's), so one store holds many runs
 * of a property. `members`: which agent (index) is in which team (index), with a capacity each.
 */
import type { GroupCommitter } from '../../server/store/group-commit.js';
import type { Insertable, Kysely } from 'kysely';
import type { BusinessNumbersTable, InboxDatabase } from '../../server/store/schema.js';
import { contactRow } from './fresh-store.js';

export interface Membership {
  readonly agent: number;
  readonly team: number;
}

export interface RoutingScene {
  readonly teams: number[];
  /** Each team's business number (phone number id): new conversations on it go to that team. */
  readonly numbers: string[];
  readonly agents: number[];
}

/** A business number with no token of its own whose new conversations go to `teamId`; its webhooks are signed with the server's default app secret. */
export function benchNumberRow(phoneNumberId: string, displayName: string, teamId: number, now: number): Insertable<BusinessNumbersTable> {
  return {
    phone_number_id: phoneNumberId,
    waba_id: '200000000000001',
    display_name: displayName,
    access_token_sealed: null,
    app_secret_sealed: null,
    default_team_id: teamId,
    health_state: 'no_token',
    health_error_code: null,
    health_reason: null,
    health_changed_at: null,
    created_at: now,
    updated_at: now,
  };
}

let scenes = 0;

export async function routingScene(
  committer: GroupCommitter,
  shape: { readonly teams: number; readonly agents: number; readonly members: readonly Membership[]; readonly capacities: readonly number[] },
): Promise<RoutingScene> {
  scenes += 1;
  const tag = `${process.pid}${String(scenes).padStart(5, '0')}`;
  const now = Date.now();
  return committer.submit(async (trx) => {
    const teams: number[] = [];
    const numbers: string[] = [];
    for (let index = 0; index < shape.teams; index += 1) {
      const team = await trx
        .insertInto('teams')
        .values({ name: `scene ${tag} team ${index}`, description: null, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      const phone = `9${tag}${index}`;
      await trx
        .insertInto('business_numbers')
        .values(benchNumberRow(phone, phone, team.id, now))
        .execute();
      teams.push(team.id);
      numbers.push(phone);
    }
    const agents: number[] = [];
    for (let index = 0; index < shape.agents; index += 1) {
      const agent = await trx
        .insertInto('agents')
        .values({
          username: `s${tag}a${index}`,
          display_name: `Agent ${index}`,
          roles: 'agent',
          status: 'active',
          created_by: 'test',
          created_at: now,
          updated_at: now,
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      agents.push(agent.id);
    }
    for (const [index, member] of shape.members.entries())
      await trx
        .insertInto('team_members')
        .values({ team_id: teams[member.team] ?? 0, agent_id: agents[member.agent] ?? 0, capacity: shape.capacities[index] ?? 0, created_at: now })
        .execute();
    return { teams, numbers, agents };
  });
}

let contacts = 0;

/** A new customer (a contact row of their own) for a conversation to begin with. */
export async function newContact(trx: Parameters<Parameters<GroupCommitter['submit']>[0]>[0]): Promise<number> {
  contacts += 1;
  const row = await trx
    .insertInto('contacts')
    .values(contactRow(`3${process.pid}${String(contacts).padStart(7, '0')}`))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * For suites about claiming by reply, written before routing: every membership's capacity 0, so
 * routing gives nobody anything and what customers start waits in its team's queue until someone
 * answers it. Call once the agents exist (a new account joins with the default capacity).
 */
export async function conversationsWaitForAReply(t: { readonly server: { readonly database: { readonly db: Kysely<InboxDatabase> } } }): Promise<void> {
  await t.server.database.db.updateTable('team_members').set({ capacity: 0 }).execute();
}
