import type { ControlledTransaction, Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { CodedError } from '../../common/errors/coded-error.js';
import { prepareQuery } from './prepared-query.js';
import type { InboxDatabase } from './schema.js';

// Kysely's trx.savepoint() builds and compiles each command and a transaction object per call;
// these are the same standard statements, compiled once.
const SAVEPOINT = prepareQuery(() => sql`savepoint ${sql.id('work')}`);
const RELEASE = prepareQuery(() => sql`release ${sql.id('work')}`);
const ROLLBACK_TO = prepareQuery(() => sql`rollback to ${sql.id('work')}`);

/** Event-loop turns a batch waits for more work at most. */
const MAX_GATHER_TURNS = 4;

export type StoreTransaction = Transaction<InboxDatabase>;
/** A unit of work: database statements only. It must not await anything but the transaction. */
export type StoreWork<T> = (trx: StoreTransaction) => Promise<T>;

export interface SubmitOptions {
  /**
   * The work only reads and writes the store and has no effect outside the transaction, so
   * running it again after a rollback is the same as running it once. It may then be run
   * without a savepoint of its own, and run again (see GroupCommitter).
   */
  readonly replayable?: boolean;
}

interface PendingWork {
  work: StoreWork<unknown>;
  replayable: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export interface GroupCommitOptions {
  /** Upper bound of works sharing one transaction. */
  maxBatch?: number;
  /** Called after every commit with the batch size and how long the transaction took. */
  onBatchCommitted?: (size: number, durationMs: number) => void;
  /** The key the works' audit rows are chained with; without it, a work that appends one fails. */
  auditKey?: AuditChainKey;
  /** Called after a commit whose works appended audit rows (to write a checkpoint of the chain). */
  onAuditCommitted?: () => void;
}

/** HMAC under the audit chain's key: the server key provides it (server/secrets/server-key.ts). */
export interface AuditChainKey {
  auditHmac(purpose: string, message: string): string;
}

/** What a transaction's works share to extend the audit chain (server/audit/audit-log.ts). */
export interface AuditScope {
  readonly key: AuditChainKey;
  /** Set by a work that appended an audit row. */
  appended: boolean;
}

/**
 * The committer is the store's only writer, so it holds the key the audit chain is extended
 * with and hands it to the works of each transaction it runs, rather than every caller of
 * appendAudit carrying it.
 */
const auditScopes = new WeakMap<StoreTransaction, AuditScope>();

/** The audit scope of a transaction opened by a GroupCommitter that holds the audit key. */
export function auditScopeOf(trx: StoreTransaction): AuditScope | undefined {
  return auditScopes.get(trx);
}

/**
 * Group commit: every work submitted while a commit is under way (or in the same turn of the
 * event loop) runs in one shared transaction, and each caller's promise settles only after that
 * transaction has been committed, and fsynced (synchronous=FULL). One fsync then covers many
 * webhooks, so throughput grows with load without weakening durability.
 *
 * A work that throws is rolled back alone and its caller gets the error; the others commit. For
 * that each work runs inside its own savepoint, except in a batch made only of replayable works
 * (webhooks): it runs with no savepoints, and only if one of its works throws is the transaction
 * rolled back and the batch run again, a savepoint each. The common case, a batch of webhooks
 * that all apply, is spared two statements and a page journal per webhook.
 */
export class GroupCommitter {
  readonly #db: Kysely<InboxDatabase>;
  readonly #maxBatch: number;
  readonly #onBatchCommitted: GroupCommitOptions['onBatchCommitted'];
  readonly #auditKey: AuditChainKey | undefined;
  readonly #onAuditCommitted: GroupCommitOptions['onAuditCommitted'];
  #queue: PendingWork[] = [];
  #running: Promise<void> | undefined;
  #closed = false;

  constructor(db: Kysely<InboxDatabase>, options: GroupCommitOptions = {}) {
    this.#db = db;
    this.#maxBatch = options.maxBatch ?? 2000;
    this.#onBatchCommitted = options.onBatchCommitted;
    this.#auditKey = options.auditKey;
    this.#onAuditCommitted = options.onAuditCommitted;
  }

  /** The key this committer's works chain audit rows with (to verify the chain with). */
  get auditKey(): AuditChainKey | undefined {
    return this.#auditKey;
  }

  /** Runs `work` in the next group transaction; resolves with its result once it is durable. */
  submit<T>(work: StoreWork<T>, options: SubmitOptions = {}): Promise<T> {
    // Made here, so its stack names the caller that still wrote while the server stopped.
    if (this.#closed) return Promise.reject(new CodedError('store_closed', 'The store is closing: this work was not done.'));
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, replayable: options.replayable === true, resolve: resolve as (value: unknown) => void, reject });
      this.#running ??= this.#drain();
    });
  }

  /** Resolves when everything submitted so far has been committed or has failed. */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  /**
   * Takes no more work, and resolves once what was submitted is committed: call it before the
   * database closes, so a late writer is refused by name instead of reaching a closed driver.
   */
  async close(): Promise<void> {
    this.#closed = true;
    await this.idle();
  }

  async #drain(): Promise<void> {
    try {
      for (;;) {
        await this.#gather();
        if (this.#queue.length === 0) break;
        await this.#commitBatch(this.#queue.splice(0, this.#maxBatch));
      }
    } finally {
      this.#running = undefined;
    }
  }

  /**
   * Lets the event loop run while that brings more work: requests that arrived while the last
   * batch was being applied and committed are read and join the next batch, instead of waiting
   * for the one after. Bounded, so a steady stream cannot hold a batch back for long.
   */
  async #gather(): Promise<void> {
    for (let turn = 0; turn < MAX_GATHER_TURNS && this.#queue.length < this.#maxBatch; turn += 1) {
      const before = this.#queue.length;
      await new Promise<void>((done) => setImmediate(done));
      if (this.#queue.length === before) return;
    }
  }

  async #commitBatch(batch: PendingWork[]): Promise<void> {
    const started = performance.now();
    let run: CommittedRun;
    try {
      run = (batch.every((item) => item.replayable) ? await this.#runBare(batch) : undefined) ?? (await this.#runWithSavepoints(batch));
    } catch (error) {
      // The transaction failed as a whole (disk full, I/O error): nothing of this batch is durable.
      for (const item of batch) item.reject(error);
      return;
    }
    this.#onBatchCommitted?.(batch.length, performance.now() - started);
    if (run.audited) this.#onAuditCommitted?.();
    batch.forEach((item, index) => {
      const outcome = run.outcomes[index];
      if (outcome?.ok === true) item.resolve(outcome.value);
      else item.reject(outcome?.error);
    });
  }

  /** Every work in one transaction, no savepoints; if one throws, nothing is kept and the answer is undefined. */
  async #runBare(batch: PendingWork[]): Promise<CommittedRun | undefined> {
    const trx = await this.#open();
    const outcomes = await finishTransaction(trx, async () => {
      const outcomes: Outcome[] = [];
      for (const item of batch) {
        try {
          outcomes.push({ ok: true, value: await item.work(trx) });
        } catch {
          return undefined;
        }
      }
      return outcomes;
    });
    return outcomes === undefined ? undefined : { outcomes, audited: auditScopes.get(trx)?.appended === true };
  }

  async #runWithSavepoints(batch: PendingWork[]): Promise<CommittedRun> {
    const trx = await this.#open();
    const outcomes = await finishTransaction(trx, async () => {
      const each: Outcome[] = [];
      for (const item of batch) each.push(await runAlone(trx, item));
      return each;
    });
    // Never undefined: runAlone settles every work.
    return { outcomes: outcomes ?? [], audited: auditScopes.get(trx)?.appended === true };
  }

  async #open(): Promise<ControlledTransaction<InboxDatabase>> {
    const trx = await this.#db.startTransaction().execute();
    if (this.#auditKey !== undefined) auditScopes.set(trx, { key: this.#auditKey, appended: false });
    return trx;
  }
}

/** A committed transaction: each work's outcome, and whether any appended to the audit chain. */
interface CommittedRun {
  readonly outcomes: readonly Outcome[];
  readonly audited: boolean;
}

/** Runs `body` in `trx`, then commits, or rolls back when it answers undefined or throws. */
async function finishTransaction<T>(trx: ControlledTransaction<InboxDatabase>, body: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    const result = await body();
    if (result === undefined) await trx.rollback().execute();
    else await trx.commit().execute();
    return result;
  } catch (error) {
    if (!trx.isCommitted && !trx.isRolledBack)
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
    throw error;
  }
}

/** One work in its own savepoint: if it throws, what it wrote is rolled back. */
async function runAlone(trx: StoreTransaction, item: PendingWork): Promise<Outcome> {
  await SAVEPOINT.execute(trx, {});
  try {
    const value = await item.work(trx);
    await RELEASE.execute(trx, {});
    return { ok: true, value };
  } catch (error) {
    await ROLLBACK_TO.execute(trx, {});
    await RELEASE.execute(trx, {});
    return { ok: false, error };
  }
}
