/**
 * `npm run bench:routing`: assignment within a team under load, through the real webhook path.
 *
 * The real server (server/main.ts, sandbox mode) runs in a child process; this process holds the
 * agents' event sockets and posts the webhooks. Seeded before it starts (bench/routing-seed.ts):
 * `--teams` teams, each with a business number of its own, `--agents` agents spread over them with
 * capacities from `--capacity-min` to `--capacity-max`, every one signed in on a workstation, and
 * `--open` open conversations already held, spread evenly. Each agent's event socket connects as
 * the app's does (token and device proof): that is what makes them online. Then customers who
 * never wrote before start conversations, one signed webhook each, on the teams' numbers in turn,
 * `--rate` per second for `--duration` seconds (after `--warmup` seconds not counted), on a fixed
 * schedule; meanwhile agents resolve conversations they hold through the API, `--resolve` per
 * second (bench/routing-load.ts), so room appears and the queues are filled as at a desk.
 *
 * Measured for each new conversation: from its webhook's scheduled post time to the arrival, on
 * the socket of the agent it was given to, of the first event showing it theirs (the feed's
 * events of the commit that assigned it): for all of them, and for those assigned on arrival (in
 * the webhook's transaction; the others waited in a queue for room). Read from the store
 * afterwards (bench/routing-judge.ts): every assignment judged against its assignee's capacity
 * at that moment (`within_capacity`, a fraction, must be 1), and the webhooks that never became a
 * conversation assigned or queued (`never_seen`, must be 0). And the server's event-loop lag,
 * once a second from its metrics.
 *
 * Options (flag or environment variable):
 *   --duration BENCH_DURATION_S   counted seconds of arrivals                      (default 30)
 *   --rate     BENCH_RATE         new conversations per second                    (default 200)
 *   --agents   BENCH_AGENTS       agents                                          (default 1000)
 *   --teams    BENCH_TEAMS        teams                                           (default 50)
 *   --open     BENCH_OPEN         open conversations held before the run          (default 20000)
 *   --capacity-min BENCH_CAPACITY_MIN  smallest agent capacity                    (default 20)
 *   --capacity-max BENCH_CAPACITY_MAX  largest agent capacity                     (default 24)
 *   --resolve  BENCH_RESOLVE      conversations resolved per second meanwhile     (default 100)
 *   --warmup   BENCH_WARMUP_S     seconds of arrivals before counting             (default 2)
 *   --drain    BENCH_DRAIN_S      longest wait for late assignments               (default 60)
 * BENCH_SERVER_NODE_ARGS: Node flags for the server process only (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 * SPORTELLO_DATABASE_URL: the store on PostgreSQL (a database of its own on that cluster).
 *
 * The last line printed is one JSON object:
 * {"bench":"routing","assign_p50_ms":…,"assign_p99_ms":…,"within_capacity":1,…}
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signWebhookBody } from '../server/cloud-api/webhook-signature.js';
import { inboundMessageWebhook } from '../server/sandbox/webhook-builder.js';
import type { SandboxBusiness } from '../server/sandbox/webhook-builder.js';
import { WEBHOOK_PATH } from '../server/webhooks/webhook-routes.js';
import { startServerProcess } from '../test/helpers/server-process.js';
import { readNumberOptions, runBench } from './bench-run.js';
import { openViewerSocket } from './fanout-viewers.js';
import type { OpenedSocket } from './fanout-viewers.js';
import { benchDatabase, dropBenchDatabases } from './ingest-postgres.js';
import type { BenchDatabase } from './ingest-postgres.js';
import { encodePost } from './raw-http-client.js';
import { judgeRouting } from './routing-judge.js';
import { resolveOnSchedule, watchLoopLag } from './routing-load.js';
import { seedRoutingDesk } from './routing-seed.js';
import { percentile, postOnSchedule, round, sleep } from './scheduled-posts.js';

const APP_SECRET = crypto.randomBytes(32).toString('hex');
const VERIFY_TOKEN = crypto.randomBytes(16).toString('base64url');
/** No new assignment for this long after the last post: what is missing will not come. */
const QUIET_MS = 5_000;

function readOptions() {
  const values = readNumberOptions({
    duration: { env: 'BENCH_DURATION_S', fallback: 30, min: 1, max: 600, integer: false },
    rate: { env: 'BENCH_RATE', fallback: 200, min: 1, max: 5000, integer: true },
    agents: { env: 'BENCH_AGENTS', fallback: 1000, min: 1, max: 5000, integer: true },
    teams: { env: 'BENCH_TEAMS', fallback: 50, min: 1, max: 500, integer: true },
    open: { env: 'BENCH_OPEN', fallback: 20_000, min: 0, max: 1_000_000, integer: true },
    'capacity-min': { env: 'BENCH_CAPACITY_MIN', fallback: 20, min: 0, max: 1000, integer: true },
    'capacity-max': { env: 'BENCH_CAPACITY_MAX', fallback: 24, min: 0, max: 1000, integer: true },
    resolve: { env: 'BENCH_RESOLVE', fallback: 100, min: 0, max: 5000, integer: true },
    warmup: { env: 'BENCH_WARMUP_S', fallback: 2, min: 0, max: 60, integer: false },
    drain: { env: 'BENCH_DRAIN_S', fallback: 60, min: 1, max: 600, integer: false },
  });
  if (values.agents < values.teams) throw new Error('--agents must be at least --teams: every team needs a member');
  if (values['capacity-max'] < values['capacity-min']) throw new Error('--capacity-max must be at least --capacity-min');
  return values;
}
type Options = ReturnType<typeof readOptions>;

/** A new customer's first message on `business`; its sender's number names the conversation in the events. */
function arrivalWebhook(index: number, business: SandboxBusiness, port: number) {
  const waId = `49${String(index).padStart(10, '0')}`;
  const customer = { waId, userId: `IT.bench${index}`, name: `Customer ${index}`, language: 'it' as const };
  const { body } = inboundMessageWebhook(business, customer, { type: 'text', text: { body: `Buongiorno, ordine #${index}` } });
  const bytes = Buffer.from(body);
  return {
    waId,
    request: encodePost(
      `127.0.0.1:${port}`,
      WEBHOOK_PATH,
      { 'content-type': 'application/json', 'x-hub-signature-256': signWebhookBody(bytes, APP_SECRET) },
      bytes,
    ),
  };
}

interface ConversationEvent {
  readonly type?: string;
  readonly conversation?: { readonly assignedAgentId?: number | null; readonly customer?: { readonly phone?: string | null } };
}

async function main(options: Options, temps: string[], servers: Awaited<ReturnType<typeof startServerProcess>>[], databases: BenchDatabase[]): Promise<number> {
  const clusterUrl = process.env.SPORTELLO_DATABASE_URL === '' ? undefined : process.env.SPORTELLO_DATABASE_URL;
  const store = clusterUrl === undefined ? undefined : await benchDatabase(clusterUrl, 'routing');
  if (store !== undefined) databases.push(store);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sportello-bench-routing-'));
  temps.push(dataDir);
  console.log(
    `routing bench: ${options.agents} agents in ${options.teams} teams (capacity ${options['capacity-min']}–${options['capacity-max']}), ${options.open} open conversations held, ${options.rate} new/s for ${options.duration} s after ${options.warmup} s, ${options.resolve} resolved/s; ` +
      `${os.cpus().length} CPUs, Node ${process.version}; load average ${os
        .loadavg()
        .map((v) => v.toFixed(2))
        .join(' ')}`,
  );
  const seededAt = performance.now();
  const desk = await seedRoutingDesk(
    dataDir,
    {
      teams: options.teams,
      agents: options.agents,
      openConversations: options.open,
      capacityMin: options['capacity-min'],
      capacityMax: options['capacity-max'],
    },
    store?.url,
  );
  console.log(`seeded in ${((performance.now() - seededAt) / 1000).toFixed(1)} s`);
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

  const warmupCount = Math.round(options.warmup * options.rate);
  const total = warmupCount + Math.round(options.duration * options.rate);
  const indexOf = new Map<string, number>();
  const waIds: string[] = [];
  const requests: Buffer[] = [];
  for (let i = 0; i < total; i += 1) {
    const arrival = arrivalWebhook(i, desk.businesses[i % desk.businesses.length] ?? desk.businesses[0]!, server.port);
    indexOf.set(arrival.waId, i);
    waIds.push(arrival.waId);
    requests.push(arrival.request);
  }
  const assignedAt = new Float64Array(total).fill(Number.NaN);
  let assignedCount = 0;
  let lastAssignmentAt = 0;
  const sockets: OpenedSocket[] = [];
  const ready: Array<Promise<void>> = [];
  for (const viewer of desk.viewers) {
    let markReady: () => void = () => undefined;
    ready.push(new Promise<void>((resolve) => (markReady = resolve)));
    const opened = await openViewerSocket(server.port, viewer, (data, at) => {
      for (const event of JSON.parse(data.toString('utf8')) as ConversationEvent[]) {
        if (event.type === 'ready') markReady();
        if (event.conversation?.assignedAgentId !== viewer.agentId) continue;
        const index = indexOf.get(event.conversation.customer?.phone ?? '');
        if (index === undefined || !Number.isNaN(assignedAt[index]!)) continue;
        assignedAt[index] = at;
        assignedCount += 1;
        lastAssignmentAt = at;
      }
    });
    sockets.push(opened);
  }
  await Promise.all(ready);
  console.log(`sockets: ${sockets.length} agents online; ${total} webhooks built and signed`);

  const startedAtMs = Date.now();
  const startAt = performance.now() + 500;
  const scheduledAt = new Float64Array(total).map((_, i) => startAt + i * (1000 / options.rate));
  const lag = watchLoopLag(server.metricsPort);
  const resolving = desk.held.map((conversationId, j) => ({ conversationId, viewer: desk.viewers[j % desk.viewers.length]! }));
  const [posted, resolved] = await Promise.all([
    postOnSchedule(server.port, { requests, scheduledAt }),
    options.resolve === 0
      ? Promise.resolve({ ok: 0, failures: new Map<string, number>() })
      : resolveOnSchedule(server.port, resolving, options.resolve, startAt, startAt + (total * 1000) / options.rate),
  ]);
  const postedAt = performance.now();
  let acked = 0;
  for (let i = 0; i < total; i += 1) acked += posted.acked[i] ?? 0;
  while (assignedCount < acked && performance.now() - postedAt < options.drain * 1000 && performance.now() - Math.max(lastAssignmentAt, postedAt) < QUIET_MS)
    await sleep(100);
  await lag.stop();
  for (const opened of sockets) opened.socket.close();

  const judged = await judgeRouting(
    dataDir,
    store?.url,
    startedAtMs,
    waIds.filter((_, i) => posted.acked[i] === 1),
  );
  const counted = (onArrivalOnly: boolean) =>
    Float64Array.from(
      Array.from(assignedAt.subarray(warmupCount), (at, i) =>
        onArrivalOnly && !judged.assignedOnArrival.has(waIds[warmupCount + i] ?? '') ? Number.NaN : at - scheduledAt[warmupCount + i]!,
      ).filter((ms) => !Number.isNaN(ms)),
    ).sort();
  const latencies = counted(false);
  const onArrival = counted(true);
  const withinShare = judged.judged === 0 ? 1 : judged.within / judged.judged;
  const lagP99 = Float64Array.from(lag.p99s).sort();
  console.log(
    `webhooks: ${acked} of ${total} acknowledged; failures: ${posted.failures.size === 0 ? 'none' : [...posted.failures].map(([what, n]) => `${n}× ${what}`).join(', ')}`,
  );
  console.log(
    `resolved meanwhile: ${resolved.ok}; failures: ${resolved.failures.size === 0 ? 'none' : [...resolved.failures].map(([what, n]) => `${n}× ${what}`).join(', ')}`,
  );
  console.log(
    `assignments: ${assignedCount} seen on the assignees' sockets, ${judged.assignedInRun} of the run's conversations in the store (${judged.assignedOnArrival.size} on arrival), ${judged.queuedAtEnd} left in a queue; ` +
      `${judged.judged} assignments judged, ${judged.judged - judged.within} over a capacity; never seen: ${judged.neverSeen}; free places left beside a queue: ${judged.idleRoom}`,
  );
  console.log(
    `latency webhook → assignment event (counted): p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${percentile(latencies, 100).toFixed(1)} ms; ` +
      `assigned on arrival: p50 ${percentile(onArrival, 50).toFixed(1)} ms, p99 ${percentile(onArrival, 99).toFixed(1)} ms`,
  );
  console.log(`server event-loop lag: p99 of each second's p99 ${percentile(lagP99, 99).toFixed(1)} ms, max ${lag.max.toFixed(1)} ms`);
  console.log(
    JSON.stringify({
      bench: 'routing',
      assign_p50_ms: round(percentile(latencies, 50)),
      assign_p99_ms: round(percentile(latencies, 99)),
      within_capacity: round(withinShare, 4),
      never_seen: judged.neverSeen,
      assign_max_ms: round(percentile(latencies, 100)),
      on_arrival_p50_ms: round(percentile(onArrival, 50)),
      on_arrival_p99_ms: round(percentile(onArrival, 99)),
      assignments_judged: judged.judged,
      assigned: judged.assignedInRun,
      assigned_on_arrival: judged.assignedOnArrival.size,
      arrivals: total,
      queued_at_end: judged.queuedAtEnd,
      idle_room_beside_queue: judged.idleRoom,
      resolved: resolved.ok,
      loop_lag_p99_ms: round(percentile(lagP99, 99)),
      loop_lag_max_ms: round(lag.max),
      agents: options.agents,
      teams: options.teams,
      open_before: options.open,
      capacity: `${options['capacity-min']}-${options['capacity-max']}`,
      rate: options.rate,
      resolve_rate: options.resolve,
      duration_s: options.duration,
      ack_p99_ms: round(percentile(Float64Array.from(posted.ackMs).sort(), 99)),
      loadavg_1m: round(os.loadavg()[0] ?? Number.NaN),
      store: store === undefined ? 'sqlite' : 'postgres',
    }),
  );
  return acked === total && judged.within === judged.judged && judged.neverSeen === 0 ? 0 : 1;
}

await runBench('bench:routing', readOptions, async (options, { temps, servers, atExit }) => {
  const databases: BenchDatabase[] = [];
  atExit.push(() => dropBenchDatabases(databases));
  return main(options, temps, servers, databases);
});
