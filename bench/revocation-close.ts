/**
 * `npm run bench:revocation`: how long a revoked workstation's event socket stays open, against a
 * real server on loopback. The tests only check that it closes (with code 4003 and the reason);
 * how soon is measured here:
 *
 * - `in_process`: the revocation is made by the server's own service (the admin API's path), which
 *   tells the event feed at once;
 * - `other_process`: the revocation is committed by another connection to the store (the admin
 *   CLI's path), which the running server sees at its next feed poll (default 250 ms);
 * - the baseline: a WebSocket ping answered by the same server on the same socket, just before.
 *
 * Each round pairs a new workstation and enrolls a new agent on it (a TOTP step is accepted
 * once per agent), opens its event socket, revokes the device and times the close. The kinds
 * alternate round by round, so machine noise hits both alike.
 *
 * Options: --rounds BENCH_ROUNDS (default 15 per kind).
 * The last line printed is one JSON object:
 * {"bench":"revocation-close","in_process_p50_ms":…,"other_process_p50_ms":…,"baseline_ping_p50_ms":…,…}
 */
import { parseArgs } from 'node:util';
import { openAdminContext } from '../server/admin-cli/admin-context.js';
import { approvedDevice, enrolledAgent, IT, openEventSocket } from '../test/helpers/identity-setup.js';
import { startTestServer } from '../test/helpers/test-server.js';

const { values } = parseArgs({ options: { rounds: { type: 'string' } }, strict: true });
const raw = values.rounds ?? process.env.BENCH_ROUNDS ?? '15';
const ROUNDS = Number(raw);
if (!Number.isInteger(ROUNDS) || ROUNDS < 3 || ROUNDS > 500) throw new Error(`--rounds must be a whole number from 3 to 500, not "${raw}"`);
/** The event feed's poll as the server runs it (server/events/event-feed.ts); the test helper's default is faster. */
const FEED_POLL_MS = 250;

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
const round = (value: number) => Math.round(value * 100) / 100;

const t = await startTestServer({ eventFeed: { pollMs: FEED_POLL_MS } });
// The CLI's own context on the same store: its own connection, and nobody in this process to tell.
const cli = await openAdminContext({ SPORTELLO_DATA_DIR: t.dataDir, SPORTELLO_SANDBOX: '1' });
try {
  const kinds = {
    in_process: (deviceId: number) => t.server.identity.devices.revoke(deviceId, 'bench', IT),
    other_process: (deviceId: number) => cli.devices.revoke(deviceId, 'bench', cli.actor),
  } as const;
  const times: Record<keyof typeof kinds | 'baseline_ping', number[]> = { in_process: [], other_process: [], baseline_ping: [] };
  for (let i = 0; i < ROUNDS; i += 1) {
    const order = (Object.keys(kinds) as Array<keyof typeof kinds>).sort(() => Math.random() - 0.5);
    for (const kind of order) {
      // Each workstation from its own loopback address: the bench measures the close, not the pairing throttle.
      const device = await approvedDevice(t, `bench-${kind}-${i}`, `127.0.${1 + (i % 200)}.${1 + order.indexOf(kind)}`);
      const agent = await enrolledAgent(t, device, `bench.${kind.replace('_', '')}.${i}`);
      const events = await openEventSocket(t, device, agent.session.accessToken);
      await events.next((event) => event.type === 'ready');
      const pingedAt = performance.now();
      await new Promise<void>((resolve) => {
        events.socket.once('pong', () => resolve());
        events.socket.ping();
      });
      times.baseline_ping.push(performance.now() - pingedAt);

      const { id } = await t.server.database.db.selectFrom('devices').select('id').where('machine_id', '=', device.machineId).executeTakeFirstOrThrow();
      const revokedAt = performance.now();
      await kinds[kind](id);
      const closed = await events.closed;
      times[kind].push(performance.now() - revokedAt);
      if (closed.code !== 4003) throw new Error(`${kind}: expected close code 4003, got ${closed.code}`);
    }
  }
  const summary: Record<string, number> = {};
  for (const [name, list] of Object.entries(times)) {
    const sorted = [...list].sort((a, b) => a - b);
    summary[`${name}_p50_ms`] = round(percentile(sorted, 50));
    summary[`${name}_p95_ms`] = round(percentile(sorted, 95));
    summary[`${name}_max_ms`] = round(sorted[sorted.length - 1] ?? Number.NaN);
    console.log(
      `${name.padEnd(14)} p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, max ${(sorted[sorted.length - 1] ?? Number.NaN).toFixed(1)} ms (${sorted.length} tries)`,
    );
  }
  const ratio = (summary.in_process_p50_ms ?? Number.NaN) / (summary.baseline_ping_p50_ms ?? Number.NaN);
  console.log(
    `in-process revocation to close: ${ratio.toFixed(1)}× a WebSocket ping on the same socket; other process: the feed polls every ${FEED_POLL_MS} ms`,
  );
  console.log(JSON.stringify({ bench: 'revocation-close', ...summary, in_process_ratio_to_ping: round(ratio), feed_poll_ms: FEED_POLL_MS, rounds: ROUNDS }));
} finally {
  await cli.close();
  await t.close();
}
