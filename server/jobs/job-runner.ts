/**
 * The durable job runner: every timed thing the server does is a row of `jobs` (migration 0014),
 * so it survives restarts, and runs once. A runner claims due jobs in one transaction (PostgreSQL:
 * `FOR UPDATE SKIP LOCKED`, so two server processes on one database never take the same one;
 * SQLite: its single writer) and marks them `running` under a lease; then each job's handler runs
 * in a second transaction that holds the job's row, checks the claim is still its own, and marks
 * it `done` with whatever the handler wrote, or, when the handler throws, rolls the handler back
 * and schedules the next attempt (backoff with jitter) or ends it `failed` with the error. A
 * runner that stops between the two leaves a `running` job whose lease passes; another runner
 * claims it then (the claim counted as an attempt, so a job that kills its runner runs out).
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { CodedError, isCodedError } from '../../common/errors/coded-error.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { TimerWakeups } from '../presence/shared-state.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { dialectOf } from '../store/sql-dialect.js';
import { cancelWaitingJobs } from '../store/waiting-jobs.js';
import type { JobToCancel } from '../store/waiting-jobs.js';
import type { JobKind, JobRef } from './job-kind.js';
import { JOB_DEFAULTS, JOB_KIND_PATTERN, MAX_DEDUPE_KEY_LENGTH, retryDelay } from './job-kind.js';

export interface JobRunnerOptions {
  /** How often the store is looked at for due jobs (other processes' too), at most. */
  readonly pollMs?: number;
  /** How long a claim holds before another runner may take the job over. */
  readonly leaseMs?: number;
  /** Jobs claimed at once. */
  readonly batchSize?: number;
  /** Finished jobs are kept this long for the supervisors' view; failed ones `failedRetentionMs`. */
  readonly retentionMs?: number;
  readonly failedRetentionMs?: number;
  /** Names this runner in its claims (default: host, process and a random part). */
  readonly runnerId?: string;
  readonly now?: () => number;
}

export interface JobRunnerDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  /** How runners tell one another a job became due (in one process: directly). */
  readonly wakeups: TimerWakeups;
  readonly metrics: ServerMetrics;
  readonly log: Logger;
}

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

type Claimed = JobRef & { readonly dedupeKey: string | null };
type Outcome = 'done' | 'retry' | 'failed' | 'superseded' | 'lost';

const PRUNE_EVERY_MS = 60 * 60 * 1000;
const ERROR_TEXT_LIMIT = 500;

const SAVEPOINT = sql`savepoint ${sql.id('job_handler')}`;
const RELEASE = sql`release ${sql.id('job_handler')}`;
const ROLLBACK_TO = sql`rollback to ${sql.id('job_handler')}`;

export class JobRunner {
  readonly #deps: JobRunnerDeps;
  readonly #kinds = new Map<string, JobKind<unknown>>();
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #batchSize: number;
  readonly #retentionMs: number;
  readonly #failedRetentionMs: number;
  readonly #now: () => number;
  readonly id: string;
  /** Due times of jobs scheduled in transactions not yet known to be committed. */
  #announce: number[] = [];
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #pass: Promise<void> | undefined;
  #passAgain = false;
  /** The next due job the last pass found, and the earliest announced during a pass. */
  #nextAt: number | undefined;
  #announcedAt: number | undefined;
  #started = false;
  #lastPrune = 0;

  constructor(deps: JobRunnerDeps, options: JobRunnerOptions = {}) {
    this.#deps = deps;
    this.#pollMs = options.pollMs ?? 1000;
    this.#leaseMs = options.leaseMs ?? 60_000;
    this.#batchSize = options.batchSize ?? 20;
    this.#retentionMs = options.retentionMs ?? 7 * 24 * 60 * 60 * 1000;
    this.#failedRetentionMs = options.failedRetentionMs ?? 30 * 24 * 60 * 60 * 1000;
    this.#now = options.now ?? Date.now;
    this.id = options.runnerId ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  }

  /** A feature's kind of job. Jobs of a kind no runner registered wait (visible) rather than fail. */
  register<P>(kind: JobKind<P>): void {
    if (!JOB_KIND_PATTERN.test(kind.kind) || kind.kind.length > 64)
      throw new CodedError('job_kind_invalid', `A job kind is lowercase words joined by dots, dashes or underscores: ${JSON.stringify(kind.kind)} is not.`);
    if (this.#kinds.has(kind.kind)) throw new CodedError('job_kind_invalid', `The job kind ${kind.kind} is registered already.`);
    const attempts = kind.maxAttempts ?? JOB_DEFAULTS.maxAttempts;
    if (!Number.isInteger(attempts) || attempts < 1) throw new CodedError('job_kind_invalid', `The job kind ${kind.kind} must allow at least one attempt.`);
    this.#kinds.set(kind.kind, kind);
    this.wake();
  }

  get kinds(): string[] {
    return [...this.#kinds.keys()];
  }

  /**
   * Schedules a job in the caller's transaction, so it exists exactly when what it belongs to
   * does (a snooze and its wake-up). The payload is checked against its kind's schema.
   */
  async schedule(trx: StoreTransaction, request: ScheduleRequest): Promise<Scheduled> {
    const kind = this.#kinds.get(request.kind);
    if (kind === undefined) throw new CodedError('job_kind_unknown', `There is no job kind ${JSON.stringify(request.kind)} on this server.`);
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
    const now = this.#now();
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
    this.#announce.push(request.dueAt);
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

  /** Cancels waiting jobs (a snooze ended early): by id, or every one of a kind with a dedupe key. Answers how many. */
  cancel(trx: StoreTransaction, which: JobToCancel): Promise<number> {
    return cancelWaitingJobs(trx, which, this.#now());
  }

  /** After every group commit: jobs scheduled in it may be due before the next poll. */
  committed(): void {
    if (this.#announce.length === 0) return;
    const earliest = Math.min(...this.#announce);
    this.#announce = [];
    this.#deps.wakeups.announce(earliest);
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#unsubscribe = this.#deps.wakeups.onAnnounced((dueAt) => this.#armAt(dueAt));
    this.wake();
  }

  /** Stops claiming; resolves once the jobs it is running have finished. */
  async stop(): Promise<void> {
    this.#started = false;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#pass;
  }

  /** Looks for due jobs now. */
  wake(): void {
    if (!this.#started) return;
    if (this.#pass !== undefined) {
      this.#passAgain = true;
      return;
    }
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pass = this.#runPass().finally(() => {
      this.#pass = undefined;
      if (!this.#started) return;
      if (this.#passAgain) {
        this.#passAgain = false;
        this.wake();
        return;
      }
      const next = Math.min(this.#nextAt ?? Number.POSITIVE_INFINITY, this.#announcedAt ?? Number.POSITIVE_INFINITY);
      this.#announcedAt = undefined;
      this.#armAt(Number.isFinite(next) ? next : undefined);
    });
  }

  /** Claims and runs every job due now (each batch one claim), and answers how many ran. */
  async runDue(): Promise<number> {
    let ran = 0;
    for (;;) {
      const claimed = await this.#claim();
      if (claimed.length === 0) return ran;
      await Promise.all(claimed.map((job) => this.#run(job)));
      ran += claimed.length;
    }
  }

  async #runPass(): Promise<void> {
    try {
      do {
        this.#passAgain = false;
        await this.runDue();
      } while (this.#passAgain && this.#started);
      await this.#pruneNow();
      this.#nextAt = await this.#nextDueAt();
    } catch (error) {
      this.#deps.log.error({ err: error }, 'job runner pass failed');
      this.#nextAt = this.#now() + this.#pollMs;
    }
  }

  /** Wakes at `at`, or at the next poll when that is sooner; during a pass, once it is over. */
  #armAt(at: number | undefined): void {
    if (!this.#started) return;
    if (this.#pass !== undefined) {
      if (at !== undefined) this.#announcedAt = Math.min(this.#announcedAt ?? Number.POSITIVE_INFINITY, at);
      return;
    }
    const delay = Math.max(0, Math.min(this.#pollMs, (at ?? Number.POSITIVE_INFINITY) - this.#now()));
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.wake();
    }, delay);
  }

  async #nextDueAt(): Promise<number | undefined> {
    const kinds = this.kinds;
    if (kinds.length === 0) return undefined;
    const row = await this.#deps.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.min('due_at').as('due_at'))
      .where('state', '=', sql.lit('waiting'))
      .where('kind', 'in', kinds)
      .executeTakeFirst();
    return row?.due_at === null || row?.due_at === undefined ? undefined : Number(row.due_at);
  }

  /** One transaction: the due jobs no other runner holds become this runner's, `running`, an attempt each. */
  async #claim(): Promise<Claimed[]> {
    const kinds = this.kinds;
    if (kinds.length === 0) return [];
    const now = this.#now();
    return this.#deps.committer.submit(async (trx) => {
      let due = trx
        .selectFrom('jobs')
        .select(['id', 'kind', 'conversation_id', 'dedupe_key', 'due_at', 'attempts', 'max_attempts'])
        .where('kind', 'in', kinds)
        .where((eb) =>
          eb.or([
            eb.and([eb('state', '=', sql.lit('waiting')), eb('due_at', '<=', now)]),
            // Left by a runner that stopped between its claim and its run.
            eb.and([eb('state', '=', sql.lit('running')), eb('lease_until', '<=', now)]),
          ]),
        )
        .orderBy('due_at')
        .orderBy('id')
        .limit(this.#batchSize);
      if (dialectOf(trx) === 'postgres') due = due.forUpdate().skipLocked();
      const rows = await due.execute();
      if (rows.length === 0) return [];
      await trx
        .updateTable('jobs')
        .set({ state: 'running', attempts: sql<number>`attempts + 1`, claimed_by: this.id, lease_until: now + this.#leaseMs, updated_at: now })
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
    });
  }

  /** The handler and the job's outcome, in one transaction that holds the job's row. */
  async #run(job: Claimed): Promise<void> {
    const kind = this.#kinds.get(job.kind);
    if (kind === undefined) return;
    const effects: Array<() => void> = [];
    let outcome: Outcome;
    try {
      outcome = await this.#deps.committer.submit(async (trx) => {
        let mine = trx
          .selectFrom('jobs')
          .select('payload_json')
          .where('id', '=', job.id)
          .where('claimed_by', '=', this.id)
          .where('state', '=', sql.lit('running'));
        if (dialectOf(trx) === 'postgres') mine = mine.forUpdate();
        const row = await mine.executeTakeFirst();
        // The lease passed and another runner took it over: it is theirs now.
        if (row === undefined) return 'lost' as const;
        const now = this.#now();
        const payload = kind.payload.safeParse(parseJson(row.payload_json));
        if (!payload.success) {
          const problem = new CodedError('job_payload_invalid', `The stored payload of this ${job.kind} job does not fit its kind.`);
          return this.#finish(trx, job, 'failed', now, problem);
        }
        await SAVEPOINT.execute(trx);
        try {
          await kind.run({ trx, job, payload: payload.data, now, afterCommit: (effect) => effects.push(effect) });
          await RELEASE.execute(trx);
        } catch (error) {
          await ROLLBACK_TO.execute(trx);
          await RELEASE.execute(trx);
          effects.length = 0;
          this.#deps.log.warn({ err: error, jobId: job.id, kind: job.kind, attempt: job.attempt }, 'job failed');
          return this.#failed(trx, kind, job, now, error);
        }
        return this.#finish(trx, job, 'done', now);
      });
    } catch (error) {
      // The transaction itself failed: the job stays claimed until its lease passes, then runs again.
      this.#deps.log.error({ err: error, jobId: job.id, kind: job.kind }, 'job could not be run');
      return;
    }
    if (outcome !== 'lost') this.#deps.metrics.jobsRun.inc({ kind: job.kind, outcome });
    for (const effect of effects) {
      try {
        effect();
      } catch (error) {
        this.#deps.log.error({ err: error, jobId: job.id, kind: job.kind }, 'job after-commit effect failed');
      }
    }
  }

  /** After a failed attempt: another one later, or `failed` for good, or `cancelled` when a newer schedule of the same thing waits. */
  async #failed(trx: StoreTransaction, kind: JobKind<unknown>, job: Claimed, now: number, error: unknown): Promise<Outcome> {
    if (job.attempt >= job.maxAttempts) return this.#finish(trx, job, 'failed', now, error);
    if (job.dedupeKey !== null) {
      const newer = await trx
        .selectFrom('jobs')
        .select('id')
        .where('kind', '=', job.kind)
        .where('dedupe_key', '=', job.dedupeKey)
        .where('state', '=', sql.lit('waiting'))
        .executeTakeFirst();
      if (newer !== undefined) return this.#finish(trx, job, 'superseded', now, error);
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

  async #finish(trx: StoreTransaction, job: Claimed, outcome: 'done' | 'failed' | 'superseded', now: number, error?: unknown): Promise<Outcome> {
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

  async #pruneNow(): Promise<void> {
    const now = this.#now();
    if (now - this.#lastPrune < PRUNE_EVERY_MS) return;
    this.#lastPrune = now;
    await this.#deps.committer.submit(async (trx) => {
      await trx
        .deleteFrom('jobs')
        .where((eb) => eb.or([eb('state', '=', sql.lit('done')), eb('state', '=', sql.lit('cancelled'))]))
        .where('finished_at', '<', now - this.#retentionMs)
        .execute();
      await trx
        .deleteFrom('jobs')
        .where('state', '=', sql.lit('failed'))
        .where('finished_at', '<', now - this.#failedRetentionMs)
        .execute();
    });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What the supervisors' view says went wrong: a coded error's own words, else a pointer to the log (a stray error's text could hold anything). */
function describeError(error: unknown): { code: string; message: string } {
  if (isCodedError(error)) return { code: error.code, message: error.message.slice(0, ERROR_TEXT_LIMIT) };
  return { code: 'job_failed', message: 'The job’s handler failed; the server log has the error.' };
}
