/**
 * An outbound message's delivery state only moves forward: queued < sending < accepted < sent <
 * delivered < read < played, and failed is final. Meta's status webhooks arrive unordered and
 * repeated, so each (wamid, status) is recorded once and applied only if it ranks higher.
 */
import { judgeGraphFailure } from '../cloud-api/graph-errors.js';
import type { StoreTransaction } from '../store/group-commit.js';
import type { StatusRecord } from '../webhooks/ingest-records.js';
import { CloudApiError } from '../webhooks/webhook-payload.js';

export const STATUS_RANK = {
  queued: 0,
  sending: 1,
  /** Meta's API accepted the send (we hold its wamid); no status webhook yet. */
  accepted: 2,
  sent: 3,
  delivered: 4,
  read: 5,
  played: 6,
  failed: 100,
} as const;
export type DeliveryStatus = keyof typeof STATUS_RANK;

/** Inbound messages keep this status; ranks only matter for ours. */
export const RECEIVED = 'received';

export function rankOf(status: string): number | undefined {
  return Object.hasOwn(STATUS_RANK, status) ? STATUS_RANK[status as DeliveryStatus] : undefined;
}

export interface MessageFailure {
  readonly code: string;
  readonly title: string | undefined;
  readonly reason: string;
}

/** The failure a `failed` status reports, in the same terms as a refused send. */
export function failureFromStatusErrors(errors: readonly unknown[] | undefined): MessageFailure {
  const first = CloudApiError.safeParse(errors?.[0]);
  if (!first.success || first.data.code === undefined) {
    return { code: 'meta_unknown', title: undefined, reason: 'Meta reported the message as failed without saying why.' };
  }
  const verdict = judgeGraphFailure({
    metaCode: first.data.code,
    subcode: undefined,
    httpStatus: undefined,
    title: first.data.title,
    message: first.data.message,
    details: first.data.error_data?.details,
    fbtraceId: undefined,
  });
  return { code: verdict.code, title: first.data.title ?? first.data.message, reason: first.data.error_data?.details ?? verdict.reason };
}

/** Records a status webhook; returns false when this (wamid, status) was already recorded. */
export async function recordStatus(trx: StoreTransaction, record: StatusRecord, now: number): Promise<boolean> {
  const inserted = await trx
    .insertInto('message_statuses')
    .values({
      wamid: record.wamid,
      status: record.status,
      occurred_at: record.occurredAt,
      recipient_id: record.recipientId ?? null,
      recipient_user_id: record.recipientUserId ?? null,
      errors_json: record.errors === undefined ? null : JSON.stringify(record.errors),
      details_json: Object.keys(record.details).length === 0 ? null : JSON.stringify(record.details),
      received_at: now,
    })
    .onConflict((oc) => oc.columns(['wamid', 'status']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted === undefined) return false;
  await advanceStatus(trx, record.wamid, record.status, record.occurredAt, record.status === 'failed' ? failureFromStatusErrors(record.errors) : undefined);
  return true;
}

/**
 * Applies every status already recorded for `wamid`: statuses can arrive before the send that
 * produced the wamid has stored it.
 */
export async function applyRecordedStatuses(trx: StoreTransaction, wamid: string): Promise<void> {
  const statuses = await trx.selectFrom('message_statuses').select(['status', 'occurred_at', 'errors_json']).where('wamid', '=', wamid).execute();
  for (const s of statuses) {
    const errors = s.errors_json === null ? undefined : (JSON.parse(s.errors_json) as unknown[]);
    await advanceStatus(trx, wamid, s.status, s.occurred_at, s.status === 'failed' ? failureFromStatusErrors(errors) : undefined);
  }
}

/** Moves a message forward to `status` if that ranks higher than where it is; never back. */
export async function advanceStatus(
  trx: StoreTransaction,
  wamid: string,
  status: string,
  at: number,
  failure: MessageFailure | undefined,
): Promise<void> {
  const rank = rankOf(status);
  if (rank === undefined) return;
  await trx
    .updateTable('messages')
    .set({
      status,
      status_rank: rank,
      status_at: at,
      ...(failure === undefined ? {} : { error_code: failure.code, error_title: failure.title ?? null, error_reason: failure.reason }),
    })
    .where('wamid', '=', wamid)
    .where('direction', '=', 'outbound')
    .where('status_rank', '<', rank)
    .execute();
}
