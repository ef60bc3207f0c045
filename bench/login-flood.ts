/**
 * `npm run bench:login-flood`: are legitimate logins still answered while a flood of bogus ones
 * arrives? Against a real server on loopback: agents log in at their workstations (password +
 * recovery code) first on a quiet server, one after another, then while --flood bogus approval-
 * page logins (default 200, each from its own loopback address, all with a live pairing code so
 * they reach the password check) arrive at once: the legitimate logins then start every
 * --spacing ms (default 100) whether or not the one before has been answered, as agents at
 * different desks would. Prints the legitimate logins' medians and worst case in both phases and
 * their ratio, how long the flood took to be answered and with what, and the most password hashes
 * in flight at once (counted by a pass-through wrapper around node's scrypt, installed before the
 * server's modules load).
 *
 * Options: --flood BENCH_FLOOD (default 200), --logins BENCH_LOGINS (legitimate logins per phase, default 10),
 * --spacing BENCH_SPACING_MS (default 100).
 * The last line printed is one JSON object:
 * {"bench":"login-flood","quiet_p50_ms":…,"flooded_p50_ms":…,"flooded_max_ms":…,"flooded_over_quiet":…,"flood_statuses":{…},"peak_hashes_in_flight":…,…}
 */
import crypto from 'node:crypto';
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { flood: { type: 'string' }, logins: { type: 'string' }, spacing: { type: 'string' } }, strict: true });
function count(flag: string | undefined, envName: string, fallback: number, max: number): number {
  const raw = flag ?? process.env[envName];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${envName} must be a whole number from 1 to ${max}, not "${raw}"`);
  return value;
}
const FLOOD = count(values.flood, 'BENCH_FLOOD', 200, 60_000);
const LOGINS = count(values.logins, 'BENCH_LOGINS', 10, 50);
const SPACING_MS = count(values.spacing, 'BENCH_SPACING_MS', 100, 10_000);

// Counted before any server module captures scrypt (passwords.ts promisifies it as it loads).
const hashes = { inFlight: 0, peak: 0 };
const originalScrypt = crypto.scrypt;
crypto.scrypt = (...args: unknown[]) => {
  const callback = args.pop() as (error: Error | null, key: Buffer) => void;
  hashes.inFlight += 1;
  hashes.peak = Math.max(hashes.peak, hashes.inFlight);
  (originalScrypt as (...rest: unknown[]) => void)(...args, (error: Error | null, key: Buffer) => {
    hashes.inFlight -= 1;
    callback(error, key);
  });
};

const { enrolledAgent, IT } = await import('../test/helpers/identity-setup.js');
const { TestDevice } = await import('../test/helpers/test-device.js');
const { startTestServer } = await import('../test/helpers/test-server.js');

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
const round = (value: number) => Math.round(value * 10) / 10;

/** A url-encoded form POST to the approval page from a chosen loopback address; resolves with the status. */
function postForm(baseUrl: string, path: string, fields: Record<string, string>, localAddress: string): Promise<number> {
  const body = new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${baseUrl}${path}`,
      {
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)), origin: new URL(baseUrl).origin },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const t = await startTestServer();
try {
  // Each legitimate login from a desk of its own, as agents at different workstations would be.
  const desks = await Promise.all(
    Array.from({ length: LOGINS }, async (_, i) => {
      // Paired from its own address: pairing requests are rate-limited per address.
      const desk = new TestDevice(t.server.url, { hostname: `flood-bench-desk-${i}`, sourceAddress: `127.8.0.${i + 1}` });
      await t.server.identity.devices.allow([{ machineId: desk.machineId, label: `Bench desk ${i}` }], IT, 'single');
      const pairing = await desk.requestPairing();
      if (pairing.status !== 201) throw new Error(`pairing desk ${i}: HTTP ${pairing.status}`);
      await t.server.identity.pairing.approve(pairing.body.code.replace('-', ''), IT);
      return { desk, agent: await enrolledAgent(t, desk, `bench.agent.${i}`) };
    }),
  );
  /** The i-th agent logs in (phase 0 quiet, 1 flooded: a recovery code each), timed; it must succeed. */
  const legitimateLogin = async (i: number, phase: 0 | 1): Promise<number> => {
    const { desk, agent } =
      desks[i] ??
      (() => {
        throw new Error(`no desk ${i}`);
      })();
    const started = performance.now();
    const response = await desk.login(agent.username, agent.password, { kind: 'recovery', code: agent.recoveryCodes[phase] ?? '' });
    const elapsed = performance.now() - started;
    if (response.status !== 201) throw new Error(`a legitimate login was refused: HTTP ${response.status} ${JSON.stringify(response.body)}`);
    return elapsed;
  };

  // A workstation asking to pair: its code is what makes the flood's attempts reach the password check.
  const asking = new TestDevice(t.server.url, { sourceAddress: '127.9.0.1' });
  await t.server.identity.devices.allow([{ machineId: asking.machineId, label: 'Flood bench' }], IT, 'single');
  const pairing = await asking.requestPairing();
  if (pairing.status !== 201) throw new Error(`pairing: HTTP ${pairing.status}`);

  const quiet: number[] = [];
  for (let i = 0; i < LOGINS; i += 1) quiet.push(await legitimateLogin(i, 0));

  hashes.peak = 0;
  const floodStarted = performance.now();
  let outstanding = FLOOD;
  const statuses: Record<string, number> = {};
  const floodAnswers: number[] = [];
  const flood = Promise.all(
    Array.from({ length: FLOOD }, (_, i) =>
      postForm(
        t.server.url,
        '/pair/login',
        { code: pairing.body.code, username: `bogus.${i}`, password: `guess number ${i}`, otp: '123456' },
        `127.10.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      ).then((status) => {
        statuses[status] = (statuses[status] ?? 0) + 1;
        floodAnswers.push(performance.now() - floodStarted);
        outstanding -= 1;
      }),
    ),
  );
  const outstandingAtStart: number[] = [];
  const flooded = await Promise.all(
    Array.from(
      { length: LOGINS },
      (_, i) =>
        new Promise<number>((resolve, reject) => {
          setTimeout(() => {
            outstandingAtStart.push(outstanding);
            legitimateLogin(i, 1).then(resolve, reject);
          }, i * SPACING_MS);
        }),
    ),
  );
  await flood;
  const floodMs = performance.now() - floodStarted;
  const sortedFloodAnswers = [...floodAnswers].sort((a, b) => a - b);

  const sortedQuiet = [...quiet].sort((a, b) => a - b);
  const sortedFlooded = [...flooded].sort((a, b) => a - b);
  const quietP50 = percentile(sortedQuiet, 50);
  const floodedP50 = percentile(sortedFlooded, 50);
  console.log(`quiet server:   legitimate login p50 ${quietP50.toFixed(1)} ms, max ${Math.max(...quiet).toFixed(1)} ms (${LOGINS} logins)`);
  console.log(
    `during flood:   legitimate login p50 ${floodedP50.toFixed(1)} ms, max ${Math.max(...flooded).toFixed(1)} ms (${LOGINS} logins, one every ${SPACING_MS} ms; flood requests unanswered as each began: ${outstandingAtStart.join(', ')})`,
  );
  console.log(
    `flood:          ${FLOOD} bogus approval-page logins, all answered after ${floodMs.toFixed(0)} ms (p50 ${percentile(sortedFloodAnswers, 50).toFixed(0)} ms): ${Object.entries(
      statuses,
    )
      .map(([status, n]) => `${n}× HTTP ${status}`)
      .join(', ')}`,
  );
  console.log(`password hashes in flight at once during the flood: at most ${hashes.peak}`);
  console.log(`flooded p50 / quiet p50: ${(floodedP50 / quietP50).toFixed(2)}`);
  console.log(
    JSON.stringify({
      bench: 'login-flood',
      quiet_p50_ms: round(quietP50),
      quiet_max_ms: round(Math.max(...quiet)),
      flooded_p50_ms: round(floodedP50),
      flooded_max_ms: round(Math.max(...flooded)),
      flooded_over_quiet: Math.round((floodedP50 / quietP50) * 100) / 100,
      flood: FLOOD,
      flood_ms: Math.round(floodMs),
      flood_answer_p50_ms: Math.round(percentile(sortedFloodAnswers, 50)),
      spacing_ms: SPACING_MS,
      flood_statuses: statuses,
      peak_hashes_in_flight: hashes.peak,
      logins: LOGINS,
    }),
  );
} finally {
  await t.close();
}
