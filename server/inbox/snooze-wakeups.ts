/**
 * A snooze's end as a durable job (the job runner, server/jobs/snooze-end.ts): scheduled in the
 * snooze's transaction for its `until`, one waiting job per conversation (its dedupe key: a new
 * snooze moves it), cancelled in the transaction that ends the snooze early (an agent's change of
 * state, the customer writing), and run as `wakeSnoozedConversation` in the job's own
 * transaction, so it survives a restart, runs once, and shows in the supervisors' list of jobs
 * under the conversation.
 */
import { sql } from 'kysely';
import type { StoreTransaction } from '../store/group-commit.js';
import { cancelWaitingJobs } from '../store/waiting-jobs.js';
import { recordHistory } from './conversation-history.js';
import { queuedAtExpression } from './queue-wait.js';

export const SNOOZE_END = 'conversation.snooze_end';

/** One waiting wake-up per conversation. */
export const snoozeEndKey = (conversationId: number) => `conversation:${conversationId}`;

/** Schedules a snooze's end; the server gives the state routes one over its job runner. */
export interface SnoozeScheduler {
  wakeAt(trx: StoreTransaction, conversationId: number, until: number): Promise<void>;
}

/** The snooze ended before its time: its wake-up goes. */
export async function cancelSnoozeEnd(trx: StoreTransaction, conversationId: number, now: number): Promise<void> {
  await cancelWaitingJobs(trx, { kind: SNOOZE_END, dedupeKey: snoozeEndKey(conversationId) }, now);
}

/**
 * A snooze's time came: the conversation opens again. Idempotent: one that is no longer snoozed
 * (the customer wrote, an agent changed it) or whose snooze was moved later is left alone, so
 * running it twice, late, or for a stale reason changes nothing. True when it woke it.
 */
export async function wakeSnoozedConversation(db: StoreTransaction, conversationId: number, now: number): Promise<boolean> {
  const woken = await db
    .updateTable('conversations')
    .set((eb) => ({ state: 'open', state_changed_at: now, snoozed_until: null, updated_at: now, queued_at: queuedAtExpression(eb, { state: 'open' }, now) }))
    .where('id', '=', conversationId)
    .where('state', '=', sql.lit('snoozed'))
    .where('snoozed_until', '<=', now)
    .returning('id')
    .executeTakeFirst();
  if (woken === undefined) return false;
  await recordHistory(db, {
    conversation_id: conversationId,
    kind: 'state',
    from_state: 'snoozed',
    state: 'open',
    snoozed_until: null,
    assigned_agent_id: null,
    actor_agent_id: null,
    cause: 'timer',
    at: now,
  });
  return true;
}
