/**
 * The fold: adds what the writers' triggers appended to `analytics_pending` (migration 0035) into
 * the hourly and daily counts, and works out the facts of the conversations it touches, in a
 * transaction of its own, off the writers' path (docs/analytics.md, "How it is kept").
 *
 * Safe with two at once (two server processes, a timer and a read): a pass first locks the one
 * row of `analytics_fold` (PostgreSQL: FOR UPDATE; SQLite: the write lock of BEGIN IMMEDIATE), so
 * passes run one after another; each takes the pending rows it sees (marks them `taken` in its own
 * transaction), folds exactly those and deletes them, all in that transaction. A pending row that
 * commits later, whatever its id, is simply there for the next pass: nothing is skipped and
 * nothing is counted twice (a watermark on the id would skip it on PostgreSQL, where ids are
 * taken at insert and commit out of order, as the feed's control test shows).
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { refreshFacts } from '../store/analytics-facts.js';
import type { InboxDatabase } from '../store/schema.js';
import { dialectOf } from '../store/sql-dialect.js';

/** Pending rows one pass takes at most. */
export const FOLD_BATCH = 5000;
/** How often the server folds (each analytics read folds first as well). */
export const ANALYTICS_FOLD_EVERY_MS = 30_000;
/** Passes one call runs at most (a read's bounded work; the timer catches up on the rest). */
export const FOLD_PASSES_PER_CALL = 40;

const TAKEN = sql.raw('analytics_pending.taken = 1 AND analytics_pending.message_id IS NOT NULL');

/** One pass in its own transaction; answers how many pending rows it folded. */
export async function foldPass(db: Kysely<InboxDatabase>, now: number, batch = FOLD_BATCH): Promise<number> {
  const pending = await db.selectFrom('analytics_pending').select('id').limit(1).execute();
  if (pending.length === 0) return 0;
  const postgres = dialectOf(db) === 'postgres';
  return await db.transaction().execute(async (trx) => {
    if (postgres) await sql`SELECT id FROM analytics_fold WHERE id = 1 FOR UPDATE`.execute(trx);
    const taken = await sql`UPDATE analytics_pending SET taken = 1
      WHERE id IN (SELECT id FROM analytics_pending WHERE taken = 0 ORDER BY id LIMIT ${sql.lit(batch)})`.execute(trx);
    const count = Number(taken.numAffectedRows ?? 0n);
    if (count === 0) return 0;
    await sql`INSERT INTO analytics_hourly (hour_start, team_key, agent_key, phone_number_id, messages_in, messages_out)
      SELECT hour_start, team_key, agent_key, phone_number_id, sum(messages_in), sum(messages_out) FROM analytics_pending WHERE ${TAKEN}
      GROUP BY hour_start, team_key, agent_key, phone_number_id
      ON CONFLICT (hour_start, team_key, agent_key, phone_number_id) DO UPDATE SET
        messages_in = analytics_hourly.messages_in + excluded.messages_in, messages_out = analytics_hourly.messages_out + excluded.messages_out`.execute(trx);
    await sql`INSERT INTO analytics_team_hourly (hour_start, team_key, phone_number_id, messages_in, messages_out)
      SELECT hour_start, team_key, phone_number_id, sum(messages_in), sum(messages_out) FROM analytics_pending WHERE ${TAKEN}
      GROUP BY hour_start, team_key, phone_number_id
      ON CONFLICT (hour_start, team_key, phone_number_id) DO UPDATE SET
        messages_in = analytics_team_hourly.messages_in + excluded.messages_in,
        messages_out = analytics_team_hourly.messages_out + excluded.messages_out`.execute(trx);
    await sql`INSERT INTO analytics_daily (day_start, team_key, agent_key, phone_number_id, messages_in, messages_out)
      SELECT hour_start - hour_start % 86400000, team_key, agent_key, phone_number_id, sum(messages_in), sum(messages_out) FROM analytics_pending
      WHERE ${TAKEN} GROUP BY hour_start - hour_start % 86400000, team_key, agent_key, phone_number_id
      ON CONFLICT (day_start, team_key, agent_key, phone_number_id) DO UPDATE SET
        messages_in = analytics_daily.messages_in + excluded.messages_in, messages_out = analytics_daily.messages_out + excluded.messages_out`.execute(trx);
    await sql`INSERT INTO analytics_template_hourly (hour_start, team_key, agent_key, phone_number_id, template_name, language_code, sends)
      SELECT hour_start, team_key, agent_key, phone_number_id, template_name, language_code, count(*) FROM analytics_pending
      WHERE ${TAKEN} AND template_name IS NOT NULL GROUP BY hour_start, team_key, agent_key, phone_number_id, template_name, language_code
      ON CONFLICT (hour_start, team_key, agent_key, phone_number_id, template_name, language_code) DO UPDATE SET
        sends = analytics_template_hourly.sends + excluded.sends`.execute(trx);
    await refreshFacts(trx, (column) => sql`${sql.raw(column)} IN (SELECT conversation_id FROM analytics_pending WHERE taken = 1)`);
    await sql`DELETE FROM analytics_pending WHERE taken = 1`.execute(trx);
    await sql`UPDATE analytics_fold SET folded_rows = folded_rows + ${count}, folded_at = ${now} WHERE id = 1`.execute(trx);
    return count;
  });
}

/**
 * Brings the counts up to date: `upToDate()` runs passes until nothing is pending (at most
 * FOLD_PASSES_PER_CALL of them); `start()` does so every `intervalMs`. Calls made while one runs
 * in this process share one more run after it (so it sees what the callers committed before
 * asking) instead of each queueing on the lock.
 */
export class AnalyticsFold {
  readonly #db: Kysely<InboxDatabase>;
  readonly #now: () => number;
  #running: Promise<number> | undefined;
  #next: Promise<number> | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(deps: { readonly db: Kysely<InboxDatabase>; readonly now: () => number }) {
    this.#db = deps.db;
    this.#now = deps.now;
  }

  upToDate(): Promise<number> {
    if (this.#running === undefined) return this.#run();
    this.#next ??= this.#running
      .catch(() => 0)
      .then(() => {
        this.#next = undefined;
        return this.#run();
      });
    return this.#next;
  }

  #run(): Promise<number> {
    const running = this.#passes().finally(() => {
      if (this.#running === running) this.#running = undefined;
    });
    this.#running = running;
    return running;
  }

  async #passes(): Promise<number> {
    let total = 0;
    for (let pass = 0; pass < FOLD_PASSES_PER_CALL; pass++) {
      const folded = await foldPass(this.#db, this.#now());
      total += folded;
      if (folded < FOLD_BATCH) break;
    }
    return total;
  }

  /** Folds every `intervalMs` (errors are reported to `failed` and the next tick tries again). */
  start(intervalMs: number, failed: (error: unknown) => void): void {
    this.stop();
    this.#timer = setInterval(() => void this.upToDate().catch(failed), intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Stops the timer and waits for a run under way. */
  async close(): Promise<void> {
    this.stop();
    await Promise.allSettled([this.#running, this.#next]);
  }
}
