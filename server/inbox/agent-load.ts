/**
 * How many conversations an agent holds against their capacity (teams, routing and supervision,
 * issue 12, use this one count). Open and pending ones count: a pending conversation waits for
 * the customer, who may answer at any moment and lands back with the same agent. Snoozed ones do
 * not (the agent set them aside until a time; they count again when they wake), nor resolved ones
 * (resolving frees the place).
 */
import type { Kysely } from 'kysely';
import type { ConversationState } from '../../common/api/conversation-lifecycle.js';
import type { InboxDatabase } from '../store/schema.js';

export const STATES_HELD_AGAINST_CAPACITY: readonly ConversationState[] = ['open', 'pending'];

/**
 * How many the agent holds: of every team (their load against capacity), or of `teamId` alone
 * (what a supervisor of that team is shown of them).
 */
export async function openConversationsOf(db: Kysely<InboxDatabase>, agentId: number, scope: { readonly teamId?: number } = {}): Promise<number> {
  let query = db
    .selectFrom('conversations')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('held'))
    .where('assigned_agent_id', '=', agentId)
    .where('state', 'in', [...STATES_HELD_AGAINST_CAPACITY]);
  if (scope.teamId !== undefined) query = query.where('team_id', '=', scope.teamId);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.held);
}

/** The same count for several agents in one grouped query (the supervisor view, routing's fills): an agent holding none is 0. */
export async function openConversationsOfAgents(db: Kysely<InboxDatabase>, agentIds: readonly number[]): Promise<Map<number, number>> {
  const held = new Map(agentIds.map((id) => [id, 0]));
  if (agentIds.length === 0) return held;
  const rows = await db
    .selectFrom('conversations')
    .select((eb) => ['assigned_agent_id', eb.fn.countAll<number | string | bigint>().as('held')])
    .where('assigned_agent_id', 'in', [...agentIds])
    .where('state', 'in', [...STATES_HELD_AGAINST_CAPACITY])
    .groupBy('assigned_agent_id')
    .execute();
  for (const row of rows) if (row.assigned_agent_id !== null) held.set(row.assigned_agent_id, Number(row.held));
  return held;
}
