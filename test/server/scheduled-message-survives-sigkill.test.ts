/**
 * Scheduled messages and crashes, with the real server process (server/main.ts) and a Graph API
 * stand-in of the test's own (behind a TCP proxy), so what reached "Meta" is counted outside the
 * process that is killed. A server killed with SIGKILL just before the due time of three scheduled
 * messages sends each exactly once after it restarts, in due order, and a further restart sends
 * nothing again. A server killed while the Graph call of a scheduled message is in flight (Meta
 * has it, its answer never came) never sends it twice: after the restart it is the dispatcher's
 * interrupted send, shown failed `send_interrupted`, and the scheduled message stays `sent`.
 */
import crypto from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { scheduleJob } from '../../server/jobs/job-schedule.js';
import { startSandbox } from '../../server/sandbox/start-sandbox.js';
import type { Sandbox } from '../../server/sandbox/start-sandbox.js';
import { makeCustomers } from '../../server/sandbox/simulated-customers.js';
import { SCHEDULED_MESSAGE, scheduledKey, scheduledMessageKind } from '../../server/schedule/scheduled-kinds.js';
import { openDatabase } from '../../server/store/open-database.js';
import { WEBHOOK_PATH } from '../../server/webhooks/webhook-routes.js';
import { killServerProcess, signedTextWebhook, startServerProcess, stopServerProcess } from '../helpers/server-process.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { eventually } from '../helpers/store-queries.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { TEST_STORE, testDatabaseUrl } from '../helpers/test-store.js';
import { SENDING_LEASE_MS } from '../../server/sending/outbound-queue-store.js';

/** Far enough ahead that the server killed at once has not reached it (the test checks it had not). */
const DUE_IN_MS = 20_000;

const children: ServerProcess[] = [];
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const child of children.splice(0)) await killServerProcess(child);
});
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Stage {
  readonly sandbox: Sandbox;
  readonly proxy: TcpProxy;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  start(): Promise<ServerProcess>;
}

async function stage(): Promise<Stage> {
  const sandbox = await startSandbox({
    channel: { graphApiUrl: '', graphApiVersion: 'v21.0' },
    limits: { messagesPerSecond: 80, pairBurst: 10, pairIntervalMs: 6000 },
  });
  const proxy = await TcpProxy.start(Number(new URL(sandbox.channel.graphApiUrl).port));
  const temp = makeTempDir('sportello-schedule-crash-');
  cleanups.push(
    () => sandbox.close(),
    () => proxy.close(),
    () => temp.remove(),
  );
  const env = {
    SPORTELLO_SANDBOX: '0',
    WHATSAPP_ACCESS_TOKEN: sandbox.channel.accessToken,
    WHATSAPP_PHONE_NUMBER_ID: sandbox.channel.phoneNumberId,
    GRAPH_API_URL: `http://127.0.0.1:${proxy.port}`,
    SPORTELLO_SERVER_KEY: crypto.randomBytes(32).toString('base64'),
    SPORTELLO_PUBLIC_URL: 'https://desk.example.com',
  };
  const databaseUrl = await testDatabaseUrl(temp.dir);
  return {
    sandbox,
    proxy,
    dataDir: temp.dir,
    databaseUrl,
    async start() {
      const child = await startServerProcess(temp.dir, { appSecret: sandbox.channel.appSecret, verifyToken: sandbox.channel.verifyToken, env, databaseUrl });
      children.push(child);
      return child;
    },
  };
}

/** The customer writes (a signed webhook), answered 200: their conversation is in the store. */
async function customerWrote(s: Stage, server: ServerProcess): Promise<void> {
  const [customer] = makeCustomers(1);
  // As a simulated customer's message does: the stand-in knows the 24-hour window is open.
  s.sandbox.graph.noteInbound(customer!.waId, Date.now());
  const webhook = signedTextWebhook(customer!, 'Please write to me tomorrow morning', s.sandbox.channel.appSecret);
  const answer = await fetch(`http://127.0.0.1:${server.port}${WEBHOOK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': webhook.signature },
    body: webhook.body,
  });
  expect(answer.status).toBe(200);
}

/** With the server down: an agent of the conversation's team, and scheduled messages of it (each with its job), as the API would write them. */
async function scheduled(s: Stage, texts: readonly string[], dueAt: number): Promise<number[]> {
  const store = await openDatabase(s.dataDir, s.databaseUrl);
  try {
    return await store.db.transaction().execute(async (trx) => {
      const conversation = await trx.selectFrom('conversations').select(['id', 'team_id']).executeTakeFirstOrThrow();
      const now = Date.now();
      const agent = await trx
        .insertInto('agents')
        .values({
          username: `anna${now}`,
          display_name: 'Anna',
          roles: 'agent',
          status: 'active',
          created_by: 'test',
          created_at: now,
          updated_at: now,
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('team_members')
        .values({ team_id: conversation.team_id ?? 0, agent_id: agent.id, capacity: 10, created_at: now })
        .execute();
      const kind = scheduledMessageKind(() => undefined);
      const ids: number[] = [];
      for (const [index, text] of texts.entries()) {
        const row = await trx
          .insertInto('scheduled_messages')
          .values({
            conversation_id: conversation.id,
            agent_id: agent.id,
            content_json: JSON.stringify({ kind: 'text', text }),
            fallback_json: null,
            send_at: dueAt + index,
            time_zone: 'Europe/Rome',
            state: 'pending',
            reason: null,
            message_id: null,
            idempotency_key: `${agent.id}:${crypto.randomUUID()}`,
            send_key: `scheduled:${crypto.randomUUID()}`,
            request_hash: 'test',
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await scheduleJob(
          trx,
          kind,
          { kind: SCHEDULED_MESSAGE, dueAt: dueAt + index, payload: { scheduledId: row.id }, dedupeKey: scheduledKey(row.id), conversationId: conversation.id },
          now,
        );
        ids.push(row.id);
      }
      return ids;
    });
  } finally {
    await store.close();
  }
}

async function storeState(s: Stage) {
  const store = await openDatabase(s.dataDir, s.databaseUrl);
  try {
    const rows = await store.db.selectFrom('scheduled_messages').select(['id', 'state', 'message_id']).orderBy('id').execute();
    const sendKeys = await store.db.selectFrom('scheduled_messages').select(['id', 'send_key']).orderBy('id').execute();
    const messages = await store.db
      .selectFrom('messages')
      .select(['id', 'status', 'error_code', 'idempotency_key'])
      .where('direction', '=', 'outbound')
      .orderBy('id')
      .execute();
    return { rows, messages, sendKeys: new Map(sendKeys.map((row) => [row.id, row.send_key])) };
  } finally {
    await store.close();
  }
}

const textsAccepted = (s: Stage) => s.sandbox.graph.accepted.map((m) => (m.body as { text?: { body: string } }).text?.body);

describe('a scheduled message and a crash', () => {
  it('is sent exactly once after a SIGKILL just before its due time, in due order, and not again after another restart', async () => {
    const s = await stage();
    const first = await s.start();
    await customerWrote(s, first);
    await killServerProcess(first);
    const texts = ['Good morning: first', 'Good morning: second', 'Good morning: third'];
    const ids = await scheduled(s, texts, Date.now() + DUE_IN_MS);

    // Started, and killed before the due time: nothing has gone.
    await killServerProcess(await s.start());
    expect((await storeState(s)).rows.map((row) => row.state)).toEqual(['pending', 'pending', 'pending']);
    expect(textsAccepted(s)).toEqual([]);

    const again = await s.start();
    await eventually(
      async () => ((await storeState(s)).messages.filter((m) => m.status === 'accepted' || m.status === 'sent').length === 3 ? true : undefined),
      DUE_IN_MS + 30_000,
      'the three scheduled messages to reach the Graph stand-in',
    );
    const after = await storeState(s);
    expect(after.rows).toEqual(ids.map((id) => ({ id, state: 'sent', message_id: expect.any(Number) })));
    expect(textsAccepted(s)).toEqual(texts);

    // Another restart: nothing goes again.
    await stopServerProcess(again);
    const last = await s.start();
    await eventually(async () => ((await fetch(`http://127.0.0.1:${last.port}/healthz`)).ok ? true : undefined), 10_000, 'the restarted server');
    await stopServerProcess(last);
    expect(textsAccepted(s)).toEqual(texts);
    const final = await storeState(s);
    expect(final.messages.map((m) => m.idempotency_key)).toEqual(ids.map((id) => final.sendKeys.get(id)));
  }, 120_000);

  it('is never sent twice when the server is killed while its Graph call is in flight: it comes back as interrupted', async () => {
    const s = await stage();
    const first = await s.start();
    await customerWrote(s, first);
    await killServerProcess(first);
    const [id] = await scheduled(s, ['See you at ten'], Date.now() + DUE_IN_MS);

    // Meta receives the call, and its answer never comes back: the server is mid-send when it is killed.
    s.proxy.holdAnswers(true);
    const sending = await s.start();
    await eventually(() => Promise.resolve(textsAccepted(s).length === 1 ? true : undefined), DUE_IN_MS + 30_000, 'the Graph call to reach the stand-in');
    await eventually(
      async () => ((await storeState(s)).messages.some((m) => m.status === 'sending') ? true : undefined),
      10_000,
      'the message to be in flight',
    );
    await killServerProcess(sending);
    s.proxy.holdAnswers(false);

    const restarted = await s.start();
    await eventually(
      async () => {
        const state = await storeState(s);
        return state.rows[0]?.state === 'sent' && state.messages[0]?.status === 'failed' ? state : undefined;
      },
      // On PostgreSQL another replica could still be making that call: it is shown once its lease passes (docs/replicas.md).
      TEST_STORE === 'postgres' ? SENDING_LEASE_MS + 30_000 : 15_000,
      'the interrupted send to be shown',
    );
    const after = await storeState(s);
    expect(after.rows).toEqual([{ id, state: 'sent', message_id: after.messages[0]?.id }]);
    expect(after.messages).toEqual([
      { id: expect.any(Number), status: 'failed', error_code: 'send_interrupted', idempotency_key: after.sendKeys.get(id ?? 0) },
    ]);
    await stopServerProcess(restarted);
    expect(textsAccepted(s)).toEqual(['See you at ten']);
  }, 240_000);
});
