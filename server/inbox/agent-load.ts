/**
 * How many conversations an agent holds against their capacity (teams and routing, issue 12, use
 * this one query). Open and pending ones count: a pending conversation waits for the customer, who
 * may answer at any moment and lands back with the same agent. Snoozed ones do not (the agent set
 * them aside until a time; they count again when they wake), nor resolved ones (resolving frees
 * the place).
 */
import type { Kysely } from 'kysely';
import type { ConversationState } from '../../common/api/conversation-lifecycle.js';
import type { InboxDatabase } from '../store/schema.js';

export const STATES_HELD_AGAINST_CAPACITY: readonly ConversationState[] = ['open', 'pending'];

export async function openConversationsOf(db: Kysely<InboxDatabase>, agentId: number): Promise<number> {
  const row = await db
    .selectFrom('conversations')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('held'))
    .where('assigned_agent_id', '=', agentId)
    .where('state', 'in', [...STATES_HELD_AGAINST_CAPACITY])
    .executeTakeFirstOrThrow();
  return Number(row.held);
}
