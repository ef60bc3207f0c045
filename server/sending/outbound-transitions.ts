/**
 * An outbound message's way through the queue, before Meta's status webhooks take over
 * (inbox/message-status.ts): `queued` → `sending` while an attempt runs → `accepted` once Meta
 * holds it, or back to `queued` for a retry, or `failed` for good with Meta's code and a reason.
 * Each step is one update that names the state it leaves, so a message that moved meanwhile is
 * left as it is.
 */
import { applyRecordedStatuses, STATUS_RANK } from '../inbox/message-status.js';
import type { StoreTransaction } from '../store/group-commit.js';

/** Why an attempt failed, as the message shows it. */
export interface SendFailure {
  /** Stable: `meta_131047`, `http_503`, `network`, `internal`. */
  readonly code: string;
  readonly title: string | null;
  readonly reason: string;
}

/** queued → sending: attempt number `attempt` starts. */
export async function startAttempt(trx: StoreTransaction, messageId: number, attempt: number, now: number): Promise<void> {
  await trx
    .updateTable('messages')
    .set({ status: 'sending', status_rank: STATUS_RANK.sending, attempts: attempt, status_at: now })
    .where('id', '=', messageId)
    .where('status', '=', 'queued')
    .execute();
}

/** → accepted under Meta's `wamid`; statuses that arrived before the answer are applied now. */
export async function markAccepted(trx: StoreTransaction, messageId: number, wamid: string, now: number): Promise<void> {
  await trx
    .updateTable('messages')
    .set({
      wamid,
      status: 'accepted',
      status_rank: STATUS_RANK.accepted,
      status_at: now,
      error_code: null,
      error_title: null,
      error_reason: null,
      next_attempt_at: null,
    })
    .where('id', '=', messageId)
    .where('status_rank', '<', STATUS_RANK.accepted)
    .execute();
  await applyRecordedStatuses(trx, wamid);
}

/** sending → queued: tried again at `nextAttemptAt`; the message shows why meanwhile. */
export async function requeueForRetry(trx: StoreTransaction, messageId: number, failure: Omit<SendFailure, 'title'>, nextAttemptAt: number): Promise<void> {
  await trx
    .updateTable('messages')
    .set({
      status: 'queued',
      status_rank: STATUS_RANK.queued,
      next_attempt_at: nextAttemptAt,
      error_code: failure.code,
      error_title: null,
      error_reason: failure.reason,
    })
    .where('id', '=', messageId)
    .where('status', '=', 'sending')
    .execute();
}

/** sending → failed, for good. */
export async function markFailed(trx: StoreTransaction, messageId: number, failure: SendFailure, now: number): Promise<void> {
  await trx
    .updateTable('messages')
    .set({
      status: 'failed',
      status_rank: STATUS_RANK.failed,
      status_at: now,
      next_attempt_at: null,
      error_code: failure.code,
      error_title: failure.title,
      error_reason: failure.reason,
    })
    .where('id', '=', messageId)
    .where('status', '=', 'sending')
    .execute();
}

/**
 * sending → failed for messages a stopped server left mid-call: Meta may have them, so they are
 * not sent again, and the agent is told to check.
 */
export async function failInterruptedSends(trx: StoreTransaction, messageIds: readonly number[], now: number): Promise<void> {
  await trx
    .updateTable('messages')
    .set({
      status: 'failed',
      status_rank: STATUS_RANK.failed,
      status_at: now,
      error_code: 'send_interrupted',
      error_title: 'Send interrupted',
      error_reason:
        'The server stopped while this message was being sent: WhatsApp may or may not have delivered it. Check the conversation before sending it again.',
    })
    .where('id', 'in', messageIds)
    .where('status', '=', 'sending')
    .execute();
}

/**
 * queued → failed without an attempt: the customer was blocked on the number after the message
 * was queued (an agent's send, an away message, any job's), so it never reaches Meta.
 */
export async function failBlockedSend(trx: StoreTransaction, messageId: number, now: number): Promise<void> {
  await trx
    .updateTable('messages')
    .set({
      status: 'failed',
      status_rank: STATUS_RANK.failed,
      status_at: now,
      next_attempt_at: null,
      error_code: 'customer_blocked',
      error_title: 'Customer blocked',
      error_reason: 'The customer was blocked on this number before this message went out: it was not sent.',
    })
    .where('id', '=', messageId)
    .where('status', '=', 'queued')
    .execute();
}
