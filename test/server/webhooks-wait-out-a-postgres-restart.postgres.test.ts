/**
 * PostgreSQL restarted in the middle of a storm of webhooks: while it is down every webhook is
 * answered 503 `store_unavailable` (Meta delivers it again later) and the server stays up; when
 * it is back the server reconnects by itself, and every webhook it answered 200, before, during
 * or after, is in the store. The cluster is the test's own (test/helpers/own-postgres.ts): the
 * shared one serves the other tests.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { makeCustomers } from '../../server/sandbox/simulated-customers.js';
import { startOwnPostgres } from '../helpers/own-postgres.js';
import type { OwnPostgres } from '../helpers/own-postgres.js';
import { killServerProcess, signedTextWebhook, startServerProcess } from '../helpers/server-process.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { postAll, stormThroughFault } from '../helpers/webhook-storm.js';

const APP_SECRET = 'restart-test-app-secret-0123456789abcdef';
const CONCURRENCY = 16;
const ACKS_BEFORE = 500;
const REFUSALS_DURING = 40;
const ACKS_AFTER = 500;

let cluster: OwnPostgres | undefined;
let server: ServerProcess | undefined;
const temp = makeTempDir('sportello-pg-restart-');
afterAll(async () => {
  if (server !== undefined) await killServerProcess(server);
  cluster?.remove();
  temp.remove();
});

async function storedWamids(url: string): Promise<Set<string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return new Set((await client.query<{ wamid: string }>('select wamid from messages')).rows.map((row) => row.wamid));
  } finally {
    await client.end();
  }
}

describe('PostgreSQL restarted during a webhook storm', () => {
  it('answers 503 while it is down, reconnects by itself, and keeps every webhook it acknowledged', async () => {
    cluster = await startOwnPostgres();
    const own = cluster;
    server = await startServerProcess(temp.dir, { appSecret: APP_SECRET, verifyToken: 'restart-verify-token', databaseUrl: own.url });
    const port = server.port;
    const customers = makeCustomers(30);

    const { webhooks, answers, connectionErrors } = await stormThroughFault(port, {
      acksBefore: ACKS_BEFORE,
      refusalsDuring: REFUSALS_DURING,
      acksAfter: ACKS_AFTER,
      concurrency: CONCURRENCY,
      makeWebhook: (index) => signedTextWebhook(customers[index % customers.length]!, `restart storm ${index}`, APP_SECRET),
      begin: () => own.stop('fast'),
      end: () => own.start(),
    });

    expect(connectionErrors, `the server dropped connections; its stderr:\n${server.stderr()}`).toEqual([]);
    expect(server.child.exitCode, 'the server stopped').toBeNull();
    const refusals = [...answers.values()].filter((answer) => answer.status !== 200);
    expect(refusals.length).toBeGreaterThanOrEqual(REFUSALS_DURING);
    // Every answer that was not a 200 said the store was away, which Meta retries.
    expect(new Set(refusals.map((answer) => `${answer.status} ${answer.code ?? ''}`))).toEqual(new Set(['503 store_unavailable']));

    // Every acknowledged webhook is in the store; what was refused comes again and is stored once.
    const ackedWamids = [...answers].filter(([, answer]) => answer.status === 200).map(([wamid]) => wamid);
    const stored = await storedWamids(own.url);
    expect(ackedWamids.filter((wamid) => !stored.has(wamid))).toEqual([]);
    const statuses = await postAll(port, webhooks, CONCURRENCY);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    const afterReplay = await storedWamids(own.url);
    expect(afterReplay.size).toBe(webhooks.length);
    console.log(`restart storm: ${webhooks.length} sent, ${ackedWamids.length} acknowledged, ${refusals.length} refused with 503 while PostgreSQL was down`);
  }, 180_000);
});
