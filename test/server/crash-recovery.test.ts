/**
 * Crash recovery: the real server process (server/main.ts, sandbox mode) is killed with SIGKILL in
 * the middle of a storm of signed webhooks. After a restart on the same data directory, every
 * webhook that had been answered 200 is in the store, and replaying every webhook of the storm
 * (acknowledged or not) stores each message exactly once.
 */
import http from 'node:http';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { makeCustomers } from '../../server/sandbox/simulated-customers.js';
import { openDatabase } from '../../server/store/open-database.js';
import type { InboxDatabase } from '../../server/store/schema.js';
import { killServerProcess, signedTextWebhook, startServerProcess } from '../helpers/server-process.js';
import type { ServerProcess, SignedWebhook } from '../helpers/server-process.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { testDatabaseUrl } from '../helpers/test-store.js';
import { postAll, postSignedWebhook } from '../helpers/webhook-storm.js';

const APP_SECRET = 'crash-test-app-secret-0123456789abcdef';
const VERIFY_TOKEN = 'crash-test-verify-token';
const CONCURRENCY = 32;
/** The server is killed once this many webhooks have been acknowledged. */
const KILL_AFTER_ACKS = 2000;

type Webhook = SignedWebhook;

const credentials = { appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN };
const children: ServerProcess[] = [];

async function start(dataDir: string): Promise<ServerProcess> {
  const started = await startServerProcess(dataDir, credentials);
  children.push(started);
  return started;
}

/** One signed webhook carrying one text message, in Meta's shape. */
function makeWebhook(index: number, customers: ReturnType<typeof makeCustomers>): Webhook {
  return signedTextWebhook(customers[index % customers.length]!, `storm message ${index}`, APP_SECRET);
}

async function counts(db: Kysely<InboxDatabase>) {
  const one = async (query: string) => Number((await sql<{ n: number | null }>`${sql.raw(query)}`.execute(db)).rows[0]?.n ?? 0);
  return {
    contacts: await one('select count(*) as n from contacts'),
    conversations: await one('select count(*) as n from conversations'),
    messages: await one('select count(*) as n from messages'),
    distinctWamids: await one('select count(distinct wamid) as n from messages'),
    inbound: await one("select count(*) as n from messages where direction = 'inbound'"),
    unread: await one('select sum(unread_count) as n from conversations'),
    quarantined: await one('select count(*) as n from webhook_quarantine'),
  };
}

async function wamids(db: Kysely<InboxDatabase>, query: string): Promise<string[]> {
  return (await sql<{ wamid: string }>`${sql.raw(query)}`.execute(db)).rows.map((row) => row.wamid);
}

describe('crash recovery', () => {
  const temp = makeTempDir('sportello-crash-');
  const servers: ServerProcess[] = [];

  afterAll(async () => {
    for (const child of children) await killServerProcess(child);
    await Promise.all(servers.map((server) => server.exited));
    temp.remove();
  });

  it('keeps every acknowledged webhook through a SIGKILL mid-storm, and absorbs the full replay without duplicates', async () => {
    const customers = makeCustomers(40);
    const first = await start(temp.dir);
    servers.push(first);

    // The storm: CONCURRENCY requests in flight until the server dies under them.
    const webhooks: Webhook[] = [];
    const acked = new Set<string>();
    const rejected: Array<{ wamid: string; status: number }> = [];
    let connectionErrors = 0;
    let inFlight = 0;
    let inFlightAtKill = -1;
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    try {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          // Each worker stops at its first connection error: by then the server is gone.
          for (;;) {
            const webhook = makeWebhook(webhooks.length, customers);
            webhooks.push(webhook);
            inFlight += 1;
            try {
              const { status } = await postSignedWebhook(agent, first.port, webhook);
              if (status === 200) {
                acked.add(webhook.wamid);
              } else {
                // Nothing but 200 is expected from a healthy server: end the storm and report it.
                rejected.push({ wamid: webhook.wamid, status });
                first.child.kill('SIGKILL');
                return;
              }
            } catch {
              connectionErrors += 1;
              return;
            } finally {
              inFlight -= 1;
            }
            if (acked.size >= KILL_AFTER_ACKS && inFlightAtKill < 0) {
              inFlightAtKill = inFlight;
              first.child.kill('SIGKILL');
            }
          }
        }),
      );
    } finally {
      agent.destroy();
    }
    await first.exited;

    expect(rejected, `the server answered webhooks with errors; its stderr:\n${first.stderr()}`).toEqual([]);
    expect(first.child.signalCode, `the server died on its own before the kill; its stderr:\n${first.stderr()}`).toBe('SIGKILL');
    expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    // The kill landed with requests still in flight: some of them never got an answer.
    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(connectionErrors).toBeGreaterThan(0);
    expect(webhooks.length).toBeGreaterThan(acked.size);

    // Restart on the same data directory (and database): SQLite or PostgreSQL recovers from its WAL.
    const second = await start(temp.dir);
    servers.push(second);
    const store = await openDatabase(temp.dir, await testDatabaseUrl(temp.dir));
    const { db } = store;
    try {
      const stored = new Set(await wamids(db, 'select wamid from messages'));
      const lost = [...acked].filter((wamid) => !stored.has(wamid));
      expect(lost, `${lost.length} of ${acked.size} acknowledged webhooks are missing after the crash`).toEqual([]);
      const afterCrash = await counts(db);
      console.log(
        `storm: ${webhooks.length} sent, ${acked.size} acknowledged, ${connectionErrors} connection errors, ${inFlightAtKill} in flight at the kill; ${afterCrash.messages} stored after restart`,
      );
      expect(afterCrash.messages).toBeGreaterThanOrEqual(acked.size);
      expect(afterCrash.messages).toBeLessThanOrEqual(webhooks.length);
      expect(afterCrash.unread).toBe(afterCrash.inbound);

      // Meta redelivers whatever it did not hear 200 for, and sometimes what it did: replay all.
      const statuses = await postAll(second.port, webhooks, CONCURRENCY);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      const afterReplay = await counts(db);
      expect(afterReplay.distinctWamids).toBe(afterReplay.messages);
      expect(afterReplay.messages).toBe(webhooks.length);
      expect(afterReplay.inbound).toBe(webhooks.length);
      expect(afterReplay.unread).toBe(afterReplay.inbound);
      expect(afterReplay.conversations).toBe(customers.length);
      expect(afterReplay.contacts).toBe(customers.length);
      expect(afterReplay.quarantined).toBe(0);
      const duplicated = await wamids(db, 'select wamid from messages group by wamid having count(*) > 1');
      expect(duplicated).toEqual([]);
      const everyWamid = new Set(await wamids(db, 'select wamid from messages'));
      expect(webhooks.filter((webhook) => !everyWamid.has(webhook.wamid))).toEqual([]);

      // A second full replay is all duplicates: nothing changes.
      const again = await postAll(second.port, webhooks, CONCURRENCY);
      expect(again.filter((status) => status !== 200)).toEqual([]);
      expect(await counts(db)).toEqual(afterReplay);
    } finally {
      await store.close();
      await killServerProcess(second);
    }
  }, 120_000);
});
