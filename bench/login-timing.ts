/**
 * `npm run bench:login-timing`: how long a failed login takes depending on what was wrong —
 * the password alone (with a code that is valid right now), the code alone, both, or a username
 * that does not exist — against a real server on loopback. A wrong password with a valid code is
 * the case that matters: a difference there would tell a guesser holding the agent's current
 * code when the password was right. The answers are identical by design; this measures whether the time gives the
 * difference away. Each kind is tried in turn (interleaved, so machine noise hits all alike).
 *
 * Options: --rounds BENCH_ROUNDS (default 40 per kind).
 * The last line printed is one JSON object:
 * {"bench":"login-timing","wrong_password_p50_ms":…,"wrong_code_p50_ms":…,"both_wrong_p50_ms":…,"unknown_user_p50_ms":…,"max_p50_spread_ms":…,…}
 */
import { parseArgs } from 'node:util';
import { checkTotp } from '../server/credentials/totp.js';
import { approvedDevice, enrolledAgent, totpNow } from '../test/helpers/identity-setup.js';
import { startTestServer } from '../test/helpers/test-server.js';

const { values } = parseArgs({ options: { rounds: { type: 'string' } }, strict: true });
const raw = values.rounds ?? process.env.BENCH_ROUNDS ?? '40';
const ROUNDS = Number(raw);
if (!Number.isInteger(ROUNDS) || ROUNDS < 5 || ROUNDS > 1000) throw new Error(`--rounds must be a whole number from 5 to 1000, not "${raw}"`);

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
const round = (value: number) => Math.round(value * 100) / 100;

const t = await startTestServer();
try {
  const device = await approvedDevice(t, 'timing-bench');
  const agent = await enrolledAgent(t, device, 'timed.agent');
  const { totp_last_step: spentStep } = await t.server.database.db
    .selectFrom('agents')
    .select('totp_last_step')
    .where('id', '=', agent.agentId)
    .executeTakeFirstOrThrow();
  /** The code the agent's phone shows for the next step: valid now, and newer than the step enrollment spent (a failed login spends none). */
  const validCode = async () => {
    const code = await totpNow(agent.secret, Date.now() + 30_000);
    const check = await checkTotp({ secret: agent.secret, code, afterStep: spentStep, nowMs: Date.now() });
    if (!check.valid) throw new Error('the code meant to be valid is not: the bench would measure the wrong case');
    return code;
  };
  /** A code that is not the agent's now (nor one step either side). */
  const wrongCode = async () => {
    const near = new Set(await Promise.all([-30_000, 0, 30_000].map((offset) => totpNow(agent.secret, Date.now() + offset))));
    for (let candidate = 0; ; candidate += 1) {
      const code = String(candidate).padStart(6, '0');
      if (!near.has(code)) return code;
    }
  };
  type Attempt = () => Promise<{ status: number }>;
  // Each kind prepares its attempt (the codes) outside the timed part.
  const kinds: Record<'wrong_password' | 'wrong_code' | 'both_wrong' | 'unknown_user', (i: number) => Promise<Attempt>> = {
    wrong_password: async () => {
      const code = await validCode();
      return () => device.login(agent.username, 'not the right password at all', { kind: 'totp', code });
    },
    wrong_code: async () => {
      const code = await wrongCode();
      return () => device.login(agent.username, agent.password, { kind: 'totp', code });
    },
    both_wrong: async () => {
      const code = await wrongCode();
      return () => device.login(agent.username, 'not the right password at all', { kind: 'totp', code });
    },
    unknown_user: async (i) => {
      const code = await validCode();
      return () => device.login(`nobody.${i}`, agent.password, { kind: 'totp', code });
    },
  };
  const times: Record<keyof typeof kinds, number[]> = { wrong_password: [], wrong_code: [], both_wrong: [], unknown_user: [] };
  for (let i = 0; i < ROUNDS; i += 1) {
    // A different order each round, so no kind always follows the same one.
    const order = (Object.entries(kinds) as Array<[keyof typeof kinds, (i: number) => Promise<Attempt>]>).sort(() => Math.random() - 0.5);
    for (const [name, prepare] of order) {
      // Each attempt from its own loopback address, counters reset: the bench measures the check, not the throttles.
      device.sourceAddress = `127.0.${1 + (i % 200)}.${1 + (Object.keys(kinds).indexOf(name) % 200)}`;
      await t.server.database.db.updateTable('agents').set({ failed_logins: 0, locked_at: null }).execute();
      await t.server.database.db.updateTable('devices').set({ failed_logins: 0, failed_logins_since: null }).execute();
      const attempt = await prepare(i);
      const started = performance.now();
      const response = await attempt();
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
    console.log(
      `${name.padEnd(15)} p50 ${p50.toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms (${ROUNDS} tries; each includes fetching a nonce and signing)`,
    );
  }
  const spread = Math.max(...p50s) - Math.min(...p50s);
  console.log(`largest difference between medians: ${spread.toFixed(1)} ms`);
  console.log(JSON.stringify({ bench: 'login-timing', ...summary, max_p50_spread_ms: round(spread), rounds: ROUNDS }));
} finally {
  await t.close();
}
