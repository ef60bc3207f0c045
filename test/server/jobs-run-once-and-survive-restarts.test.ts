/**
 * The durable job runner on the store the suite runs on (SQLite, and PostgreSQL in the postgres
 * project): a job due in the past runs once; one scheduled before a restart runs after it; a
 * failing one is retried with backoff and ends `failed`, visibly to supervisors (never its
 * payload), its writes rolled back each time; a job a stopped runner left `running` is taken over
 * once its lease has passed; dedupe keys, cancelling and bad input.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { JobPage } from '../../common/api/presence.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { jobKind } from '../../server/jobs/job-kind.js';
import type { JobKind } from '../../server/jobs/job-kind.js';
import type { ScheduleRequest } from '../../server/jobs/job-runner.js';
import { approvedDevice, enrolledAgent, IT } from '../helpers/identity-setup.js';
import { runEvery } from '../helpers/run-every.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await runEvery(servers.splice(0).map((t) => () => t.close()));
});

async function server(t?: TestServer): Promise<TestServer> {
  const started = t ?? (await startTestServer());
  servers.push(started);
  return started;
}

/** A timed thing with an effect in the store: the agent goes away. Each run is noted. */
function awayKind(runs: number[], extra: Partial<JobKind<{ agentId: number }>> = {}) {
  return jobKind({
    kind: 'test.agent_away',
    payload: z.object({ agentId: z.number().int().positive() }),
    run: async ({ trx, job, payload, now }) => {
      runs.push(job.id);
      await trx
        .insertInto('agent_settings')
        .values({ agent_id: payload.agentId, available: 0, updated_at: now })
        .onConflict((oc) => oc.column('agent_id').doUpdateSet({ available: 0, updated_at: now }))
        .execute();
    },
    ...extra,
  });
}

async function agentId(t: TestServer, username: string): Promise<number> {
  return (await t.server.identity.agents.create({ username, displayName: username, roles: ['agent'] }, IT)).agent.id;
}

const schedule = (t: TestServer, request: ScheduleRequest) => t.server.committer.submit((trx) => t.server.jobs.schedule(trx, request));
const jobRow = (t: TestServer, id: number) => t.server.database.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const isAway = async (t: TestServer, id: number) =>
  (await t.server.database.db.selectFrom('agent_settings').select('available').where('agent_id', '=', id).executeTakeFirst())?.available === 0;
const until = (t: TestServer, id: number, state: string) =>
  eventually(async () => ((await jobRow(t, id)).state === state ? jobRow(t, id) : undefined), 15_000, `job ${id} ${state}`);

describe('the job runner', () => {
  it('runs a job due in the past once, its writes committed with it', async () => {
    const t = await server();
    const runs: number[] = [];
    t.server.jobs.register(awayKind(runs));
    const anna = await agentId(t, 'anna');
    const { id, created } = await schedule(t, { kind: 'test.agent_away', dueAt: Date.now() - 60_000, payload: { agentId: anna } });
    expect(created).toBe(true);
    const done = await until(t, id, 'done');
    expect(done).toMatchObject({ attempts: 1, last_error_code: null, claimed_by: null, lease_until: null });
    expect(done.finished_at).not.toBeNull();
    expect(await isAway(t, anna)).toBe(true);
    // More passes find nothing left to run.
    expect(await t.server.jobs.runDue()).toBe(0);
    expect(runs).toEqual([id]);
  });

  it('runs after a restart a job scheduled before it', async () => {
    const first = await server();
    const before: number[] = [];
    first.server.jobs.register(awayKind(before));
    const anna = await agentId(first, 'anna');
    const { id } = await schedule(first, { kind: 'test.agent_away', dueAt: Date.now() + 1500, payload: { agentId: anna } });
    const t = await server(await first.restart());
    const after: number[] = [];
    t.server.jobs.register(awayKind(after));
    expect((await jobRow(t, id)).state).toBe('waiting');
    await until(t, id, 'done');
    expect(await isAway(t, anna)).toBe(true);
    expect([before, after]).toEqual([[], [id]]);
  });

  it('takes over, once its lease has passed, a job a stopped runner left running', async () => {
    const t = await server();
    const runs: number[] = [];
    const anna = await agentId(t, 'anna');
    /** A job some runner claimed, an attempt counted, its lease ending at `leaseUntil`. */
    const claimed = (claimedBy: string, leaseUntil: number) =>
      t.server.database.db
        .insertInto('jobs')
        .values({
          kind: 'test.agent_away',
          payload_json: JSON.stringify({ agentId: anna }),
          state: 'running',
          due_at: Date.now() - 120_000,
          attempts: 1,
          max_attempts: 5,
          claimed_by: claimedBy,
          lease_until: leaseUntil,
          created_at: Date.now() - 120_000,
          updated_at: Date.now() - 60_000,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    // As a runner killed between its claim and its run leaves it: its lease run out.
    const left = await claimed('replica-gone:1:dead', Date.now() - 1);
    // One whose lease still holds is another runner's: left alone.
    const held = await claimed('replica-alive:1:well', Date.now() + 3_600_000);
    t.server.jobs.register(awayKind(runs));
    expect(await until(t, left.id, 'done')).toMatchObject({ attempts: 2 });
    expect(await t.server.jobs.runDue()).toBe(0);
    expect(runs).toEqual([left.id]);
    expect(await jobRow(t, held.id)).toMatchObject({ state: 'running', claimed_by: 'replica-alive:1:well' });
  });

  it('retries a failing job with backoff, rolls back its writes each time, then fails it visibly to supervisors', async () => {
    const t = await server();
    const tries: number[] = [];
    const anna = await agentId(t, 'anna');
    t.server.jobs.register(
      jobKind({
        kind: 'test.refused',
        payload: z.object({ agentId: z.number().int(), note: z.string() }),
        maxAttempts: 3,
        retryBaseMs: 50,
        run: async ({ trx, payload, now, job }) => {
          tries.push(now);
          await trx.insertInto('agent_settings').values({ agent_id: payload.agentId, available: 0, updated_at: now }).execute();
          throw new CodedError('test_refused', `Attempt ${job.attempt} was refused.`);
        },
      }),
    );
    const { id } = await schedule(t, { kind: 'test.refused', dueAt: Date.now(), payload: { agentId: anna, note: 'a secret payload' } });
    const retrying = await eventually(async () => {
      const row = await jobRow(t, id);
      return row.state === 'waiting' && row.attempts === 1 ? row : undefined;
    });
    expect(retrying).toMatchObject({ last_error_code: 'test_refused', last_error: 'Attempt 1 was refused.' });
    expect(retrying.due_at).toBeGreaterThan(retrying.updated_at);
    const failed = await until(t, id, 'failed');
    expect(failed).toMatchObject({ attempts: 3, last_error_code: 'test_refused', last_error: 'Attempt 3 was refused.' });
    expect(tries).toHaveLength(3);
    // Each retry waited longer than the one before (50 ms doubling, ±20%).
    const [a = 0, b = 0, c = 0] = tries;
    expect(b - a).toBeGreaterThanOrEqual(40);
    expect(c - b).toBeGreaterThanOrEqual(80);
    expect(await isAway(t, anna)).toBe(false);
    expect(await t.server.jobs.runDue()).toBe(0);

    const desk = await approvedDevice(t);
    const sara = await enrolledAgent(t, desk, 'sara', 'supervisor');
    const bruno = await enrolledAgent(t, desk, 'bruno');
    const seen = await desk.call<JobPage>('GET', '/v1/supervision/jobs?state=failed', undefined, sara.session.accessToken);
    expect(seen.status).toBe(200);
    expect(seen.body.items).toEqual([
      {
        id,
        kind: 'test.refused',
        conversationId: null,
        state: 'failed',
        dueAt: failed.due_at,
        attempts: 3,
        maxAttempts: 3,
        lastError: { code: 'test_refused', message: 'Attempt 3 was refused.' },
        createdAt: failed.created_at,
        finishedAt: failed.finished_at,
      },
    ]);
    expect(JSON.stringify(seen.body)).not.toContain('a secret payload');
    const refused = await desk.call('GET', '/v1/supervision/jobs', undefined, bruno.session.accessToken);
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden_role' } } });
  });

  it('says only that a handler failed when its error is not one of ours', async () => {
    const t = await server();
    t.server.jobs.register(
      jobKind({
        kind: 'test.stray_error',
        payload: z.object({}),
        maxAttempts: 1,
        run: () => Promise.reject(new Error('customer wrote: my card is 4111 1111 1111 1111')),
      }),
    );
    const { id } = await schedule(t, { kind: 'test.stray_error', dueAt: Date.now(), payload: {} });
    const failed = await until(t, id, 'failed');
    expect(failed).toMatchObject({ attempts: 1, last_error_code: 'job_failed' });
    expect(failed.last_error).not.toContain('4111');
  });

  it('schedules the same timed thing once per dedupe key, moves it when asked, and cancels it', async () => {
    const t = await server();
    const runs: number[] = [];
    t.server.jobs.register(awayKind(runs));
    const anna = await agentId(t, 'anna');
    const later = Date.now() + 3_600_000;
    const first = await schedule(t, { kind: 'test.agent_away', dueAt: later, payload: { agentId: anna }, dedupeKey: `away:${anna}` });
    const again = await schedule(t, { kind: 'test.agent_away', dueAt: later + 5000, payload: { agentId: anna }, dedupeKey: `away:${anna}` });
    expect(again).toEqual({ id: first.id, created: false });
    expect((await jobRow(t, first.id)).due_at).toBe(later);
    const moved = await schedule(t, { kind: 'test.agent_away', dueAt: later + 9000, payload: { agentId: anna }, dedupeKey: `away:${anna}`, replace: true });
    expect(moved).toEqual({ id: first.id, created: false });
    expect((await jobRow(t, first.id)).due_at).toBe(later + 9000);
    // The server's own jobs (the daily rescan of stored files) wait beside the test's.
    const waiting = await t.server.database.db.selectFrom('jobs').select('id').where('state', '=', 'waiting').where('kind', 'like', 'test.%').execute();
    expect(waiting).toHaveLength(1);

    // The snooze ended early: cancelled, it never runs; the same key may be scheduled anew.
    expect(await t.server.committer.submit((trx) => t.server.jobs.cancel(trx, { kind: 'test.agent_away', dedupeKey: `away:${anna}` }))).toBe(1);
    expect(await jobRow(t, first.id)).toMatchObject({ state: 'cancelled' });
    await t.server.database.db
      .updateTable('jobs')
      .set({ due_at: Date.now() - 1 })
      .where('id', '=', first.id)
      .execute();
    expect(await t.server.jobs.runDue()).toBe(0);
    const anew = await schedule(t, { kind: 'test.agent_away', dueAt: Date.now() - 1, payload: { agentId: anna }, dedupeKey: `away:${anna}` });
    expect(anew.created).toBe(true);
    expect(anew.id).not.toBe(first.id);
    await until(t, anew.id, 'done');
    expect(runs).toEqual([anew.id]);
    expect(await t.server.committer.submit((trx) => t.server.jobs.cancel(trx, { id: anew.id }))).toBe(0);
  });

  it('refuses a job of an unknown kind, a payload that does not fit, a bad due time or dedupe key, storing nothing', async () => {
    const t = await server();
    t.server.jobs.register(awayKind([]));
    const refusals: Array<[ScheduleRequest, string]> = [
      [{ kind: 'test.nobody_registered', dueAt: Date.now(), payload: {} }, 'job_kind_unknown'],
      [{ kind: 'test.agent_away', dueAt: Date.now(), payload: { agentId: 'anna' } }, 'job_payload_invalid'],
      [{ kind: 'test.agent_away', dueAt: Number.NaN, payload: { agentId: 1 } }, 'job_payload_invalid'],
      [{ kind: 'test.agent_away', dueAt: Date.now(), payload: { agentId: 1 }, dedupeKey: '' }, 'job_payload_invalid'],
      [{ kind: 'test.agent_away', dueAt: Date.now(), payload: { agentId: 1 }, dedupeKey: 'k'.repeat(201) }, 'job_payload_invalid'],
    ];
    for (const [request, code] of refusals) await expect(schedule(t, request), JSON.stringify(request)).rejects.toMatchObject({ code });
    expect(() => t.server.jobs.register(awayKind([]))).toThrow(expect.objectContaining({ code: 'job_kind_invalid' }));
    expect(() => t.server.jobs.register({ ...awayKind([]), kind: 'Not A Kind' })).toThrow(expect.objectContaining({ code: 'job_kind_invalid' }));
    const count = await t.server.database.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', 'like', 'test.%')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('leaves waiting, in view, the jobs of a kind this server does not run, and fails one whose stored payload no longer fits', async () => {
    const t = await server();
    const runs: number[] = [];
    t.server.jobs.register(awayKind(runs));
    const db = t.server.database.db;
    const now = Date.now();
    const row = (kind: string, payload: string) => ({
      kind,
      payload_json: payload,
      state: 'waiting' as const,
      due_at: now - 1000,
      max_attempts: 5,
      created_at: now,
      updated_at: now,
    });
    const foreign = await db.insertInto('jobs').values(row('test.newer_release', '{}')).returning('id').executeTakeFirstOrThrow();
    const broken = await db.insertInto('jobs').values(row('test.agent_away', '{"agentId":"x"}')).returning('id').executeTakeFirstOrThrow();
    expect(await until(t, broken.id, 'failed')).toMatchObject({ attempts: 1, last_error_code: 'job_payload_invalid' });
    expect(await t.server.jobs.runDue()).toBe(0);
    expect(await jobRow(t, foreign.id)).toMatchObject({ state: 'waiting', attempts: 0 });
    expect(runs).toEqual([]);
    // Kept in view: the supervisors' list shows it waiting, overdue.
    const overdue = await db.selectFrom('jobs').select('id').where('state', '=', sql.lit('waiting')).where('due_at', '<', Date.now()).execute();
    expect(overdue.map((job) => job.id)).toEqual([foreign.id]);
  });
});
