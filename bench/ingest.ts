/**
 * `npm run bench:ingest`: webhook ingest throughput with full durability.
 *
 * The real server (server/main.ts, sandbox mode, no simulated customers) runs in a child process;
 * this process is the load generator. Signed webhooks in Meta's shape, one message each, are built
 * and signed (and encoded as HTTP requests) before the timed phase, then posted over loopback by
 * concurrent keep-alive clients for a fixed duration. The clients write raw bytes on sockets
 * (bench/raw-http-client.ts): Node's http client would take as much CPU as the server. Every 200 means committed and fsynced, and the store is checked against
 * the count of 200s afterwards.
 *
 * In the same run, on the same machine, the raw baseline: HMAC-SHA256 check of the signed body and
 * one durable SQLite (or PostgreSQL) insert (WAL, synchronous=FULL), in a tight loop: one transaction per message
 * (`baseline_msgs_per_s`), and 100 per transaction (`baseline_batched_msgs_per_s`), as group
 * commit does.
 *
 * Options (flag or environment variable):
 *   --duration  BENCH_DURATION_S   measured seconds of load            (default 10)
 *   --concurrency BENCH_CONCURRENCY requests in flight                  (default 64)
 *   --warmup    BENCH_WARMUP_S     seconds of load before measuring     (default 2)
 *   --baseline  BENCH_BASELINE_S   seconds for each baseline loop       (default 3)
 * BENCH_SERVER_NODE_ARGS: Node flags for the server process only (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 * SPORTELLO_DATABASE_URL: the store on PostgreSQL instead (bench/ingest-postgres.ts): the server gets a
 *   database of its own on that cluster, the baseline inserts over one pg connection, and the run
 *   ends with the events table's dead row versions (the stamping passes' updates, for vacuum).
 *
 * The last line printed is one JSON object:
 * {"bench":"ingest","msgs_per_s":…,"baseline_msgs_per_s":…,"ratio":…,"p50_ack_ms":…,"p99_ack_ms":…,…}
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { makeCustomers } from '../server/sandbox/simulated-customers.js';
import type { SandboxCustomer } from '../server/sandbox/webhook-builder.js';
import { openDatabase } from '../server/store/open-database.js';
import { WEBHOOK_PATH } from '../server/webhooks/webhook-routes.js';
import { signedTextWebhook, startServerProcess } from '../test/helpers/server-process.js';
import type { ServerProcess, SignedWebhook } from '../test/helpers/server-process.js';
import { readNumberOptions, runBench, stopServer } from './bench-run.js';
import { benchDatabase, dropBenchDatabases, eventsTableChurn, runPostgresBaseline } from './ingest-postgres.js';
import type { BenchDatabase } from './ingest-postgres.js';
import { encodePost, RawHttpConnection } from './raw-http-client.js';

const APP_SECRET = crypto.randomBytes(32).toString('hex');
const VERIFY_TOKEN = crypto.randomBytes(16).toString('base64url');
const CUSTOMERS = 500;
const BATCH = 100;

interface Options {
  readonly durationS: number;
  readonly concurrency: number;
  readonly warmupS: number;
  readonly baselineS: number;
}

function readOptions(): Options {
  const values = readNumberOptions({
    duration: { env: 'BENCH_DURATION_S', fallback: 10, min: 0.5, max: 600, integer: false },
    concurrency: { env: 'BENCH_CONCURRENCY', fallback: 64, min: 1, max: 4096, integer: true },
    warmup: { env: 'BENCH_WARMUP_S', fallback: 2, min: 0, max: 120, integer: false },
    baseline: { env: 'BENCH_BASELINE_S', fallback: 3, min: 0.5, max: 120, integer: false },
  });
  return { durationS: values.duration, concurrency: values.concurrency, warmupS: values.warmup, baselineS: values.baseline };
}

/** The server in its own process: the load generator must not share its event loop. */
function startServer(dataDir: string, databaseUrl: string | undefined): Promise<ServerProcess> {
  return startServerProcess(dataDir, {
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    // Node flags for the server only, e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof".
    nodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter((arg) => arg !== ''),
    // Anything at warn or above after start-up (the sandbox banner aside) is worth seeing.
    onLogLine: (entry, line) => {
      if (typeof entry.level === 'number' && entry.level >= 40) console.log(`server: ${line}`);
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Webhooks, built and signed before any timing

interface Webhook extends SignedWebhook {
  /** The whole POST, as it goes on the wire. */
  readonly request: Buffer;
}

const PHRASES = ['Hi, where is my order?', 'Can I change the delivery address?', 'Buongiorno, dov’è il mio ordine?', 'Grazie mille, risolto!'];

function buildWebhooks(count: number, customers: readonly SandboxCustomer[], firstIndex: number, port: number): Webhook[] {
  const webhooks: Webhook[] = new Array<Webhook>(count);
  const now = Date.now();
  for (let i = 0; i < count; i += 1) {
    const n = firstIndex + i;
    const customer = customers[n % customers.length]!;
    const text = `${PHRASES[n % PHRASES.length]} (#${n})`;
    const signed = signedTextWebhook(customer, text, APP_SECRET, now);
    const request = encodePost(`127.0.0.1:${port}`, WEBHOOK_PATH, { 'content-type': 'application/json', 'x-hub-signature-256': signed.signature }, signed.body);
    webhooks[i] = { ...signed, request };
  }
  return webhooks;
}

// ---------------------------------------------------------------------------------------------
// Load

interface LoadResult {
  readonly ok: number;
  readonly nonOk: Map<number, number>;
  readonly errors: Map<string, number>;
  /** Ack latencies of the 200s, in ms. */
  readonly latencies: Float64Array;
  readonly elapsedS: number;
  readonly sent: number;
  readonly exhausted: boolean;
}

/** `concurrency` clients post the webhooks, each the next unsent one, until `seconds` have passed or none is left. */
async function runLoad(port: number, webhooks: readonly Webhook[], seconds: number, concurrency: number): Promise<LoadResult> {
  const latencies = new Float64Array(webhooks.length);
  const nonOk = new Map<number, number>();
  const errors = new Map<string, number>();
  let ok = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      let connection: RawHttpConnection | undefined;
      try {
        while (next < webhooks.length && performance.now() < deadline) {
          const webhook = webhooks[next++]!;
          const sentAt = performance.now();
          try {
            if (connection?.usable !== true) connection = await RawHttpConnection.open(port);
            const status = await connection.send(webhook.request);
            if (status === 200) latencies[ok++] = performance.now() - sentAt;
            else nonOk.set(status, (nonOk.get(status) ?? 0) + 1);
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
            errors.set(code, (errors.get(code) ?? 0) + 1);
          }
        }
      } finally {
        connection?.close();
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  return { ok, nonOk, errors, latencies: latencies.subarray(0, ok), elapsedS, sent: next, exhausted: next >= webhooks.length };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** Sum and count of a histogram, and the value of counters, from the server's /metrics listener (not its public port). */
async function scrapeMetrics(port: number): Promise<Map<string, number>> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  const text = await response.text();
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line === '') continue;
    const space = line.lastIndexOf(' ');
    values.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return values;
}

function delta(after: Map<string, number>, before: Map<string, number>, name: string): number {
  return (after.get(name) ?? 0) - (before.get(name) ?? 0);
}

// ---------------------------------------------------------------------------------------------
// Baseline: HMAC check + durable insert, in this process

function verifySignature(body: Buffer, header: string): boolean {
  if (!header.startsWith('sha256=')) return false;
  const given = Buffer.from(header.slice(7), 'hex');
  const expected = crypto.createHmac('sha256', APP_SECRET).update(body).digest();
  return given.length === expected.length && crypto.timingSafeEqual(expected, given);
}

function runBaseline(dir: string, name: string, webhooks: readonly Webhook[], seconds: number, perTransaction: number): { rate: number; count: number } {
  const file = path.join(dir, `${name}.db`);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('create table messages (id integer primary key autoincrement, wamid text not null unique, raw_json text not null, received_at integer not null)');
    const insert = db.prepare('insert into messages (wamid, raw_json, received_at) values (?, ?, ?)');
    const begin = db.prepare('begin');
    const commit = db.prepare('commit');
    let count = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    while (performance.now() < deadline) {
      if (perTransaction > 1) begin.run();
      for (let i = 0; i < perTransaction; i += 1) {
        const round = Math.floor(count / webhooks.length);
        const webhook = webhooks[count % webhooks.length]!;
        if (!verifySignature(webhook.body, webhook.signature)) throw new Error('baseline: a signature did not verify');
        insert.run(round === 0 ? webhook.wamid : `${webhook.wamid}.${round}`, webhook.body.toString('utf8'), Date.now());
        count += 1;
      }
      if (perTransaction > 1) commit.run();
    }
    const elapsedS = (performance.now() - started) / 1000;
    const stored = (db.prepare('select count(*) as n from messages').get() as { n: number }).n;
    if (stored !== count) throw new Error(`baseline: ${count} inserts but ${stored} rows`);
    return { rate: count / elapsedS, count };
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------

const round = (value: number, digits: number): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};
const describeCounts = (counts: Map<number | string, number>): string =>
  counts.size === 0 ? 'none' : [...counts].map(([key, n]) => `${n}× ${String(key)}`).join(', ');

async function main(options: Options, temps: string[], servers: ServerProcess[], databases: BenchDatabase[]): Promise<number> {
  const clusterUrl = process.env.SPORTELLO_DATABASE_URL === '' ? undefined : process.env.SPORTELLO_DATABASE_URL;
  const store = clusterUrl === undefined ? undefined : await benchDatabase(clusterUrl, 'server');
  if (store !== undefined) databases.push(store);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sportello-bench-server-'));
  temps.push(dataDir);
  const baselineDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sportello-bench-baseline-'));
  temps.push(baselineDir);

  console.log(
    `ingest bench: ${options.durationS} s measured after ${options.warmupS} s warm-up, ${options.concurrency} requests in flight; ` +
      `${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; data in ${store?.shown ?? os.tmpdir()}`,
  );
  const server = await startServer(dataDir, store?.url);
  servers.push(server);
  console.log(`server: pid ${server.child.pid}, port ${server.port}, data dir ${dataDir}`);

  const customers = makeCustomers(CUSTOMERS);
  let built = 0;
  let totalOk = 0;
  let warmupRate = 0;
  if (options.warmupS > 0) {
    const warmupWebhooks = buildWebhooks(Math.max(5_000, Math.ceil(options.warmupS * 25_000)), customers, built, server.port);
    built += warmupWebhooks.length;
    const warmup = await runLoad(server.port, warmupWebhooks, options.warmupS, options.concurrency);
    totalOk += warmup.ok;
    warmupRate = warmup.ok / warmup.elapsedS;
    console.log(
      `warm-up: ${warmup.ok} acknowledged in ${warmup.elapsedS.toFixed(2)} s (${Math.round(warmupRate)}/s); non-200: ${describeCounts(warmup.nonOk)}; errors: ${describeCounts(warmup.errors)}`,
    );
  }

  // Enough pre-signed bodies for twice the warm-up rate (at least 20,000/s): the run should end by the clock.
  const poolSize = Math.ceil(options.durationS * Math.max(20_000, 2 * warmupRate)) + options.concurrency;
  const buildStarted = performance.now();
  const webhooks = buildWebhooks(poolSize, customers, built, server.port);
  console.log(
    `built and signed ${webhooks.length} webhooks (${webhooks[0]?.body.length ?? 0} bytes each) in ${((performance.now() - buildStarted) / 1000).toFixed(2)} s`,
  );

  const before = await scrapeMetrics(server.metricsPort);
  const cpuBefore = process.cpuUsage();
  const load = await runLoad(server.port, webhooks, options.durationS, options.concurrency);
  const cpuClient = process.cpuUsage(cpuBefore);
  const after = await scrapeMetrics(server.metricsPort);
  totalOk += load.ok;

  const sorted = Float64Array.from(load.latencies).sort();
  const msgsPerS = load.ok / load.elapsedS;
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  console.log(
    `load: ${load.ok} acknowledged (200) in ${load.elapsedS.toFixed(2)} s = ${Math.round(msgsPerS)} msgs/s; ack latency p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${(sorted[sorted.length - 1] ?? Number.NaN).toFixed(2)} ms`,
  );
  console.log(`load: non-200 responses: ${describeCounts(load.nonOk)}; connection errors: ${describeCounts(load.errors)}`);
  if (load.exhausted) console.log(`load: the ${webhooks.length} pre-built webhooks ran out before the clock: the rate is over ${load.elapsedS.toFixed(2)} s`);

  const batches = delta(after, before, 'sportello_store_commit_batch_size_count');
  const batchItems = delta(after, before, 'sportello_store_commit_batch_size_sum');
  const commitS = delta(after, before, 'sportello_store_commit_seconds_sum');
  const serverCpuS = delta(after, before, 'sportello_process_cpu_seconds_total');
  const clientCpuS = (cpuClient.user + cpuClient.system) / 1e6;
  console.log(
    `server: ${batches} group commits, ${batches > 0 ? (batchItems / batches).toFixed(1) : '-'} webhooks per commit on average, ` +
      `${batches > 0 ? ((commitS / batches) * 1000).toFixed(2) : '-'} ms per group transaction (applying + commit), ` +
      `${((commitS / load.elapsedS) * 100).toFixed(0)}% of the time inside group transactions`,
  );
  console.log(
    `cpu: server ${serverCpuS.toFixed(2)} s (${((serverCpuS / load.elapsedS) * 100).toFixed(0)}% of a core), ` +
      `load generator ${clientCpuS.toFixed(2)} s (${((clientCpuS / load.elapsedS) * 100).toFixed(0)}% of a core)`,
  );

  // Acknowledged means stored: the store must hold exactly one message per 200.
  const reader = await openDatabase(dataDir, store?.url);
  let stored: number;
  try {
    stored = Number(
      (
        await reader.db
          .selectFrom('messages')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  } finally {
    await reader.close();
  }
  const verified = stored === totalOk;
  console.log(`check: ${stored} messages stored, ${totalOk} webhooks acknowledged (warm-up included): ${verified ? 'OK' : 'MISMATCH'}`);

  await stopServer(server);

  if (store !== undefined) {
    const churn = await eventsTableChurn(store.url);
    console.log(
      `events (PostgreSQL): ${churn.live} live rows, ${churn.dead} dead row versions left by the stamping passes, ${churn.autovacuums} autovacuum runs, ${churn.unstamped} unstamped`,
    );
  }

  // The raw baseline, same machine, same bodies, with the server stopped.
  const baseline = clusterUrl === undefined ? undefined : await benchDatabase(clusterUrl, 'baseline');
  if (baseline !== undefined) databases.push(baseline);
  const single =
    baseline === undefined
      ? runBaseline(baselineDir, 'autocommit', webhooks, options.baselineS, 1)
      : await runPostgresBaseline(baseline.url, webhooks, options.baselineS, 1, verifySignature);
  console.log(`baseline: HMAC check + insert, one durable transaction each: ${single.count} in ${options.baselineS} s = ${Math.round(single.rate)} msgs/s`);
  const batched =
    baseline === undefined
      ? runBaseline(baselineDir, 'batched', webhooks, options.baselineS, BATCH)
      : await runPostgresBaseline(baseline.url, webhooks, options.baselineS, BATCH, verifySignature);
  console.log(
    `baseline: HMAC check + insert, ${BATCH} per durable transaction: ${batched.count} in ${options.baselineS} s = ${Math.round(batched.rate)} msgs/s`,
  );
  console.log(`ratio: server ${(msgsPerS / single.rate).toFixed(2)}× the per-message baseline, ${(msgsPerS / batched.rate).toFixed(2)}× the batched one`);
  if (!verified) console.log('FAILED: the number of stored messages differs from the number of 200s');

  console.log(
    JSON.stringify({
      bench: 'ingest',
      store: store === undefined ? 'sqlite' : 'postgres',
      msgs_per_s: Math.round(msgsPerS),
      baseline_msgs_per_s: Math.round(single.rate),
      ratio: round(msgsPerS / single.rate, 3),
      p50_ack_ms: round(p50, 2),
      p99_ack_ms: round(p99, 2),
      baseline_batched_msgs_per_s: Math.round(batched.rate),
      ratio_batched: round(msgsPerS / batched.rate, 3),
      concurrency: options.concurrency,
      duration_s: round(load.elapsedS, 2),
      acked: load.ok,
      non_200: [...load.nonOk.values()].reduce((a, b) => a + b, 0),
      errors: [...load.errors.values()].reduce((a, b) => a + b, 0),
      stored_matches_acked: verified,
    }),
  );
  return verified ? 0 : 1;
}

await runBench('bench:ingest', readOptions, async (options, { temps, servers, atExit }) => {
  const databases: BenchDatabase[] = [];
  atExit.push(() => dropBenchDatabases(databases));
  return main(options, temps, servers, databases);
});
