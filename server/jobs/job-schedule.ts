/**
 * Scheduling jobs, in the caller's transaction (job-runner.ts registers the kinds and runs them;
 * cancelling is server/store/waiting-jobs.ts). The same timed thing waits once: with a dedupe key,
 * a second schedule finds the waiting job (unique per kind among waiting jobs, migration 0014) and
 * keeps it or, with `replace`, moves it.
 */
import { sql } from 'kysely';
import { CodedError } from '../../common/errors/coded-error.js';
import type { StoreTransaction } from '../store/group-commit.js';
import type { JobKind } from './job-kind.js';
import { JOB_DEFAULTS, MAX_DEDUPE_KEY_LENGTH } from './job-kind.js';

export interface ScheduleRequest {
  readonly kind: string;
  readonly dueAt: number;
  readonly payload: unknown;
  /** The same timed thing waits once: a second schedule with the key finds the waiting job. */
  readonly dedupeKey?: string;
  readonly conversationId?: number;
  /** With a dedupe key: move the waiting job to this due time and payload instead of keeping it as it is. */
  readonly replace?: boolean;
}

export interface Scheduled {
  readonly id: number;
  /** False: a job with the dedupe key was already waiting (moved when `replace`). */
  readonly created: boolean;
}

/** Checks the request against its kind, then adds the job, or finds (and with `replace` moves) the one waiting with its key. */
export async function scheduleJob(trx: StoreTransaction, kind: JobKind<unknown>, request: ScheduleRequest, now: number): Promise<Scheduled> {
  if (!Number.isSafeInteger(request.dueAt) || request.dueAt < 0)
    throw new CodedError('job_payload_invalid', `A ${request.kind} job needs a due time in epoch milliseconds.`);
  const key = request.dedupeKey;
  if (key !== undefined && (key.length === 0 || key.length > MAX_DEDUPE_KEY_LENGTH))
    throw new CodedError('job_payload_invalid', `A dedupe key has 1 to ${MAX_DEDUPE_KEY_LENGTH} characters.`);
  const payload = kind.payload.safeParse(request.payload);
  if (!payload.success)
    throw new CodedError(
      'job_payload_invalid',
      `The payload of a ${request.kind} job does not fit its kind: ${payload.error.issues[0]?.message ?? 'invalid'}.`,
    );
  const row = {
    kind: request.kind,
    dedupe_key: key ?? null,
    conversation_id: request.conversationId ?? null,
    payload_json: JSON.stringify(payload.data),
    state: 'waiting' as const,
    due_at: request.dueAt,
    attempts: 0,
    max_attempts: kind.maxAttempts ?? JOB_DEFAULTS.maxAttempts,
    created_at: now,
    updated_at: now,
  };
  const moveWaiting = async (): Promise<number | undefined> => {
    if (key === undefined) return undefined;
    if (request.replace !== true) {
      const kept = await trx
        .selectFrom('jobs')
        .select('id')
        .where('kind', '=', request.kind)
        .where('dedupe_key', '=', key)
        .where('state', '=', sql.lit('waiting'))
        .executeTakeFirst();
      return kept?.id;
    }
    const moved = await trx
      .updateTable('jobs')
      .set({
        due_at: row.due_at,
        payload_json: row.payload_json,
        conversation_id: row.conversation_id,
        attempts: 0,
        last_error_code: null,
        last_error: null,
        updated_at: now,
      })
      .where('kind', '=', request.kind)
      .where('dedupe_key', '=', key)
      .where('state', '=', sql.lit('waiting'))
      .returning('id')
      .executeTakeFirst();
    return moved?.id;
  };
  const waiting = await moveWaiting();
  if (waiting !== undefined) return { id: waiting, created: false };
  const inserted = await trx
    .insertInto('jobs')
    .values(row)
    .onConflict((oc) => oc.columns(['kind', 'dedupe_key']).where(sql.ref('state'), '=', sql.lit('waiting')).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted !== undefined) return { id: inserted.id, created: true };
  // Another transaction scheduled the same thing between the two statements: that one stands.
  const raced = await moveWaiting();
  if (raced === undefined) throw new CodedError('internal_error', `A ${request.kind} job with this dedupe key could neither be added nor found.`);
  return { id: raced, created: false };
}
