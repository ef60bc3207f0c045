/**
 * Two job runners on one PostgreSQL database, as two server replicas would be (each its own pool,
 * its own group committer, no wake-ups shared): for schedules fast-check makes (jobs due in the
 * past and the near future, some failing their first attempts, the runners polling at different
 * paces with different batch sizes, handlers holding their transaction a few milliseconds),
 * every job's handler succeeds exactly once, its effect is in the store exactly once, no two
 * attempts of one job ever overlap, and each job took as many attempts as it failed plus one.
 *
 * The control: the same property with two claimers that read the due jobs without a row lock and
 * then mark them theirs fails, fast-check finds the schedule. PostgreSQL only (the `postgres`
 * project): on SQLite one write lock serialises every claim.
 */
import crypto from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CodedError } from '../../common/errors/coded-error.js';
import { JobRunner } from '../../server/jobs/job-runner.js';
import { ServerMetrics } from '../../server/metrics/server-metrics.js';
import { inProcessSharedState } from '../../server/presence/in-process-state.js';
import { GroupCommitter } from '../../server/store/group-commit.js';
import type { StoreTransaction } from '../../server/store/group-commit.js';
import { openDatabase } from '../../server/store/open-database.js';
import type { OpenedDatabase } from '../../server/store/open-database.js';
import { eventually } from '../helpers/store-queries.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { postgresUrlFor } from '../helpers/test-store.js';

const KIND = 'test.stress';
const EFFECT = 'test.stress_effect';

interface PlannedJob {
  readonly dueInMs: number;
  /** Attempts that throw before one succeeds. */
  readonly failures: number;
}
interface RunnerPlan {
  readonly pollMs: number;
  readonly batchSize: number;
}
interface Schedule {
  readonly jobs: readonly PlannedJob[];
  readonly runners: readonly [RunnerPlan, RunnerPlan];
  readonly holdMs: number;
}

const runnerPlan = fc.record({ pollMs: fc.integer({ min: 2, max: 25 }), batchSize: fc.integer({ min: 1, max: 6 }) });
const schedules: fc.Arbitrary<Schedule> = fc.record({
  jobs: fc.array(fc.record({ dueInMs: fc.integer({ min: -200, max: 150 }), failures: fc.constantFrom(0, 0, 0, 1, 2) }), { minLength: 4, maxLength: 30 }),
  runners: fc.tuple(runnerPlan, runnerPlan),
  holdMs: fc.integer({ min: 0, max: 4 }),
});

/** What the handlers saw, per job of one run. */
class Observed {
  readonly successes = new Map<number, string[]>();
  readonly attempts = new Map<number, number>();
  readonly active = new Set<number>();
  overlaps = 0;

  begin(index: number): void {
    if (this.active.has(index)) this.overlaps += 1;
    this.active.add(index);
    this.attempts.set(index, (this.attempts.get(index) ?? 0) + 1);
  }

  end(index: number, runner: string | undefined): void {
    this.active.delete(index);
    if (runner !== undefined) this.successes.set(index, [...(this.successes.get(index) ?? []), runner]);
  }
}

const Payload = z.object({ run: z.string(), index: z.number().int(), failures: z.number().int() });
type Payload = z.infer<typeof Payload>;

/** The handler's effect in the store, in its transaction: a row no runner runs. */
async function effect(trx: StoreTransaction, payload: Payload, runner: string, holdMs: number): Promise<void> {
  if (holdMs > 0) await sql`select pg_sleep(${holdMs / 1000})`.execute(trx);
  const now = Date.now();
  await trx
    .insertInto('jobs')
    .values({
      kind: EFFECT,
      payload_json: JSON.stringify({ run: payload.run, index: payload.index, runner }),
      state: 'done',
      due_at: now,
      max_attempts: 1,
      created_at: now,
      updated_at: now,
      finished_at: now,
    })
    .execute();
}

let temp: { dir: string; remove: () => void };
let stores: OpenedDatabase[] = [];
let committers: GroupCommitter[] = [];

beforeAll(async () => {
  temp = makeTempDir('sportello-job-runners-');
  const url = await postgresUrlFor(temp.dir);
  stores = [await openDatabase(temp.dir, url), await openDatabase(temp.dir, url)];
  committers = stores.map((store) => new GroupCommitter(store.db));
});
afterAll(async () => {
  for (const committer of committers) await committer.idle();
  for (const store of stores) await store.close();
  temp?.remove();
});

/** The jobs of a run, scheduled through the first replica (by a runner that is never started). */
async function scheduleRun(schedule: Schedule, run: string): Promise<void> {
  const scheduler = new JobRunner(
    { db: stores[0]!.db, committer: committers[0]!, wakeups: inProcessSharedState().wakeups, metrics: new ServerMetrics(), log: pino({ level: 'silent' }) },
    { runnerId: `scheduler:${run}` },
  );
  scheduler.register({ kind: KIND, payload: Payload, run: () => Promise.resolve() });
  const now = Date.now();
  await committers[0]!.submit(async (trx) => {
    for (const [index, job] of schedule.jobs.entries()) {
      await scheduler.schedule(trx, { kind: KIND, dueAt: now + job.dueInMs, payload: { run, index, failures: job.failures } });
    }
  });
}

async function doneCount(run: string): Promise<number> {
  const rows = await stores[0]!.db
    .selectFrom('jobs')
    .select('state')
    .where('kind', '=', KIND)
    .where(sql<string>`payload_json::json->>'run'`, '=', run)
    .execute();
  return rows.filter((row) => row.state === 'done').length;
}

async function effectsOf(run: string): Promise<Map<number, number>> {
  const rows = await stores[0]!.db
    .selectFrom('jobs')
    .select('payload_json')
    .where('kind', '=', EFFECT)
    .where(sql<string>`payload_json::json->>'run'`, '=', run)
    .execute();
  const counts = new Map<number, number>();
  for (const row of rows) {
    const { index } = JSON.parse(row.payload_json) as { index: number };
    counts.set(index, (counts.get(index) ?? 0) + 1);
  }
  return counts;
}

/** Each job succeeded once, its effect stored once, never two attempts at once, failures + 1 attempts. */
function expectOnce(schedule: Schedule, observed: Observed, effects: Map<number, number>): void {
  expect(observed.overlaps).toBe(0);
  for (const [index, job] of schedule.jobs.entries()) {
    expect(observed.successes.get(index)?.length, `job ${index} succeeded`).toBe(1);
    expect(effects.get(index), `job ${index}'s effect`).toBe(1);
    expect(observed.attempts.get(index), `job ${index}'s attempts`).toBe(job.failures + 1);
  }
}

describe('two job runners on one PostgreSQL database', () => {
  it('never run one job twice, whatever the timing', async () => {
    await fc.assert(
      fc.asyncProperty(schedules, async (schedule) => {
        const run = crypto.randomUUID();
        const observed = new Observed();
        const register = (runner: JobRunner) =>
          runner.register({
            kind: KIND,
            payload: Payload,
            retryBaseMs: 5,
            retryMaxMs: 20,
            run: async ({ trx, payload, job }) => {
              if (payload.run !== run) return;
              observed.begin(payload.index);
              let succeeded = false;
              try {
                await effect(trx, payload, runner.id, schedule.holdMs);
                if (job.attempt <= payload.failures) throw new CodedError('test_refused', `attempt ${job.attempt} refused`);
                succeeded = true;
              } finally {
                observed.end(payload.index, succeeded ? runner.id : undefined);
              }
            },
          });
        await scheduleRun(schedule, run);
        const runners = schedule.runners.map((plan, replica) => {
          const runner = new JobRunner(
            {
              db: stores[replica]!.db,
              committer: committers[replica]!,
              wakeups: inProcessSharedState().wakeups,
              metrics: new ServerMetrics(),
              log: pino({ level: 'silent' }),
            },
            { pollMs: plan.pollMs, batchSize: plan.batchSize, runnerId: `replica-${replica}:${run}` },
          );
          register(runner);
          return runner;
        });
        for (const runner of runners) runner.start();
        try {
          await eventually(async () => ((await doneCount(run)) === schedule.jobs.length ? true : undefined), 30_000, 'every job done');
        } finally {
          await Promise.all(runners.map((runner) => runner.stop()));
        }
        expectOnce(schedule, observed, await effectsOf(run));
      }),
      { numRuns: 25 },
    );
  }, 240_000);

  it('control: claimers that take due jobs without a row lock do run one twice, and the property finds it', async () => {
    /** Reads the due jobs, then marks them its own: between the two, the other claimer reads the same ones. */
    const naiveClaimer = async (replica: number, run: string, observed: Observed, holdMs: number) => {
      const committer = committers[replica]!;
      for (;;) {
        const due = await committer.submit(async (trx) => {
          const rows = await trx
            .selectFrom('jobs')
            .select(['id', 'payload_json'])
            .where('kind', '=', KIND)
            .where('state', '=', 'waiting')
            .where('due_at', '<=', Date.now())
            .where(sql<string>`payload_json::json->>'run'`, '=', run)
            .limit(3)
            .execute();
          await sql`select pg_sleep(0.003)`.execute(trx);
          if (rows.length > 0)
            await trx
              .updateTable('jobs')
              .set({ state: 'running' })
              .where(
                'id',
                'in',
                rows.map((row) => row.id),
              )
              .execute();
          return rows;
        });
        if (due.length === 0) return;
        for (const row of due) {
          const payload = Payload.parse(JSON.parse(row.payload_json));
          await committer.submit(async (trx) => {
            observed.begin(payload.index);
            await effect(trx, payload, `naive-${replica}`, holdMs);
            observed.end(payload.index, `naive-${replica}`);
            await trx.updateTable('jobs').set({ state: 'done' }).where('id', '=', row.id).execute();
          });
        }
      }
    };
    const result = await fc.check(
      fc.asyncProperty(schedules, async (planned) => {
        const schedule = { ...planned, jobs: planned.jobs.map(() => ({ dueInMs: -100, failures: 0 })) };
        const run = crypto.randomUUID();
        const observed = new Observed();
        await scheduleRun(schedule, run);
        await Promise.all([naiveClaimer(0, run, observed, schedule.holdMs), naiveClaimer(1, run, observed, schedule.holdMs)]);
        expectOnce(schedule, observed, await effectsOf(run));
      }),
      { numRuns: 30 },
    );
    expect(result.failed).toBe(true);
  }, 240_000);
});
