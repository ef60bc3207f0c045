/**
 * Waiting jobs (migration 0014's `jobs`) cancelled in the caller's transaction: what
 * `JobRunner.cancel` does (server/jobs/job-runner.ts), here for store work that has no runner at
 * hand, such as a snooze ended by the customer's message in the webhook's transaction.
 */
import { sql } from 'kysely';
import type { StoreTransaction } from './group-commit.js';

export type JobToCancel = { readonly id: number } | { readonly kind: string; readonly dedupeKey: string };

/** By id, or every one of a kind with a dedupe key; answers how many. */
export async function cancelWaitingJobs(trx: StoreTransaction, which: JobToCancel, now: number): Promise<number> {
  let query = trx.updateTable('jobs').set({ state: 'cancelled', finished_at: now, updated_at: now }).where('state', '=', sql.lit('waiting'));
  query = 'id' in which ? query.where('id', '=', which.id) : query.where('kind', '=', which.kind).where('dedupe_key', '=', which.dedupeKey);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
