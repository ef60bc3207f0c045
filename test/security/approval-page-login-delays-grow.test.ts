/**
 * Instead of locking accounts, the approval page slows guessing: after a few free attempts, each
 * attempt for a username, and from an address, must wait twice as long as the one before, up to
 * a ceiling. Checked by the throttle's decisions and the page's Retry-After values against an
 * injected clock, never by waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delayAfter, LoginThrottle, PAGE_LOGIN_THROTTLE } from '../../server/approval-page/login-throttle.js';
import type { ThrottlePolicy } from '../../server/approval-page/login-throttle.js';
import { enrolledWithRole, PageClient, pendingPairing } from '../approval-page/page-fixtures.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const POLICY: ThrottlePolicy = { freeAttempts: 3, firstDelayMs: 1000, maxDelayMs: 16_000, forgetAfterMs: 60_000, maxTracked: 100 };
const key = (username: string, address = '203.0.113.1') => ({ address, username });

describe('the approval page login throttle', () => {
  it('lets the first attempts through, then doubles the wait up to the ceiling', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 20].map((attempts) => delayAfter(POLICY, attempts))).toEqual([0, 0, 0, 1000, 2000, 4000, 8000, 16_000, 16_000, 16_000]);
    const throttle = new LoginThrottle(POLICY);
    let now = 1_000_000;
    const waits: number[] = [];
    for (let attempt = 0; attempt < 9; attempt += 1) {
      // Each from its own address: only the username's delay is in play.
      const keys = key('irene', `203.0.113.${attempt + 1}`);
      let decision = throttle.admit(keys, now);
      if (!decision.allowed) {
        expect(decision.by).toBe('username');
        waits.push(decision.retryAfterMs);
        // One millisecond early is still too early.
        expect(throttle.admit(keys, now + decision.retryAfterMs - 1).allowed).toBe(false);
        now += decision.retryAfterMs;
        decision = throttle.admit(keys, now);
      }
      expect(decision.allowed).toBe(true);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 16_000]);
  });

  it('slows one address trying many usernames just the same', () => {
    const throttle = new LoginThrottle(POLICY);
    const now = 5_000_000;
    for (let i = 0; i < POLICY.freeAttempts; i += 1) expect(throttle.admit(key(`name.${i}`), now).allowed).toBe(true);
    expect(throttle.admit(key('name.next'), now)).toEqual({ allowed: false, retryAfterMs: 1000, by: 'address' });
  });

  it('starts afresh after a success, after a quiet spell, and for an attempt withdrawn unchecked', () => {
    const throttle = new LoginThrottle(POLICY);
    let now = 9_000_000;
    for (let i = 0; i < POLICY.freeAttempts; i += 1) throttle.admit(key('irene'), now);
    expect(throttle.admit(key('irene'), now).allowed).toBe(false);
    throttle.succeeded(key('irene'));
    expect(throttle.admit(key('irene'), now).allowed).toBe(true);

    for (let i = 1; i < POLICY.freeAttempts; i += 1) throttle.admit(key('irene'), now);
    expect(throttle.admit(key('irene'), now).allowed).toBe(false);
    now += POLICY.forgetAfterMs;
    expect(throttle.admit(key('irene'), now).allowed).toBe(true);

    const fresh = new LoginThrottle(POLICY);
    for (let i = 0; i < POLICY.freeAttempts - 1; i += 1) fresh.admit(key('carlo'), now);
    fresh.admit(key('carlo'), now);
    fresh.withdraw(key('carlo'));
    expect(fresh.admit(key('carlo'), now).allowed).toBe(true);
  });

  it('tracks at most its cap of addresses and usernames', () => {
    const throttle = new LoginThrottle(POLICY);
    for (let i = 0; i < 10 * POLICY.maxTracked; i += 1) throttle.admit(key(`user.${i}`, `198.51.${Math.floor(i / 250)}.${i % 250}`), 1);
    expect(throttle.tracked()).toEqual({ address: POLICY.maxTracked, username: POLICY.maxTracked });
  });
});

describe('the approval page, slowed by its throttle', () => {
  let clockOffsetMs = 0;
  let t: TestServer;
  let admin: EnrolledAgent;
  let address = 0;
  const newClient = () => {
    address += 1;
    return new PageClient(t.server.url, { sourceAddress: `127.4.0.${address}` });
  };
  const attempt = async (fields: { username: string; password: string; otp: string }) => {
    const { code } = await pendingPairing(t);
    return newClient().post('/pair/login', { code, ...fields });
  };

  beforeAll(async () => {
    t = await startTestServer({ now: () => Date.now() + clockOffsetMs });
    admin = await enrolledWithRole(t, 'irene', 'admin');
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 with a growing Retry-After for one username tried from many addresses, then lets the admin in', async () => {
    const wrong = { username: admin.username, password: 'a wrong guess', otp: '123456' };
    for (let i = 0; i < PAGE_LOGIN_THROTTLE.freeAttempts; i += 1) expect((await attempt(wrong)).status).toBe(401);
    const retryAfters: string[] = [];
    for (let round = 0; round < 4; round += 1) {
      const throttled = await attempt(wrong);
      expect(throttled.status).toBe(429);
      retryAfters.push(throttled.headers['retry-after'] ?? '');
      expect(throttled.html).toContain(`wait ${throttled.headers['retry-after']} second`);
      clockOffsetMs += Number(throttled.headers['retry-after']) * 1000;
      expect((await attempt(wrong)).status).toBe(401);
    }
    expect(retryAfters).toEqual(['1', '2', '4', '8']);
    const audited = await t.server.database.db.selectFrom('audit_log').select('details_json').where('event', '=', 'approval_page.login.throttled').execute();
    const reasons = audited.map((row) => {
      const details = JSON.parse(row.details_json) as { username: string; by: string };
      return { username: details.username, by: details.by };
    });
    expect(reasons).toEqual(Array.from({ length: 4 }, () => ({ username: 'irene', by: 'username' })));

    const throttled = await attempt({ username: admin.username, password: admin.password, otp: admin.recoveryCodes[0] ?? '' });
    expect(throttled.status).toBe(429);
    clockOffsetMs += Number(throttled.headers['retry-after']) * 1000;
    const login = await attempt({ username: admin.username, password: admin.password, otp: admin.recoveryCodes[0] ?? '' });
    expect(login.status, login.html).toBe(303);
    // The success cleared the username's delay.
    expect((await attempt(wrong)).status).toBe(401);
  });

  it('says it in Italian too', async () => {
    const client = new PageClient(t.server.url, { sourceAddress: '127.4.1.1', language: 'it' });
    let last = await client.post('/pair/login', { code: (await pendingPairing(t)).code, username: 'nessuno', password: 'x', otp: '123456' });
    for (let i = 0; i < PAGE_LOGIN_THROTTLE.freeAttempts; i += 1)
      last = await client.post('/pair/login', { code: (await pendingPairing(t)).code, username: 'nessuno', password: 'x', otp: '123456' });
    expect(last.status).toBe(429);
    expect(last.html).toContain('attendi 1 secondo e riprova');
  });
});
