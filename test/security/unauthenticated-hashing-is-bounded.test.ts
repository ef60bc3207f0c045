/**
 * Every login costs a scrypt hash (against a decoy when the username does not exist), run on
 * libuv's small thread pool. Unbounded, a flood of logins queued a hash each, and the pool then
 * served legitimate logins (and file I/O) only after the flood. Now unauthenticated hashing runs
 * in two bounded lanes (the anonymous approval page, the device-bound desktop login), fair between
 * sources, and refuses what would wait too long. Observed here: a pass-through wrapper around
 * node's own scrypt, installed before any server module captures it, counts the hashes in flight.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PASSWORD_CHECK_LANES, PasswordCheckQueue } from '../../server/credentials/password-check-queue.js';
import { PageClient, enrolledWithRole, pendingPairing } from '../approval-page/page-fixtures.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const scrypts = await vi.hoisted(async () => {
  const { default: crypto } = await import('node:crypto');
  const original = crypto.scrypt;
  const counter = { inFlight: 0, peak: 0, started: 0 };
  const counted = (...args: unknown[]) => {
    const callback = args.pop() as (error: Error | null, key: Buffer) => void;
    counter.inFlight += 1;
    counter.started += 1;
    counter.peak = Math.max(counter.peak, counter.inFlight);
    (original as (...rest: unknown[]) => void)(...args, (error: Error | null, key: Buffer) => {
      counter.inFlight -= 1;
      callback(error, key);
    });
  };
  crypto.scrypt = counted;
  return counter;
});

describe('unauthenticated password hashing', () => {
  let t: TestServer;
  let desk: TestDevice;
  let agent: EnrolledAgent;

  beforeAll(async () => {
    t = await startTestServer();
    await enrolledWithRole(t, 'irene', 'admin');
    desk = await approvedDevice(t, 'flood-desk');
    agent = await enrolledAgent(t, desk, 'dario');
  });
  afterAll(async () => {
    await t.close();
  });

  const pageFlood = async (size: number) => {
    const { code } = await pendingPairing(t);
    return Promise.all(
      Array.from({ length: size }, (_, i) =>
        new PageClient(t.server.url, { sourceAddress: `127.2.${Math.floor(i / 250)}.${(i % 250) + 1}` }).post('/pair/login', {
          code,
          username: `bogus.${i}`,
          password: `guess ${i}`,
          otp: '123456',
        }),
      ),
    );
  };

  it(`runs at most ${PASSWORD_CHECK_LANES.approvalPage.concurrency} approval-page hash at once, and answers every attempt`, async () => {
    scrypts.peak = 0;
    scrypts.started = 0;
    const answers = await pageFlood(40);
    expect(scrypts.started).toBeGreaterThan(0);
    expect(scrypts.peak).toBeLessThanOrEqual(PASSWORD_CHECK_LANES.approvalPage.concurrency);
    const statuses = new Set(answers.map((answer) => answer.status));
    expect(
      [...statuses].every((status) => status === 401 || status === 503),
      [...statuses].join(),
    ).toBe(true);
    // What was refused as busy says so, in the page's own words.
    const busy = answers.find((answer) => answer.status === 503);
    expect(busy?.html).toContain('busy');
  });

  it('keeps the desktop login in its own lane while the page is flooded', async () => {
    scrypts.peak = 0;
    const flood = pageFlood(40);
    const login = await desk.login(agent.username, agent.password, { kind: 'recovery', code: agent.recoveryCodes[0] ?? '' });
    await flood;
    expect(login.status).toBe(201);
    expect(scrypts.peak).toBeLessThanOrEqual(PASSWORD_CHECK_LANES.approvalPage.concurrency + PASSWORD_CHECK_LANES.deviceLogin.concurrency);
  });

  it(`runs at most ${PASSWORD_CHECK_LANES.deviceLogin.concurrency} desktop-login hashes at once`, async () => {
    const desks = await Promise.all(Array.from({ length: 6 }, (_, i) => approvedDevice(t, `spray-${i}`)));
    scrypts.peak = 0;
    const answers = await Promise.all(
      desks.flatMap((device, d) =>
        Array.from({ length: 4 }, (_, i) => {
          device.sourceAddress = `127.3.0.${d + 1}`;
          return device.login(`nobody.${d}.${i}`, 'a guess', { kind: 'totp', code: '123456' });
        }),
      ),
    );
    expect(answers.map((answer) => answer.status).every((status) => status === 401 || status === 503)).toBe(true);
    expect(scrypts.peak).toBeLessThanOrEqual(PASSWORD_CHECK_LANES.deviceLogin.concurrency);
  });
});

describe('the password-check queue', () => {
  /** A check that finishes when the test says so, recording when it started. */
  const gated = (name: string, started: string[]) => {
    let finish = () => {};
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    return { run: () => (started.push(name), done.then(() => name)), finish: () => finish() };
  };
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

  it('serves waiting sources in turn, so one source cannot keep another at the back', async () => {
    const queue = new PasswordCheckQueue({ concurrency: 1, maxWaiting: 10, maxWaitingPerSource: 3 });
    const started: string[] = [];
    const checks = { a1: gated('a1', started), a2: gated('a2', started), a3: gated('a3', started), b1: gated('b1', started) };
    const results = [queue.run('a', checks.a1.run), queue.run('a', checks.a2.run), queue.run('a', checks.a3.run), queue.run('b', checks.b1.run)];
    await settle();
    expect({ running: queue.running, waiting: queue.waiting, started: [...started] }).toEqual({ running: 1, waiting: 3, started: ['a1'] });
    for (const name of ['a1', 'a2', 'b1', 'a3'] as const) {
      checks[name].finish();
      await settle();
      expect(queue.running).toBeLessThanOrEqual(1);
    }
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3']);
    expect(await Promise.all(results)).toEqual(['a1', 'a2', 'a3', 'b1']);
  });

  it('refuses at once what would wait past its limits, per source and in all', async () => {
    const queue = new PasswordCheckQueue({ concurrency: 1, maxWaiting: 3, maxWaitingPerSource: 2 });
    const started: string[] = [];
    const running = gated('running', started);
    const first = queue.run('a', running.run);
    const waiting = [queue.run('a', () => Promise.resolve('a')), queue.run('a', () => Promise.resolve('a'))];
    await expect(queue.run('a', () => Promise.resolve('a'))).rejects.toMatchObject({ code: 'login_busy' });
    waiting.push(queue.run('b', () => Promise.resolve('b')));
    await expect(queue.run('c', () => Promise.resolve('c'))).rejects.toMatchObject({ code: 'login_busy' });
    running.finish();
    expect(await Promise.all([first, ...waiting])).toEqual(['running', 'a', 'a', 'b']);
    expect({ running: queue.running, waiting: queue.waiting }).toEqual({ running: 0, waiting: 0 });
  });

  it('gives the slot back when a check fails', async () => {
    const queue = new PasswordCheckQueue({ concurrency: 1, maxWaiting: 1, maxWaitingPerSource: 1 });
    await expect(queue.run('a', () => Promise.reject(new Error('scrypt failed')))).rejects.toThrow('scrypt failed');
    expect(await queue.run('a', () => Promise.resolve('next'))).toBe('next');
  });
});
