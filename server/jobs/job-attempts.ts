/**
 * The store's side of running jobs (job-runner.ts decides when): claiming due jobs for a runner,
 * checking a claim is still its own, and recording how an attempt ended. On PostgreSQL the claim
 * skips rows another runner holds (`FOR UPDATE SKIP LOCKED`) and the run holds its row
 * (`FOR UPDATE`); SQLite's one write lock serialises both (docs/store.md).
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { isCodedError } from '../../common/errors/coded-error.js';
import type { StoreTransaction } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { dialectOf } from '../store/sql-dialect.js';
import type { JobKind, JobRef } from './job-kind.js';
import { retryDelay } from './job-kind.js';

export type Claimed = JobRef & { readonly dedupeKey: string | null };
/** How an attempt ended; `superseded`: it failed while a newer schedule of the same thing waits. */
export type Outcome = 'done' | 'retry' | 'failed' | 'superseded' | 'lost';

const ERROR_TEXT_LIMIT = 500;

/** The due jobs of `kinds` no other runner holds become `runner`'s, `running` under a lease, an attempt each. */
export async function claimDue(
  trx: StoreTransaction,
  claim: { readonly kinds: readonly string[]; readonly runner: string; readonly now: number; readonly leaseMs: number; readonly limit: number },
): Promise<Claimed[]> {
  const { now } = claim;
  let due = trx
    .selectFrom('jobs')
    .select(['id', 'kind', 'conversation_id', 'dedupe_key', 'due_at', 'attempts', 'max_attempts'])
    .where('kind', 'in', [...claim.kinds])
    .where((eb) =>
      eb.or([
        eb.and([eb('state', '=', sql.lit('waiting')), eb('due_at', '<=', now)]),
        // Left by a runner that stopped between its claim and its run.
        eb.and([eb('state', '=', sql.lit('running')), eb('lease_until', '<=', now)]),
      ]),
    )
    .orderBy('due_at')
    .orderBy('id')
    .limit(claim.limit);
  if (dialectOf(trx) === 'postgres') due = due.forUpdate().skipLocked();
  const rows = await due.execute();
  if (rows.length === 0) return [];
  await trx
    .updateTable('jobs')
    .set({ state: 'running', attempts: sql<number>`attempts + 1`, claimed_by: claim.runner, lease_until: now + claim.leaseMs, updated_at: now })
    .where(
      'id',
      'in',
      rows.map((row) => row.id),
    )
    .execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    conversationId: row.conversation_id,
    dedupeKey: row.dedupe_key,
    dueAt: row.due_at,
    attempt: row.attempts + 1,
    maxAttempts: row.max_attempts,
  }));
}

/** The job's payload if the claim is still `runner`'s, its row held until the transaction ends; undefined when another runner took it over. */
export async function ownClaim(trx: StoreTransaction, job: Claimed, runner: string): Promise<{ readonly payload: unknown } | undefined> {
  let mine = trx.selectFrom('jobs').select('payload_json').where('id', '=', job.id).where('claimed_by', '=', runner).where('state', '=', sql.lit('running'));
  if (dialectOf(trx) === 'postgres') mine = mine.forUpdate();
  const row = await mine.executeTakeFirst();
  if (row === undefined) return undefined;
  try {
    return { payload: JSON.parse(row.payload_json) as unknown };
  } catch {
    return { payload: undefined };
  }
}

/** After a failed attempt: another one later, or `failed` for good, or `cancelled` when a newer schedule of the same thing waits. */
export async function attemptFailed(trx: StoreTransaction, kind: JobKind<unknown>, job: Claimed, now: number, error: unknown): Promise<Outcome> {
  if (job.attempt >= job.maxAttempts) return finishJob(trx, job, 'failed', now, error);
  if (job.dedupeKey !== null) {
    const newer = await trx
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', job.kind)
      .where('dedupe_key', '=', job.dedupeKey)
      .where('state', '=', sql.lit('waiting'))
      .executeTakeFirst();
    if (newer !== undefined) return finishJob(trx, job, 'superseded', now, error);
  }
  const problem = describeError(error);
  await trx
    .updateTable('jobs')
    .set({
      state: 'waiting',
      due_at: now + retryDelay(kind, job.attempt),
      claimed_by: null,
      lease_until: null,
      last_error_code: problem.code,
      last_error: problem.message,
      updated_at: now,
    })
    .where('id', '=', job.id)
    .execute();
  return 'retry';
}

export async function finishJob(
  trx: StoreTransaction,
  job: Claimed,
  outcome: 'done' | 'failed' | 'superseded',
  now: number,
  error?: unknown,
): Promise<Outcome> {
  const problem = error === undefined ? undefined : describeError(error);
  await trx
    .updateTable('jobs')
    .set({
      state: outcome === 'superseded' ? 'cancelled' : outcome,
      claimed_by: null,
      lease_until: null,
      finished_at: now,
      updated_at: now,
      ...(problem === undefined ? {} : { last_error_code: problem.code, last_error: problem.message }),
    })
    .where('id', '=', job.id)
    .execute();
  return outcome;
}

/** When the next waiting job of these kinds is due. */
export async function nextDueAt(db: Kysely<InboxDatabase>, kinds: readonly string[]): Promise<number | undefined> {
  if (kinds.length === 0) return undefined;
  const row = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.min('due_at').as('due_at'))
    .where('state', '=', sql.lit('waiting'))
    .where('kind', 'in', [...kinds])
    .executeTakeFirst();
  return row?.due_at === null || row?.due_at === undefined ? undefined : Number(row.due_at);
}

/** Finished jobs past their time in the supervisors' view. */
export async function pruneJobs(trx: StoreTransaction, before: { readonly finished: number; readonly failed: number }): Promise<void> {
  await trx
    .deleteFrom('jobs')
    .where((eb) => eb.or([eb('state', '=', sql.lit('done')), eb('state', '=', sql.lit('cancelled'))]))
    .where('finished_at', '<', before.finished)
    .execute();
  await trx.deleteFrom('jobs').where('state', '=', sql.lit('failed')).where('finished_at', '<', before.failed).execute();
}

/** What the supervisors' view says went wrong: a coded error's own words, else a pointer to the log (a stray error's text could hold anything). */
function describeError(error: unknown): { code: string; message: string } {
  if (isCodedError(error)) return { code: error.code, message: error.message.slice(0, ERROR_TEXT_LIMIT) };
  return { code: 'job_failed', message: 'The job’s handler failed; the server log has the error.' };
}
