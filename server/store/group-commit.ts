import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { prepareQuery } from './prepared-query.js';
import type { InboxDatabase } from './schema.js';

// Kysely's trx.savepoint() builds and compiles each command and a transaction object per call;
// these are the same standard statements, compiled once.
const SAVEPOINT = prepareQuery(() => sql`savepoint ${sql.id('work')}`);
const RELEASE = prepareQuery(() => sql`release ${sql.id('work')}`);
const ROLLBACK_TO = prepareQuery(() => sql`rollback to ${sql.id('work')}`);

export type StoreTransaction = Transaction<InboxDatabase>;
/** A unit of work: database statements only. It must not await anything but the transaction. */
export type StoreWork<T> = (trx: StoreTransaction) => Promise<T>;

interface PendingWork {
  work: StoreWork<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Upper bound of works sharing one transaction. */
  maxBatch?: number;
  /** Called after every commit with the batch size and how long the transaction took. */
  onBatchCommitted?: (size: number, durationMs: number) => void;
}

/**
 * Group commit: every work submitted while a commit is under way (or in the same turn of the
 * event loop) runs in one shared transaction, and each caller's promise settles only after that
 * transaction has been committed, and fsynced (synchronous=FULL). One fsync then covers many
 * webhooks, so throughput grows with load without weakening durability.
 *
 * Each work runs inside its own savepoint: a work that throws is rolled back alone and its caller
 * gets the error; the others commit.
 */
export class GroupCommitter {
  readonly #db: Kysely<InboxDatabase>;
  readonly #maxBatch: number;
  readonly #onBatchCommitted: GroupCommitOptions['onBatchCommitted'];
  #queue: PendingWork[] = [];
  #running: Promise<void> | undefined;

  constructor(db: Kysely<InboxDatabase>, options: GroupCommitOptions = {}) {
    this.#db = db;
    this.#maxBatch = options.maxBatch ?? 2000;
    this.#onBatchCommitted = options.onBatchCommitted;
  }

  /** Runs `work` in the next group transaction; resolves with its result once it is durable. */
  submit<T>(work: StoreWork<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.#running ??= new Promise<void>((done) => setImmediate(done)).then(() => this.#drain());
    });
  }

  /** Resolves when everything submitted so far has been committed or has failed. */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.#maxBatch);
        await this.#commitBatch(batch);
        // Let the event loop read more requests before the next batch: that is what fills it.
        if (this.#queue.length > 0) await new Promise<void>((done) => setImmediate(done));
      }
    } finally {
      this.#running = undefined;
    }
  }

  async #commitBatch(batch: PendingWork[]): Promise<void> {
    const started = performance.now();
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    let trx;
    try {
      trx = await this.#db.startTransaction().execute();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    try {
      for (const item of batch) {
        await SAVEPOINT.execute(trx, {});
        try {
          const value = await item.work(trx);
          await RELEASE.execute(trx, {});
          outcomes.push({ ok: true, value });
        } catch (error) {
          await ROLLBACK_TO.execute(trx, {});
          await RELEASE.execute(trx, {});
          outcomes.push({ ok: false, error });
        }
      }
      await trx.commit().execute();
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing of this batch is durable.
      if (!trx.isCommitted && !trx.isRolledBack) await trx.rollback().execute().catch(() => undefined);
      for (const item of batch) item.reject(error);
      return;
    }
    this.#onBatchCommitted?.(batch.length, performance.now() - started);
    batch.forEach((item, index) => {
      const outcome = outcomes[index];
      if (outcome?.ok === true) item.resolve(outcome.value);
      else item.reject(outcome?.error);
    });
  }
}
