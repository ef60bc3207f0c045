/**
 * Since when a conversation has waited in its team's queue. The store keeps no "queued at" of its
 * own: a conversation is queued while it is unassigned, open and of a team, and each way into that
 * is a line of its history (conversation_history: put back to the queue, an assignment to nobody;
 * opened again, a state change to open) or its beginning. So it entered the queue at its latest
 * such line, else when it began. A conversation never assigned that was pending and opened again
 * counts from the reopening: while pending it waited for the customer, not in the queue.
 */
import type { ExpressionBuilder } from 'kysely';
import type { InboxDatabase } from '../store/schema.js';

/** The latest history line that (re)entered the conversation into the queue, as a subquery on `conversations`. */
export function queueEnteredAt(eb: ExpressionBuilder<InboxDatabase, 'conversations'>) {
  return eb
    .selectFrom('conversation_history as entered')
    .select((history) => history.fn.max('entered.at').as('at'))
    .whereRef('entered.conversation_id', '=', 'conversations.id')
    .where((history) =>
      history.or([
        history.and([history('entered.kind', '=', 'assignment'), history('entered.assigned_agent_id', 'is', null)]),
        history.and([history('entered.kind', '=', 'state'), history('entered.state', '=', 'open')]),
      ]),
    );
}

/** Since when the conversation has waited in the queue, from the columns the views select; null when it is not queued. */
export function queuedSince(row: {
  readonly assigned_agent_id: number | null;
  readonly team_id: number | null;
  readonly state: string;
  readonly created_at: number;
  readonly queue_entered_at: number | string | bigint | null;
}): number | null {
  if (row.assigned_agent_id !== null || row.team_id === null || row.state !== 'open') return null;
  return row.queue_entered_at === null ? row.created_at : Number(row.queue_entered_at);
}
