/**
 * Gives the event feed's committed events their positions (docs/store.md, "The event feed's order
 * with more than one writer"). SQLite numbers an event when its trigger inserts it, under the one
 * write lock, so there is nothing to do. PostgreSQL inserts events with `seq` NULL; a stamping
 * pass numbers the committed ones, one pass at a time cluster-wide under a transaction-scoped
 * advisory lock, so a reader that sees seq N has seen every seq below N that will ever exist.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { InboxDatabase } from './schema.js';

export interface FeedSequencer {
  /** Numbers what is committed and not numbered yet; answers how many events it numbered. */
  stamp(): Promise<number>;
  /** Names this process in the notifications its passes send, so it can ignore its own. */
  readonly origin: string;
}

/** SQLite: every event has its seq from the insert. */
export const sqliteFeedSequencer: FeedSequencer = { stamp: () => Promise.resolve(0), origin: 'sqlite' };

/** The advisory lock key of the feed's stamping passes ("SPFEED" in ASCII). */
export const FEED_STAMPING_LOCK = 0x5350_4645_4544;
/** The channel a pass that numbered events notifies (replicas' feeds listen to it, issue 15). */
export const FEED_CHANNEL = 'sportello_feed';
/** Events one pass numbers at most; a pass that numbered this many runs again. */
export const STAMPS_PER_PASS = 5000;

export class PostgresFeedSequencer implements FeedSequencer {
  readonly #db: Kysely<InboxDatabase>;
  readonly origin = randomUUID();
  #running: Promise<number> | undefined;
  #again = false;

  constructor(db: Kysely<InboxDatabase>) {
    this.#db = db;
  }

  /**
   * Passes asked for while one runs in this process are folded into one more pass of the same run,
   * started after they asked (so it sees what the askers committed), instead of each queueing a
   * connection on the lock.
   */
  stamp(): Promise<number> {
    if (this.#running !== undefined) {
      this.#again = true;
      return this.#running;
    }
    const running = (async () => {
      let total = 0;
      try {
        for (;;) {
          this.#again = false;
          const stamped = await stampingPass(this.#db, this.origin);
          total += stamped;
          if (stamped < STAMPS_PER_PASS && !this.#again) return total;
        }
      } finally {
        this.#running = undefined;
      }
    })();
    this.#running = running;
    return running;
  }
}

/**
 * One pass: a short READ COMMITTED transaction of its own. Its UPDATE takes its snapshot after the
 * lock was granted, so it sees everything the previous pass committed and numbers above it. A pass
 * that finds nothing writes nothing (no transaction id, no WAL flush) and notifies no one. A pass
 * that numbered events notifies FEED_CHANNEL with `origin` (delivered at its commit, so a replica
 * woken reads them numbered): the NOTIFY is in the pass, never in the writers' transactions, since
 * PostgreSQL serialises notifying commits on one lock; passes run one at a time anyway, and the
 * sequencer folds the passes asked for meanwhile into one more (one in flight, one pending).
 */
export async function stampingPass(db: Kysely<InboxDatabase>, origin = ''): Promise<number> {
  const pending = await sql`select 1 from events where seq is null limit 1`.execute(db);
  if (pending.rows.length === 0) return 0;
  return await db
    .transaction()
    .setIsolationLevel('read committed')
    .execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${sql.lit(FEED_STAMPING_LOCK)})`.execute(trx);
      const stamped = await sql`update events set seq = stamped.seq
        from (select id, nextval('events_seq') as seq
                from (select id from events where seq is null order by id limit ${sql.lit(STAMPS_PER_PASS)}) as pending
               order by id) as stamped
        where events.id = stamped.id`.execute(trx);
      const count = Number(stamped.numAffectedRows ?? 0n);
      if (count > 0) await sql`select pg_notify(${sql.lit(FEED_CHANNEL)}, ${origin})`.execute(trx);
      return count;
    });
}
