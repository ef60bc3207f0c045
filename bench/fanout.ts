/**
 * `npm run bench:fanout`: how fast the event feed gets customers' messages to many agents' sockets
 * while webhooks keep coming.
 *
 * The real server (server/main.ts, sandbox mode, SQLite) runs in a child process; this process is
 * the client side: it holds the event sockets and posts the webhooks. Supervisors (who may see
 * every conversation) are seeded in the store with device sessions, several workstations each
 * (bench/fanout-viewers.ts), and each socket connects as the app does (token + device proof).
 * Signed webhooks (one text message each, from 500 customers) are built before the run and posted
 * on a fixed schedule, `--rate` per second, over keep-alive connections (bench/raw-http-client.ts):
 * a server that falls behind shows as latency, not as a slower sender.
 *
 * Measured for each socket and each acknowledged message: from the webhook's scheduled post time
 * to the arrival of the frame carrying its `message` event (one clock, this process's). Also the
 * webhook acknowledgements (from the scheduled time to the 200), every message delivered to every
 * socket exactly once, CPU of both processes, and the load average (the machine is shared).
 * The first `--warmup` seconds of the schedule are posted and delivered but not counted.
 *
 * Options (flag or environment variable):
 *   --duration BENCH_DURATION_S      counted seconds of the schedule          (default 20)
 *   --rate     BENCH_RATE            messages posted per second              (default 1000)
 *   --agents   BENCH_AGENTS          supervisors                             (default 20)
 *   --sockets-per-agent BENCH_SOCKETS_PER_AGENT  event sockets each          (default 5)
 *   --warmup   BENCH_WARMUP_S        seconds of schedule before counting     (default 2)
 *   --drain    BENCH_DRAIN_S         longest wait for late deliveries        (default 60)
 * BENCH_SERVER_NODE_ARGS: Node flags for the server process only (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 *
 * The last line printed is one JSON object:
 * {"bench":"fanout","clients":100,"msgs_per_s":1000,"p50_ms":…,"p99_ms":…,"delivered":…,"expected":…,"ack_p99_ms":…}
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { makeCustomers } from '../server/sandbox/simulated-customers.js';
import { WEBHOOK_PATH } from '../server/webhooks/webhook-routes.js';
import { signedTextWebhook, startServerProcess } from '../test/helpers/server-process.js';
import type { ServerProcess } from '../test/helpers/server-process.js';
import { readNumberOptions, runBench } from './bench-run.js';
import { benchDatabase, dropBenchDatabases } from './ingest-postgres.js';
import type { BenchDatabase } from './ingest-postgres.js';
import { Receipts } from './fanout-receipts.js';
import { openViewerSocket, seedViewers } from './fanout-viewers.js';
import type { OpenedSocket } from './fanout-viewers.js';
import { encodePost } from './raw-http-client.js';
import { percentile, postOnSchedule, round, sleep } from './scheduled-posts.js';
import type { PostSchedule } from './scheduled-posts.js';

const APP_SECRET = crypto.randomBytes(32).toString('hex');
const VERIFY_TOKEN = crypto.randomBytes(16).toString('base64url');
const CUSTOMERS = 500;
/** No new delivery for this long after the last post: what is missing will not come. */
const QUIET_MS = 5_000;

interface Options {
  readonly durationS: number;
  readonly rate: number;
  readonly agents: number;
  readonly socketsPerAgent: number;
  readonly warmupS: number;
  readonly drainS: number;
}

function readOptions(): Options {
  const values = readNumberOptions({
    duration: { env: 'BENCH_DURATION_S', fallback: 20, min: 1, max: 600, integer: false },
    rate: { env: 'BENCH_RATE', fallback: 1000, min: 1, max: 20_000, integer: true },
    agents: { env: 'BENCH_AGENTS', fallback: 20, min: 1, max: 250, integer: true },
    'sockets-per-agent': { env: 'BENCH_SOCKETS_PER_AGENT', fallback: 5, min: 1, max: 50, integer: true },
    warmup: { env: 'BENCH_WARMUP_S', fallback: 2, min: 0, max: 60, integer: false },
    drain: { env: 'BENCH_DRAIN_S', fallback: 60, min: 1, max: 600, integer: false },
  });
  return {
    durationS: values.duration,
    rate: values.rate,
    agents: values.agents,
    socketsPerAgent: values['sockets-per-agent'],
    warmupS: values.warmup,
    drainS: values.drain,
  };
}

// ---------------------------------------------------------------------------------------------
// Posting on a schedule

interface Schedule extends PostSchedule {
  readonly indexOfWamid: Map<string, number>;
}

const PHRASES = ['Hi, where is my order?', 'Can I change the delivery address?', 'Buongiorno, dov’è il mio ordine?', 'Grazie mille, risolto!'];

function buildSchedule(count: number, rate: number, port: number): Schedule {
  const customers = makeCustomers(CUSTOMERS);
  const requests: Buffer[] = [];
  const indexOfWamid = new Map<string, number>();
  const now = Date.now();
  for (let i = 0; i < count; i += 1) {
    const signed = signedTextWebhook(customers[i % customers.length]!, `${PHRASES[i % PHRASES.length]} (#${i})`, APP_SECRET, now);
    requests.push(encodePost(`127.0.0.1:${port}`, WEBHOOK_PATH, { 'content-type': 'application/json', 'x-hub-signature-256': signed.signature }, signed.body));
    indexOfWamid.set(signed.wamid, i);
  }
  // Times are filled in when the run starts.
  return { requests, scheduledAt: new Float64Array(count).map((_, i) => i * (1000 / rate)), indexOfWamid };
}

// ---------------------------------------------------------------------------------------------

const loadAverage = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

async function serverCpuSeconds(metricsPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const line = text.split('\n').find((entry) => entry.startsWith('sportello_process_cpu_seconds_total '));
  return Number(line?.split(' ')[1] ?? Number.NaN);
}

async function main(options: Options, temps: string[], servers: ServerProcess[], databases: BenchDatabase[]): Promise<number> {
  const clients = options.agents * options.socketsPerAgent;
  const clusterUrl = process.env.SPORTELLO_DATABASE_URL === '' ? undefined : process.env.SPORTELLO_DATABASE_URL;
  const store = clusterUrl === undefined ? undefined : await benchDatabase(clusterUrl, 'fanout');
  if (store !== undefined) databases.push(store);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sportello-bench-fanout-'));
  temps.push(dataDir);
  console.log(
    `fanout bench: ${clients} event sockets (${options.agents} supervisors × ${options.socketsPerAgent}), ${options.rate} messages/s for ${options.durationS} s after ${options.warmupS} s warm-up; ` +
      `${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; load average ${loadAverage()}`,
  );
  const viewers = await seedViewers(dataDir, options.agents, options.socketsPerAgent, store?.url);
  const server = await startServerProcess(dataDir, {
    ...(store === undefined ? {} : { databaseUrl: store.url }),
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    nodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter((arg) => arg !== ''),
    onLogLine: (entry, line) => {
      if (typeof entry.level === 'number' && entry.level >= 40) console.log(`server: ${line.slice(0, 500)}`);
    },
  });
  servers.push(server);
  console.log(`server: pid ${server.child.pid}, port ${server.port}`);

  const warmupCount = Math.round(options.warmupS * options.rate);
  const total = warmupCount + Math.round(options.durationS * options.rate);
  const schedule = buildSchedule(total, options.rate, server.port);
  const receipts = new Receipts(clients, schedule.indexOfWamid, schedule.scheduledAt, warmupCount);

  const sockets: OpenedSocket[] = [];
  const closes = new Map<number, number>();
  const ready: Array<Promise<void>> = [];
  for (const [n, viewer] of viewers.entries()) {
    let markReady: () => void = () => undefined;
    ready.push(new Promise<void>((resolve) => (markReady = resolve)));
    const opened = await openViewerSocket(server.port, viewer, (data, at) => {
      for (const event of receipts.take(n, data, at)) if ((event as { type?: unknown }).type === 'ready') markReady();
    });
    void opened.closed.then(({ code }) => closes.set(code, (closes.get(code) ?? 0) + 1));
    sockets.push(opened);
  }
  await Promise.all(ready);
  console.log(`sockets: ${sockets.length} open and live; built and signed ${total} webhooks; load average ${loadAverage()}`);

  const startAt = performance.now() + 500;
  for (let i = 0; i < total; i += 1) schedule.scheduledAt[i] = startAt + schedule.scheduledAt[i]!;
  const countedFrom = schedule.scheduledAt[warmupCount] ?? startAt;
  // This process's own lateness: a busy client would show as server latency.
  const clientLoop = monitorEventLoopDelay({ resolution: 5 });
  let cpuBefore: { server: number; client: NodeJS.CpuUsage } | undefined;
  const counting = sleep(countedFrom - performance.now()).then(async () => {
    cpuBefore = { server: await serverCpuSeconds(server.metricsPort), client: process.cpuUsage() };
    clientLoop.enable();
  });
  const posted = await postOnSchedule(server.port, schedule);
  await counting;
  const postedAt = performance.now();
  let ackedCounted = 0;
  for (let i = warmupCount; i < total; i += 1) ackedCounted += posted.acked[i] ?? 0;
  const expected = ackedCounted * clients;
  while (
    receipts.delivered < expected &&
    performance.now() - postedAt < options.drainS * 1000 &&
    performance.now() - Math.max(receipts.lastDeliveryAt, postedAt) < QUIET_MS
  )
    await sleep(100);
  const endedAt = Math.max(receipts.lastDeliveryAt, postedAt);
  const serverCpuS = (await serverCpuSeconds(server.metricsPort)) - (cpuBefore?.server ?? 0);
  const clientCpu = process.cpuUsage(cpuBefore?.client);
  clientLoop.disable();
  const clientCpuS = (clientCpu.user + clientCpu.system) / 1e6;
  const wallS = (endedAt - countedFrom) / 1000;

  for (const opened of sockets) opened.socket.close();
  const latencies = receipts.countedLatencies(posted.acked);
  const acks = Float64Array.from(posted.ackMs.subarray(warmupCount).filter((_, i) => posted.acked[warmupCount + i] === 1)).sort();
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  console.log(
    `webhooks: ${ackedCounted} of ${total - warmupCount} acknowledged; failures: ${posted.failures.size === 0 ? 'none' : [...posted.failures].map(([what, n]) => `${n}× ${what}`).join(', ')}`,
  );
  console.log(
    `webhooks: ack from scheduled time p50 ${percentile(acks, 50).toFixed(1)} ms, p99 ${percentile(acks, 99).toFixed(1)} ms, max ${percentile(acks, 100).toFixed(1)} ms`,
  );
  console.log(
    `delivery: ${receipts.delivered} of ${expected} (${clients} sockets × ${ackedCounted}), ${receipts.duplicates} duplicates; latency p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${percentile(latencies, 100).toFixed(1)} ms`,
  );
  console.log(
    `frames: ${receipts.frames} carrying ${receipts.events} events (${(receipts.events / Math.max(1, receipts.frames)).toFixed(1)} per frame), ${receipts.unreadable} unreadable; closed by the server: ${closes.size === 0 ? 'none' : [...closes].map(([code, n]) => `${n}× ${code}`).join(', ')}`,
  );
  console.log(
    `cpu over ${wallS.toFixed(1)} s: server ${((serverCpuS / wallS) * 100).toFixed(0)}% of a core, this process ${((clientCpuS / wallS) * 100).toFixed(0)}% (its event loop late by p99 ${(clientLoop.percentile(99) / 1e6).toFixed(1)} ms); load average ${loadAverage()}`,
  );
  const complete = receipts.delivered === expected && receipts.duplicates === 0 && ackedCounted === total - warmupCount;
  if (!complete) console.log('INCOMPLETE: not every message reached every socket exactly once');
  console.log(
    JSON.stringify({
      bench: 'fanout',
      clients,
      msgs_per_s: options.rate,
      p50_ms: round(p50),
      p99_ms: round(p99),
      delivered: receipts.delivered,
      expected,
      ack_p99_ms: round(percentile(acks, 99)),
      max_ms: round(percentile(latencies, 100)),
      ack_p50_ms: round(percentile(acks, 50)),
      duplicates: receipts.duplicates,
      events_per_frame: round(receipts.events / Math.max(1, receipts.frames)),
      server_cpu: round(serverCpuS / wallS),
      // What the load cannot change much: the server's CPU for the counted messages, from the first to the last delivery.
      server_cpu_s: round(serverCpuS),
      client_cpu: round(clientCpuS / wallS),
      client_loop_p99_ms: round(clientLoop.percentile(99) / 1e6),
      loadavg_1m: round(os.loadavg()[0] ?? Number.NaN),
      duration_s: options.durationS,
      store: store === undefined ? 'sqlite' : 'postgres',
    }),
  );
  return complete ? 0 : 1;
}

await runBench('bench:fanout', readOptions, async (options, { temps, servers, atExit }) => {
  const databases: BenchDatabase[] = [];
  atExit.push(() => dropBenchDatabases(databases));
  return main(options, temps, servers, databases);
});
