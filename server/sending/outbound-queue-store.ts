/**
 * What the dispatcher reads of the outbound queue in the store: the messages queued (at start, and
 * on PostgreSQL at every poll, other replicas' too), and the messages left `sending` by a process
 * that stopped mid-call. On SQLite (one process) every `sending` row found at start is such a one.
 * On PostgreSQL another replica may be sending it right now: a row counts as interrupted only once
 * its attempt is older than SENDING_LEASE_MS (well past the Graph client's timeout) by the
 * database's clock, or when it has no dispatch time (an attempt no claim stamped).
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { InboxDatabase } from '../store/schema.js';

/** Longer than any one Graph call may take (its timeout is 20 s), uploads included. */
export const SENDING_LEASE_MS = 2 * 60 * 1000;

export interface QueuedSend {
  readonly id: number;
  readonly conversation_id: number;
  readonly next_attempt_at: number | null;
  readonly business_phone_number_id: string;
}

export function queuedSends(db: Kysely<InboxDatabase>): Promise<QueuedSend[]> {
  return db
    .selectFrom('messages')
    .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select(['messages.id', 'messages.conversation_id', 'messages.next_attempt_at', 'conversations.business_phone_number_id'])
    .where('messages.direction', '=', 'outbound')
    .where('messages.status', '=', 'queued')
    .orderBy('messages.id')
    .execute();
}

/** The ids of the sends cut off mid-call, which no process will finish. */
export async function interruptedSends(db: Kysely<InboxDatabase>, shared: boolean): Promise<number[]> {
  let query = db.selectFrom('messages').select('id').where('direction', '=', 'outbound').where('status', '=', 'sending');
  if (shared) {
    const staleBefore = sql<number>`floor(extract(epoch from clock_timestamp()) * 1000)::bigint - ${SENDING_LEASE_MS}`;
    query = query.where((eb) => eb.or([eb('dispatched_at', 'is', null), eb('dispatched_at', '<', staleBefore)]));
  }
  return (await query.execute()).map((row) => row.id);
}
