/**
 * `npm run bench:login-timing`: how long a failed login takes depending on what was wrong —
 * the password, the code, or a username that does not exist — against a real server on
 * loopback. The answers are identical by design; this measures whether the time gives the
 * difference away. Each kind is tried in turn (interleaved, so machine noise hits all alike).
 *
 * Options: --rounds BENCH_ROUNDS (default 40 per kind).
 * The last line printed is one JSON object:
 * {"bench":"login-timing","wrong_password_p50_ms":…,"wrong_code_p50_ms":…,"unknown_user_p50_ms":…,"max_p50_spread_ms":…,…}
 */
import { parseArgs } from 'node:util';
import { approvedDevice, enrolledAgent } from '../test/helpers/identity-setup.js';
import { startTestServer } from '../test/helpers/test-server.js';

const { values } = parseArgs({ options: { rounds: { type: 'string' } }, strict: true });
const raw = values.rounds ?? process.env.BENCH_ROUNDS ?? '40';
const ROUNDS = Number(raw);
if (!Number.isInteger(ROUNDS) || ROUNDS < 5 || ROUNDS > 1000) throw new Error(`--rounds must be a whole number from 5 to 1000, not "${raw}"`);

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
const round = (value: number) => Math.round(value * 100) / 100;

const t = await startTestServer();
try {
  const device = await approvedDevice(t, 'timing-bench');
  const agent = await enrolledAgent(t, device, 'timed.agent');
  const kinds = {
    wrong_password: () => device.login(agent.username, 'not the right password at all', { kind: 'totp', code: '123456' }),
    wrong_code: () => device.login(agent.username, agent.password, { kind: 'totp', code: '000000' }),
    unknown_user: (i: number) => device.login(`nobody.${i}`, agent.password, { kind: 'totp', code: '123456' }),
  } as const;
  const times: Record<keyof typeof kinds, number[]> = { wrong_password: [], wrong_code: [], unknown_user: [] };
  for (let i = 0; i < ROUNDS; i += 1) {
    // A different order each round, so no kind always follows the same one.
    const order = (Object.entries(kinds) as Array<[keyof typeof kinds, (i: number) => Promise<{ status: number }>]>).sort(() => Math.random() - 0.5);
    for (const [name, attempt] of order) {
      // Each attempt from its own loopback address, counters reset: the bench measures the check, not the throttles.
      device.sourceAddress = `127.0.${1 + (i % 200)}.${1 + (Object.keys(kinds).indexOf(name) % 200)}`;
      await t.server.database.db.updateTable('agents').set({ failed_logins: 0, locked_at: null }).execute();
      await t.server.database.db.updateTable('devices').set({ failed_logins: 0, failed_logins_since: null }).execute();
      const started = performance.now();
      const response = await attempt(i);
      times[name].push(performance.now() - started);
      if (response.status !== 401) throw new Error(`${name}: expected 401, got ${response.status}`);
    }
  }
  const summary: Record<string, number> = {};
  const p50s: number[] = [];
  for (const [name, list] of Object.entries(times)) {
    const sorted = [...list].sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    p50s.push(p50);
    summary[`${name}_p50_ms`] = round(p50);
    summary[`${name}_p95_ms`] = round(percentile(sorted, 95));
    console.log(`${name.padEnd(15)} p50 ${p50.toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms (${ROUNDS} tries; each includes fetching a nonce and signing)`);
  }
  const spread = Math.max(...p50s) - Math.min(...p50s);
  console.log(`largest difference between medians: ${spread.toFixed(1)} ms`);
  console.log(JSON.stringify({ bench: 'login-timing', ...summary, max_p50_spread_ms: round(spread), rounds: ROUNDS }));
} finally {
  await t.close();
}
