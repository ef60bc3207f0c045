/**
 * A kind of job: what a feature registers with the job runner (server/jobs/job-runner.ts) for each
 * timed thing it does (a snooze's wake-up, the offline requeue, an away message, a scheduled
 * message). Its handler is store work: it runs in the transaction that marks the job done, so what
 * it writes commits with the job or not at all, and a job never takes effect twice.
 */
import type { z } from 'zod';
import type { StoreTransaction } from '../store/group-commit.js';

/** Lowercase words joined by dots, dashes or underscores: `conversation.snooze_end`. */
export const JOB_KIND_PATTERN = /^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/;
export const MAX_DEDUPE_KEY_LENGTH = 200;

export interface JobRef {
  readonly id: number;
  readonly kind: string;
  readonly conversationId: number | null;
  readonly dueAt: number;
  /** This attempt's number, from 1. */
  readonly attempt: number;
  readonly maxAttempts: number;
}

export interface JobContext<P> {
  /** The job's transaction: what the handler writes commits with the job's `done`. */
  readonly trx: StoreTransaction;
  readonly job: JobRef;
  readonly payload: P;
  /** The runner's clock at the start of this attempt. */
  readonly now: number;
  /** Runs once the job's transaction has committed (to wake a worker); never when it rolls back. */
  afterCommit(effect: () => void): void;
}

export interface JobKind<P = unknown> {
  readonly kind: string;
  /** Checked when the job is scheduled and again when it runs. */
  readonly payload: z.ZodType<P>;
  /**
   * Store work only, as every work of the group committer (it must await nothing but the
   * transaction): anything outside the store is queued for its worker (the outbound dispatcher)
   * or done in `afterCommit`. Throwing rolls its writes back and the job is retried.
   */
  run(context: JobContext<P>): Promise<void>;
  /** Attempts before the job ends `failed` (default 5). */
  readonly maxAttempts?: number;
  /** The first retry's delay; each next one doubles, up to `retryMaxMs` (defaults 5 s and 1 h), with ±20% jitter. */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
}

/** A kind with its payload's type kept, for `JobRunner.register`. */
export function jobKind<P>(kind: JobKind<P>): JobKind<P> {
  return kind;
}

export const JOB_DEFAULTS = { maxAttempts: 5, retryBaseMs: 5_000, retryMaxMs: 60 * 60 * 1000 } as const;

/** The delay before attempt `attempt + 1`, after `attempt` failed. */
export function retryDelay(kind: Pick<JobKind, 'retryBaseMs' | 'retryMaxMs'>, attempt: number, random: () => number = Math.random): number {
  const base = kind.retryBaseMs ?? JOB_DEFAULTS.retryBaseMs;
  const max = kind.retryMaxMs ?? JOB_DEFAULTS.retryMaxMs;
  const delay = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(delay * (0.8 + 0.4 * random()));
}
