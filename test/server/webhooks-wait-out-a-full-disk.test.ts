/**
 * The store's disk full in the middle of a storm of webhooks: a real full filesystem (a small
 * tmpfs, test/helpers/small-filesystem.ts) under SQLite's files, or under the PostgreSQL
 * tablespace the server's database lives in (a cluster of the test's own). While there is no
 * space every webhook is answered 503 `store_unavailable` and none is acknowledged; the server
 * stays up, and once space returns it stores again by itself. Every 200 is in the store, and
 * Meta's redelivery of the rest stores each once.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { makeCustomers } from '../../server/sandbox/simulated-customers.js';
import { openDatabase } from '../../server/store/open-database.js';
import { startOwnPostgres } from '../helpers/own-postgres.js';
import type { OwnPostgres } from '../helpers/own-postgres.js';
import { killServerProcess, signedTextWebhook, startServerProcess } from '../helpers/server-process.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { mountSmallFilesystem } from '../helpers/small-filesystem.js';
import type { SmallFilesystem } from '../helpers/small-filesystem.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { TEST_STORE } from '../helpers/test-store.js';
import { postAll, stormThroughFault } from '../helpers/webhook-storm.js';

const APP_SECRET = 'disk-full-test-app-secret-0123456789abcdef';
const CONCURRENCY = 16;
const ACKS_BEFORE = 300;
const REFUSALS_WHILE_FULL = 30;
const ACKS_AFTER = 300;

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Where the server keeps its store, on the small filesystem: its data dir (SQLite), or a tablespace (PostgreSQL). */
async function storeOnSmallFilesystem(small: SmallFilesystem): Promise<{ dataDir: string; databaseUrl?: string }> {
  if (TEST_STORE === 'sqlite') {
    const dataDir = path.join(small.dir, 'data');
    fs.mkdirSync(dataDir);
    return { dataDir };
  }
  const cluster: OwnPostgres = await startOwnPostgres();
  cleanups.push(() => cluster.remove());
  const location = path.join(small.dir, 'tablespace');
  fs.mkdirSync(location, { mode: 0o700 });
  if (process.getuid?.() === 0) execFileSync('chown', ['nobody', location]);
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  try {
    await client.query(`create tablespace small_disk location '${location}'`);
    await client.query('create database sportello tablespace small_disk');
  } finally {
    await client.end();
  }
  const temp = makeTempDir('sportello-disk-full-');
  cleanups.push(() => temp.remove());
  const url = new URL(cluster.url);
  url.pathname = '/sportello';
  return { dataDir: temp.dir, databaseUrl: url.toString() };
}

describe('the store’s disk full during a webhook storm', () => {
  it('answers 503 and acknowledges nothing while there is no space, and stores again by itself once space returns', async () => {
    const small = mountSmallFilesystem(48);
    cleanups.push(() => small.remove());
    const store = await storeOnSmallFilesystem(small);
    const server: ServerProcess = await startServerProcess(store.dataDir, {
      appSecret: APP_SECRET,
      verifyToken: 'disk-full-verify',
      databaseUrl: store.databaseUrl,
    });
    cleanups.push(() => killServerProcess(server));
    const customers = makeCustomers(30);

    const { webhooks, answers, connectionErrors } = await stormThroughFault(server.port, {
      acksBefore: ACKS_BEFORE,
      refusalsDuring: REFUSALS_WHILE_FULL,
      acksAfter: ACKS_AFTER,
      concurrency: CONCURRENCY,
      makeWebhook: (index) => signedTextWebhook(customers[index % customers.length]!, `disk full storm ${index} ${'x'.repeat(200)}`, APP_SECRET),
      begin: () => small.fill(),
      end: () => small.free(),
    });

    expect(connectionErrors, `the server dropped connections; its stderr:\n${server.stderr()}`).toEqual([]);
    expect(server.child.exitCode, 'the server stopped').toBeNull();
    const refusals = [...answers.values()].filter((answer) => answer.status !== 200);
    expect(refusals.length).toBeGreaterThanOrEqual(REFUSALS_WHILE_FULL);
    expect(new Set(refusals.map((answer) => `${answer.status} ${answer.code ?? ''}`))).toEqual(new Set(['503 store_unavailable']));

    const opened = await openDatabase(store.dataDir, store.databaseUrl);
    try {
      const stored = new Set((await opened.db.selectFrom('messages').select('wamid').execute()).map((row) => row.wamid));
      const ackedWamids = [...answers].filter(([, answer]) => answer.status === 200).map(([wamid]) => wamid);
      expect(ackedWamids.filter((wamid) => !stored.has(wamid))).toEqual([]);
      // A refused webhook left nothing behind: it was refused before it was ever tried again.
      const refusedWamids = [...answers].filter(([, answer]) => answer.status !== 200).map(([wamid]) => wamid);
      expect(refusedWamids.filter((wamid) => stored.has(wamid))).toEqual([]);

      const statuses = await postAll(server.port, webhooks, CONCURRENCY);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      const count = await opened.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(webhooks.length);
      console.log(
        `disk full storm (${TEST_STORE}): ${webhooks.length} sent, ${ackedWamids.length} acknowledged, ${refusals.length} refused with 503 while the disk was full`,
      );
    } finally {
      await opened.close();
    }
  }, 180_000);
});
