/**
 * `npm run bench:analytics`: the analytics dashboard's reads on a large store.
 *
 * A SQLite store (WAL, synchronous=FULL, as the server opens it) is filled by the test-data
 * generator (test/helpers/analytics-data.ts: bulk inserts, the triggers of migration 0035 queueing
 * them, then the fold keeping the facts and hourly counts, timed as fold_s): by default 1,000,000 messages over 20,000 conversations, 200 agents
 * in 10 teams, 2 business numbers, 30 days. Then what the dashboard asks for a 30-day period, in
 * rounds: all teams (as an admin), each of 3 teams, 3 agents and each number, in the Europe/Rome
 * zone; each request timed on its own (AnalyticsReader.report, what GET /v1/analytics runs).
 *
 * In the same run, the raw baseline: the messages in and out and the busiest hours of the same
 * period counted by scanning the messages table (what a request would cost without the kept
 * counts), timed a few times; the ratio is the dashboard's median over the scan's.
 *
 * Options (flag or environment variable):
 *   --messages       BENCH_MESSAGES        (default 1000000)
 *   --conversations  BENCH_CONVERSATIONS   (default 20000)
 *   --agents         BENCH_AGENTS          (default 200)
 *   --rounds         BENCH_ROUNDS          rounds of the request mix (default 20)
 *
 * The last line printed is one JSON object:
 * {"bench":"analytics","dashboard_p50_ms":…,"dashboard_p95_ms":…,"messages":1000000,"conversations":20000,"agents":200,…}
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { AnalyticsQuery } from '../common/analytics/analytics-query.js';
import { foldPass } from '../server/analytics/analytics-fold.js';
import { AnalyticsReader } from '../server/analytics/analytics-reader.js';
import type { AnalyticsScope } from '../server/analytics/analytics-scope.js';
import { periodOf } from '../server/analytics/analytics-period.js';
import { openDatabase } from '../server/store/open-database.js';
import { fillAnalyticsStore, SAMPLE_TEMPLATES } from '../test/helpers/analytics-data.js';
import { readNumberOptions, runBench } from './bench-run.js';

const DAYS = 30;
/** Monday 2 March 2026, 00:00 in Rome: the period is 2–31 March on Rome's clock. */
const FROM = '2026-03-02';
const TO = '2026-03-31';
const ZONE = 'Europe/Rome';

const percentile = (sorted: readonly number[], p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0;
const round = (value: number) => Math.round(value * 100) / 100;

await runBench(
  'bench:analytics',
  () =>
    readNumberOptions({
      messages: { env: 'BENCH_MESSAGES', fallback: 1_000_000, min: 1000, max: 20_000_000, integer: true },
      conversations: { env: 'BENCH_CONVERSATIONS', fallback: 20_000, min: 10, max: 1_000_000, integer: true },
      agents: { env: 'BENCH_AGENTS', fallback: 200, min: 10, max: 10_000, integer: true },
      rounds: { env: 'BENCH_ROUNDS', fallback: 20, min: 1, max: 1000, integer: true },
    }),
  async (options, held) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sportello-bench-analytics-'));
    held.temps.push(dir);
    console.log(
      `analytics bench: ${options.messages} messages over ${options.conversations} conversations, ${options.agents} agents, ${DAYS} days; ` +
        `${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; data in ${os.tmpdir()}`,
    );
    const opened = await openDatabase(dir);
    held.atExit.push(async () => await opened.close());
    const { db } = opened;
    const period = periodOf(FROM, TO, ZONE);

    const fillStarted = performance.now();
    let reported = 0;
    const filled = await fillAnalyticsStore(
      db,
      {
        seed: 14,
        startsAt: period.startsAt,
        days: DAYS,
        conversations: options.conversations,
        messages: options.messages,
        teams: 10,
        agents: options.agents,
        numbers: 2,
      },
      (written) => {
        if (written - reported >= 200_000) {
          reported = written;
          console.log(`  filled ${written} messages (${Math.round((performance.now() - fillStarted) / 1000)} s)`);
        }
      },
    );
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    // What the writers' triggers appended, folded into the counts and facts as the server's timer would (not timed as a request).
    const foldStarted = performance.now();
    while ((await foldPass(db, period.endsAt)) > 0);
    const foldSeconds = (performance.now() - foldStarted) / 1000;
    const counted = await db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const buckets = await db
      .selectFrom('analytics_hourly')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    console.log(
      `filled in ${fillSeconds.toFixed(1)} s, folded in ${foldSeconds.toFixed(1)} s: ${Number(counted.n)} messages, ${filled.conversations} conversations, ${Number(buckets.n)} hourly rows`,
    );

    const categories = new Map<string, 'marketing' | 'utility' | 'authentication'>(SAMPLE_TEMPLATES.map((t) => [`${t.name}:${t.languageCode}`, t.category]));
    const reader = new AnalyticsReader({ db, now: () => period.endsAt, templateCategory: (name, language) => categories.get(`${name}:${language}`) });
    const base = { from: FROM, to: TO, timeZone: ZONE } as const;
    const requests: Array<{ kind: string; query: AnalyticsQuery; scope: AnalyticsScope }> = [
      { kind: 'all', query: { ...base, scope: 'team' }, scope: { teamIds: null } },
      ...filled.teams
        .slice(0, 3)
        .map((team) => ({ kind: 'team', query: { ...base, scope: 'team' as const, id: String(team.id) }, scope: { teamIds: null, teamId: team.id } })),
      ...filled.teams.slice(0, 3).map((team) => {
        const agentId = team.agentIds[0] ?? 0;
        return { kind: 'agent', query: { ...base, scope: 'agent' as const, id: String(agentId) }, scope: { teamIds: null, agentId } };
      }),
      ...filled.phoneNumberIds.map((id) => ({ kind: 'number', query: { ...base, scope: 'number' as const, id }, scope: { teamIds: null, phoneNumberId: id } })),
      // A supervisor of two teams, all of theirs.
      { kind: 'supervisor', query: { ...base, scope: 'team' }, scope: { teamIds: filled.teams.slice(0, 2).map((team) => team.id) } },
    ];
    // One unmeasured round (the statements' first compile, the page cache).
    for (const request of requests) await reader.report(request.query, request.scope);
    const timings: number[] = [];
    const byKind = new Map<string, number[]>();
    let opened30 = 0;
    for (let r = 0; r < options.rounds; r++) {
      for (const request of requests) {
        const started = performance.now();
        const report = await reader.report(request.query, request.scope);
        const ms = performance.now() - started;
        timings.push(ms);
        byKind.set(request.kind, [...(byKind.get(request.kind) ?? []), ms]);
        if (request.kind === 'all') opened30 = report.totals.conversationsOpened;
      }
    }
    timings.sort((a, b) => a - b);
    for (const [kind, list] of byKind) {
      list.sort((a, b) => a - b);
      console.log(`  ${kind.padEnd(10)} p50 ${percentile(list, 0.5).toFixed(1)} ms, p95 ${percentile(list, 0.95).toFixed(1)} ms (${list.length} requests)`);
    }

    // The raw baseline: the same period's messages in and out by hour, scanning the messages.
    const scans: number[] = [];
    for (let r = 0; r < 3; r++) {
      const started = performance.now();
      await sql`SELECT sent_at - sent_at % 3600000 AS hour, sum(CASE WHEN direction = 'inbound' THEN 1 ELSE 0 END) AS messages_in,
          sum(CASE WHEN direction = 'outbound' THEN 1 ELSE 0 END) AS messages_out
        FROM messages WHERE sent_at >= ${period.startsAt} AND sent_at < ${period.endsAt} GROUP BY sent_at - sent_at % 3600000`.execute(db);
      scans.push(performance.now() - started);
    }
    scans.sort((a, b) => a - b);
    const p50 = percentile(timings, 0.5);
    const p95 = percentile(timings, 0.95);
    const scanP50 = percentile(scans, 0.5);
    console.log(
      `dashboard: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms over ${timings.length} requests; scanning the messages for the hourly counts alone: ${scanP50.toFixed(1)} ms`,
    );
    console.log(
      JSON.stringify({
        bench: 'analytics',
        dashboard_p50_ms: round(p50),
        dashboard_p95_ms: round(p95),
        dashboard_max_ms: round(timings.at(-1) ?? 0),
        requests: timings.length,
        baseline_scan_ms: round(scanP50),
        ratio: round(p50 / scanP50),
        messages: Number(counted.n),
        conversations: filled.conversations,
        agents: options.agents,
        teams: filled.teams.length,
        numbers: filled.phoneNumberIds.length,
        days: DAYS,
        hourly_rows: Number(buckets.n),
        opened_in_period: opened30,
        fill_s: round(fillSeconds),
        fold_s: round(foldSeconds),
        p95_under_200_ms: p95 < 200,
      }),
    );
    return 0;
  },
);
