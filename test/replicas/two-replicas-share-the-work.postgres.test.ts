/**
 * Two replicas of the inbox server on one PostgreSQL database, each listening, each with its own
 * event feed, outbound dispatcher and job runner, one Meta stand-in between them (docs/replicas.md):
 * what one replica takes reaches agents connected to the other, and the work they share is done
 * once. PostgreSQL only (the `postgres` project): two servers cannot share one SQLite file.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appendAudit, verifyAuditChain } from '../../server/audit/audit-log.js';
import { jobKind } from '../../server/jobs/job-kind.js';
import { STATUS_RANK } from '../../server/inbox/message-status.js';
import { SENDING_LEASE_MS } from '../../server/sending/outbound-queue-store.js';
import { MAX_AGENT_FAILURES } from '../../server/credentials/credential-check.js';
import type { ServerEvent } from '../../common/api/events.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, openEventSocket } from '../helpers/identity-setup.js';
import { eventually } from '../helpers/store-queries.js';
import { enrolledWithRole, PageClient, pendingPairing } from '../approval-page/page-fixtures.js';
import { PAGE_LOGIN_THROTTLE } from '../../server/approval-page/login-throttle.js';
import { startTestServer } from '../helpers/test-server.js';
import { LISTENER_APPLICATION_NAME } from '../../server/store/notification-listener.js';
import type { TestServerOptions, TestServer } from '../helpers/test-server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  // The replica first: the first server made the data directory (and database) and removes it.
  for (const server of servers.splice(0).reverse()) await server.close();
});

/** Polls long enough never to fire in a test: only a notification from the other replica wakes a feed. */
const NO_POLLING = 600_000;

async function twoReplicas(options: TestServerOptions = {}): Promise<[TestServer, TestServer]> {
  const a = await startTestServer(options);
  servers.push(a);
  const b = await startTestServer({ ...options, dataDir: a.dataDir, replicaOf: a });
  servers.push(b);
  return [a, b];
}

const messageIn = (messageId: number) => (event: ServerEvent) => event.type === 'message' && event.message.id === messageId;

describe('two replicas on one PostgreSQL database', () => {
  it('deliver a webhook taken by one to an agent whose event socket is on the other, woken by NOTIFY (their feeds and job runners never poll)', async () => {
    const [a, b] = await twoReplicas({ eventFeed: { pollMs: NO_POLLING }, jobs: { pollMs: NO_POLLING } });
    const device = await approvedDevice(a);
    const agent = await enrolledAgent(a, device, 'rita', 'supervisor');
    const onB = await openEventSocket(b, device, agent.session.accessToken);
    await onB.next((event) => event.type === 'ready');

    const first = await customerWrites(a, customer(a, 0), 'taken by replica A');
    await onB.next(messageIn(first.messageId), 10_000);
    // And again, after the first notification: the listener keeps listening.
    const second = await customerWrites(a, customer(a, 1), 'taken by replica A again');
    await onB.next(messageIn(second.messageId), 10_000);

    // The listeners' connections are cut (as a PostgreSQL restart would): they listen again by themselves.
    const cut = await sql<{ cut: boolean }>`select pg_terminate_backend(pid) as cut from pg_stat_activity
      where application_name = ${LISTENER_APPLICATION_NAME} and datname = current_database()`.execute(a.server.database.db);
    expect(cut.rows.length).toBe(2);
    await eventually(
      async () => {
        const back = await sql`select 1 from pg_stat_activity where application_name = ${LISTENER_APPLICATION_NAME} and datname = current_database()`.execute(
          a.server.database.db,
        );
        return back.rows.length === 2 ? true : undefined;
      },
      10_000,
      'both listeners connected again',
    );
    const third = await customerWrites(a, customer(a, 2), 'taken by replica A after the cut');
    await onB.next(messageIn(third.messageId), 10_000);
    onB.close();
  }, 60_000);

  it("hand each queued send to Meta once, in each conversation's order, and hold the number's rate between them", async () => {
    const rate = 20;
    const [a, b] = await twoReplicas({ limits: { messagesPerSecond: rate }, customers: 30 });
    const conversations: number[] = [];
    for (let i = 0; i < 30; i += 1) conversations.push((await customerWrites(a, customer(a, i))).conversationId);
    const send = (replica: TestServer, conversationId: number, text: string, idempotencyKey: string = crypto.randomUUID()) =>
      replica.server.sendService.send({ kind: 'text', idempotencyKey, conversationId, text });
    // Each conversation's first message through A, its second through B: B's waits for A's to go first.
    const sent = (
      await Promise.all(
        conversations.map(async (conversationId, i) => [await send(a, conversationId, `${i} first`), await send(b, conversationId, `${i} second`)]),
      )
    ).flat();
    // One key given to both replicas at once is one message.
    const key = crypto.randomUUID();
    const [onA, onB] = await Promise.all([send(a, conversations[0]!, 'same key', key), send(b, conversations[0]!, 'same key', key)]);
    expect(onB.messageId).toBe(onA.messageId);
    const ids = [...sent.map((result) => result.messageId), onA.messageId];

    const { db } = a.server.database;
    await eventually(
      async () => {
        const rows = await db.selectFrom('messages').select('status').where('id', 'in', ids).execute();
        return rows.every((row) => row.status === 'accepted') ? true : undefined;
      },
      60_000,
      'every send accepted',
    );
    const accepted = a.sandbox.graph.accepted;
    const texts = accepted.map((m) => (m.body as { text: { body: string } }).text.body);
    expect(texts).toHaveLength(61);
    expect(new Set(texts).size).toBe(61);
    for (let i = 0; i < 30; i += 1) expect(texts.indexOf(`${i} first`)).toBeLessThan(texts.indexOf(`${i} second`));
    for (const replica of [a, b]) expect((await replica.server.metrics.graphErrors.get()).values).toEqual([]);
    // What Meta's stand-in saw from the two together: never more than `rate` in any one-second window.
    const times = accepted.map((m) => m.at).sort((x, y) => x - y);
    for (let i = rate; i < times.length; i += 1) expect(times[i]! - times[i - rate]!).toBeGreaterThanOrEqual(1000);
  }, 120_000);

  it('run a job scheduled once exactly once between their two job runners', async () => {
    const [a, b] = await twoReplicas();
    const runs: Array<{ replica: string; jobId: number }> = [];
    for (const [name, replica] of [['a', a] as const, ['b', b] as const]) {
      replica.server.jobs.register(
        jobKind({
          kind: 'test.replicas_once',
          payload: z.object({ n: z.number() }).strict(),
          run: (context) => {
            const jobId = context.job.id;
            context.afterCommit(() => runs.push({ replica: name, jobId }));
            return Promise.resolve();
          },
        }),
      );
    }
    const now = Date.now();
    const scheduled = await a.server.committer.submit(async (trx) => {
      const ids: number[] = [];
      for (let n = 0; n < 40; n += 1)
        ids.push((await a.server.jobs.schedule(trx, { kind: 'test.replicas_once', dueAt: now + (n % 4) * 50, payload: { n } })).id);
      return ids;
    });
    const { db } = a.server.database;
    await eventually(
      async () => {
        const rows = await db.selectFrom('jobs').select('state').where('id', 'in', scheduled).execute();
        return rows.every((row) => row.state === 'done') ? true : undefined;
      },
      20_000,
      'every job done',
    );
    expect(runs.map((run) => run.jobId).sort((x, y) => x - y)).toEqual([...scheduled].sort((x, y) => x - y));
  }, 60_000);

  it('keep one audit chain when both append at once', async () => {
    const [a, b] = await twoReplicas();
    const now = Date.now();
    const appends = (replica: TestServer, name: string) =>
      Array.from({ length: 40 }, (_, i) =>
        replica.server.committer.submit((trx) => appendAudit(trx, { event: 'test.replicas', outcome: 'ok', actor: `test:${name}`, details: { i } }, now + i)),
      );
    await Promise.all([...appends(a, 'a'), ...appends(b, 'b')]);
    const key = a.server.committer.auditKey;
    if (key === undefined) throw new Error('the test server holds no audit key');
    const verified = await verifyAuditChain(a.server.database.db, key);
    expect(verified.problem).toBeNull();
    expect(verified.ok).toBe(true);
    const ours = await a.server.database.db.selectFrom('audit_log').select('id').where('event', '=', 'test.replicas').execute();
    expect(ours).toHaveLength(80);
  }, 60_000);

  it('lock an unknown username after as many failures as a real account, whichever replica took each', async () => {
    const [a, b] = await twoReplicas();
    const device = await approvedDevice(a, 'lock-desk');
    const paola = await enrolledAgent(a, device, 'paola');
    for (const username of ['paola', 'ghost']) {
      for (let i = 0; i < MAX_AGENT_FAILURES; i += 1) {
        device.baseUrl = (i % 2 === 0 ? a : b).server.url;
        device.sourceAddress = `127.0.7.${i + 1}`;
        expect((await device.login(username, `guess ${i}`, { kind: 'totp', code: '222222' })).status).toBe(401);
      }
      await a.server.database.db.updateTable('devices').set({ failed_logins: 0, failed_logins_since: null }).execute();
    }
    device.sourceAddress = '127.0.8.1';
    for (const replica of [a, b]) {
      device.baseUrl = replica.server.url;
      expect((await device.login('paola', paola.password, { kind: 'recovery', code: paola.recoveryCodes[0] ?? '' })).body).toMatchObject({
        error: { code: 'login_locked' },
      });
      expect((await device.login('ghost', 'guess again', { kind: 'totp', code: '222222' })).body).toMatchObject({ error: { code: 'login_locked' } });
    }
  }, 60_000);

  it('leave a send another replica has in flight alone when one starts, and fail one whose replica is gone', async () => {
    const a = await startTestServer();
    servers.push(a);
    const { conversationId } = await customerWrites(a, customer(a));
    // A's dispatcher is parked, so both stay as the store says: one in flight (its attempt just
    // stamped), one left by a replica that went away longer ago than the lease.
    await a.server.dispatcher.stop();
    const send = (text: string) => a.server.sendService.send({ kind: 'text', idempotencyKey: crypto.randomUUID(), conversationId, text });
    const gone = await send('left by a replica that went away');
    const inFlight = await send('in flight on a live replica');
    const { db } = a.server.database;
    await a.server.committer.submit(async (trx) => {
      await sql`update messages set status = 'sending', status_rank = ${STATUS_RANK.sending}, attempts = 1,
        dispatched_at = floor(extract(epoch from clock_timestamp()) * 1000)::bigint - ${SENDING_LEASE_MS + 60_000} where id = ${gone.messageId}`.execute(trx);
      await sql`update messages set status = 'sending', status_rank = ${STATUS_RANK.sending}, attempts = 1,
        dispatched_at = floor(extract(epoch from clock_timestamp()) * 1000)::bigint where id = ${inFlight.messageId}`.execute(trx);
    });
    const b = await startTestServer({ dataDir: a.dataDir, replicaOf: a });
    servers.push(b);
    const status = async (id: number) =>
      (await db.selectFrom('messages').select(['status', 'error_code']).where('id', '=', id).executeTakeFirstOrThrow()).status;
    expect(await status(gone.messageId)).toBe('failed');
    expect(await status(inFlight.messageId)).toBe('sending');
    expect(a.sandbox.graph.accepted).toEqual([]);
  }, 60_000);

  it('brake one guesser on the approval page together, whichever replica each guess reaches', async () => {
    const [a, b] = await twoReplicas();
    const admin = await enrolledWithRole(a, 'irene', 'admin');
    const wrong = { username: admin.username, password: 'a wrong guess', otp: '123456' };
    const guess = async (replica: TestServer, n: number) => {
      const { code } = await pendingPairing(a);
      return new PageClient(replica.server.url, { sourceAddress: `127.4.0.${n}` }).post('/pair/login', { code, ...wrong });
    };
    for (let i = 0; i < PAGE_LOGIN_THROTTLE.freeAttempts; i += 1) expect((await guess(i % 2 === 0 ? a : b, i + 1)).status).toBe(401);
    for (const [n, replica] of [a, b].entries()) expect((await guess(replica, 50 + n)).status).toBe(429);
  }, 60_000);
});
