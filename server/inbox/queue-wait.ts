/**
 * Since when a conversation has waited in its team's queue: `conversations.queued_at`, the one
 * "queued since" of the store (migration 0022), and the rule that keeps it, here and nowhere else.
 *
 * A conversation waits in its team's queue while it is open, of a team and assigned to nobody.
 * Every write that changes one of those three columns also writes `queued_at` by this rule:
 * - it becomes queued (it was assigned, not open, or of no team), or it is queued in another team
 *   than before (a transfer to a team's queue, its team removed and merged into another): `now`.
 *   So a conversation put back in the queue (unassigned, requeued because its agent went offline
 *   or left the team, reopened or woken without an owner) waits from that moment, at the back;
 * - it stays queued in the same team: it keeps its time;
 * - it is not queued (assigned, claimed, pending, snoozed, resolved, of no team): null.
 *
 * Single-row writes that know the row before and after call `queuedAtAfter`; writes of many rows,
 * or of rows whose other columns the writer does not read, set `queued_at` to `queuedAtExpression`,
 * the same rule in SQL over the row as it was (both dialects read an UPDATE's SET against the old
 * row). The queue's order (oldest first) and the waiting time shown read the column as it is.
 */
import type { Expression, ExpressionBuilder } from 'kysely';
import { sql } from 'kysely';
import type { InboxDatabase } from '../store/schema.js';

/** The columns that decide whether a conversation waits in its team's queue. */
export interface QueuePlace {
  readonly assigned_agent_id: number | null;
  readonly team_id: number | null;
  readonly state: string;
}

/** Whether a conversation so placed waits in its team's queue. */
export function isQueued(place: QueuePlace): boolean {
  return place.assigned_agent_id === null && place.team_id !== null && place.state === 'open';
}

/** `queued_at` for a conversation moving from `before` (with its `queued_at`) to `after` at `now`. */
export function queuedAtAfter(before: (QueuePlace & { readonly queued_at: number | null }) | undefined, after: QueuePlace, now: number): number | null {
  if (!isQueued(after)) return null;
  if (before !== undefined && isQueued(before) && before.team_id === after.team_id && before.queued_at !== null) return Number(before.queued_at);
  return now;
}

/** What a write sets of the three columns; a column left out keeps its value. */
export type QueuePlaceChange = Partial<QueuePlace>;

type ConversationsBuilder = ExpressionBuilder<InboxDatabase, 'conversations'>;

/**
 * `queuedAtAfter` in SQL, for an UPDATE of `conversations` setting `change` at `now`: the value to
 * set `queued_at` to, read against each row as it was.
 */
export function queuedAtExpression(eb: ConversationsBuilder, change: QueuePlaceChange, now: number): Expression<number | null> {
  const nowValue = sql<number>`cast(${now} as bigint)`;
  const nothing = sql<number | null>`cast(null as bigint)`;
  // After the write, from the constants the write sets and the columns it keeps.
  const afterConditions = [];
  if (change.assigned_agent_id !== undefined && change.assigned_agent_id !== null) return nothing;
  if (change.assigned_agent_id === undefined) afterConditions.push(eb('conversations.assigned_agent_id', 'is', null));
  if (change.team_id === null) return nothing;
  if (change.team_id === undefined) afterConditions.push(eb('conversations.team_id', 'is not', null));
  if (change.state !== undefined && change.state !== 'open') return nothing;
  if (change.state === undefined) afterConditions.push(eb('conversations.state', '=', sql.lit('open')));
  const stayed = eb.and([
    eb('conversations.assigned_agent_id', 'is', null),
    eb('conversations.team_id', 'is not', null),
    eb('conversations.state', '=', sql.lit('open')),
    ...(change.team_id === undefined ? [] : [eb('conversations.team_id', '=', change.team_id)]),
  ]);
  const kept = eb.case().when(stayed).then(eb.fn.coalesce('conversations.queued_at', nowValue)).else(nowValue).end();
  if (afterConditions.length === 0) return kept;
  return eb.case().when(eb.and(afterConditions)).then(kept).else(nothing).end();
}

/** Since when the conversation has waited in the queue, from the column the views select; null when it is not queued. */
export function queuedSince(row: { readonly queued_at: number | string | bigint | null }): number | null {
  return row.queued_at === null ? null : Number(row.queued_at);
}
