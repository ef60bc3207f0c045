/**
 * An outbound message's delivery state only moves forward: queued < sending < accepted < sent <
 * delivered < read < played, and failed is final. Meta's status webhooks arrive unordered and
 * repeated, so each (wamid, status) is recorded once and applied only if it ranks higher.
 */
import { sql } from 'kysely';
import { CloudApiError } from '../cloud-api/cloud-api-error.js';
import { judgeGraphFailure } from '../cloud-api/graph-errors.js';
import type { StoreTransaction } from '../store/group-commit.js';
import { prepareQuery, prepareQueryShapes } from '../store/prepared-query.js';

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

interface StatusRow {
  readonly wamid: string;
  readonly status: string;
  readonly occurredAt: number;
  readonly recipientId: string | null;
  readonly recipientUserId: string | null;
  readonly errorsJson: string | null;
  readonly detailsJson: string | null;
  readonly receivedAt: number;
}

const insertStatus = prepareQuery((db, v: StatusRow) =>
  db
    .insertInto('message_statuses')
    .values({
      wamid: v.wamid,
      status: v.status,
      occurred_at: v.occurredAt,
      recipient_id: v.recipientId,
      recipient_user_id: v.recipientUserId,
      errors_json: v.errorsJson,
      details_json: v.detailsJson,
      received_at: v.receivedAt,
    })
    .onConflict((oc) => oc.columns(['wamid', 'status']).doNothing())
    .returning('id'),
);

/** A status webhook (sent, delivered, read, failed …) for one outbound message, as normalised from the payload. */
export interface StatusRecord {
  readonly kind: 'status';
  readonly wamid: string;
  readonly status: string;
  readonly occurredAt: number;
  readonly recipientId: string | undefined;
  readonly recipientUserId: string | undefined;
  readonly errors: readonly unknown[] | undefined;
  readonly details: Record<string, unknown>;
}

/** Records a status webhook; returns false when this (wamid, status) was already recorded. */
export async function recordStatus(trx: StoreTransaction, record: StatusRecord, now: number): Promise<boolean> {
  const inserted = await insertStatus.first(trx, {
    wamid: record.wamid,
    status: record.status,
    occurredAt: record.occurredAt,
    recipientId: record.recipientId ?? null,
    recipientUserId: record.recipientUserId ?? null,
    errorsJson: record.errors === undefined ? null : JSON.stringify(record.errors),
    detailsJson: Object.keys(record.details).length === 0 ? null : JSON.stringify(record.details),
    receivedAt: now,
  });
  if (inserted === undefined) return false;
  await advanceStatus(trx, record.wamid, record.status, record.occurredAt, record.status === 'failed' ? failureFromStatusErrors(record.errors) : undefined);
  return true;
}

const recordedStatuses = prepareQuery((db, v: { wamid: string }) =>
  db.selectFrom('message_statuses').select(['status', 'occurred_at', 'errors_json']).where('wamid', '=', v.wamid),
);

/**
 * Applies every status already recorded for `wamid`: statuses can arrive before the send that
 * produced the wamid has stored it.
 */
export async function applyRecordedStatuses(trx: StoreTransaction, wamid: string): Promise<void> {
  const statuses = await recordedStatuses.all(trx, { wamid });
  for (const s of statuses) {
    const errors = s.errors_json === null ? undefined : (JSON.parse(s.errors_json) as unknown[]);
    await advanceStatus(trx, wamid, s.status, s.occurred_at, s.status === 'failed' ? failureFromStatusErrors(errors) : undefined);
  }
}

interface AdvanceValues {
  readonly wamid: string;
  readonly status: string;
  readonly rank: number;
  readonly at: number;
  readonly errorCode: string | null;
  readonly errorTitle: string | null;
  readonly errorReason: string | null;
}

/** With a failure the error columns are set too; without one they are left as they are. */
const advanceUpdate = prepareQueryShapes(
  (withFailure: boolean) => (db, v: AdvanceValues) =>
    db
      .updateTable('messages')
      .set({
        status: v.status,
        status_rank: v.rank,
        status_at: v.at,
        ...(withFailure ? { error_code: v.errorCode, error_title: v.errorTitle, error_reason: v.errorReason } : {}),
      })
      .where('wamid', '=', v.wamid)
      // A literal: a bound constant matched against a partial index's predicate makes SQLite prepare the statement again on every run.
      .where('direction', '=', sql.lit('outbound'))
      .where('status_rank', '<', v.rank),
);

/** Moves a message forward to `status` if that ranks higher than where it is; never back. */
export async function advanceStatus(trx: StoreTransaction, wamid: string, status: string, at: number, failure: MessageFailure | undefined): Promise<void> {
  const rank = rankOf(status);
  if (rank === undefined) return;
  await advanceUpdate(failure !== undefined).execute(trx, {
    wamid,
    status,
    rank,
    at,
    errorCode: failure?.code ?? null,
    errorTitle: failure?.title ?? null,
    errorReason: failure?.reason ?? null,
  });
}
