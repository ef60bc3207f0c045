/**
 * Agent login hardening: RFC 6238 vectors for the TOTP settings in use, replay and window edges,
 * recovery codes used once, errors that never say which factor failed, lockout per agent, a
 * pause per device and a rate limit per address.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_AGENT_FAILURES } from '../../server/credentials/credential-check.js';
import { checkTotp } from '../../server/credentials/totp.js';
import { MAX_DEVICE_FAILURES } from '../../server/login/login-service.js';
import { approvedDevice, enrolledAgent, IT, totpNow } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

/** RFC 6238 Appendix B, SHA-1 rows: the 20-byte ASCII secret "12345678901234567890"; our 6 digits are the last 6 of the 8. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP settings (SHA-1, 6 digits, 30 s, ±1 step)', () => {
  it('matches RFC 6238 Appendix B', async () => {
    for (const [seconds, eightDigits] of RFC_VECTORS) {
      const check = await checkTotp({ secret: RFC_SECRET, code: eightDigits.slice(2), afterStep: null, nowMs: seconds * 1000 });
      expect(check, `T = ${seconds}`).toEqual({ valid: true, step: Math.floor(seconds / 30) });
    }
  });

  it('accepts the step before and after, and nothing further', async () => {
    const at = 1234567890 * 1000;
    const code = '005924';
    expect((await checkTotp({ secret: RFC_SECRET, code, afterStep: null, nowMs: at + 30_000 })).valid).toBe(true);
    expect((await checkTotp({ secret: RFC_SECRET, code, afterStep: null, nowMs: at - 30_000 })).valid).toBe(true);
    expect((await checkTotp({ secret: RFC_SECRET, code, afterStep: null, nowMs: at + 60_000 })).valid).toBe(false);
    expect((await checkTotp({ secret: RFC_SECRET, code, afterStep: null, nowMs: at - 60_000 })).valid).toBe(false);
  });

  it('refuses a step already accepted, and every earlier one', async () => {
    const at = 1234567890 * 1000;
    const step = Math.floor(1234567890 / 30);
    expect((await checkTotp({ secret: RFC_SECRET, code: '005924', afterStep: step, nowMs: at })).valid).toBe(false);
    expect((await checkTotp({ secret: RFC_SECRET, code: '005924', afterStep: step - 1, nowMs: at })).valid).toBe(true);
  });
});

describe('login over the API', () => {
  let t: TestServer;
  let device: TestDevice;
  let agent: EnrolledAgent;

  beforeAll(async () => {
    t = await startTestServer();
    device = await approvedDevice(t, 'frontdesk');
    agent = await enrolledAgent(t, device, 'paola');
  });
  afterAll(async () => {
    await t.close();
  });

  const nextCode = (offsetSteps = 1) => totpNow(agent.secret, Date.now() + offsetSteps * 30_000);
  const resetDeviceCounter = () => t.server.database.db.updateTable('devices').set({ failed_logins: 0, failed_logins_since: null }).execute();
  let address = 1;
  // Each test comes from its own loopback address, so the per-address rate limit counts it alone.
  beforeEach(() => {
    address += 1;
    device.sourceAddress = `127.0.0.${address}`;
  });
  /** A successful login spends a TOTP step; recovery codes keep later logins independent of the clock. */
  let unusedRecovery = 5;
  const recoveryCode = () => agent.recoveryCodes[unusedRecovery++] ?? '';

  it('refuses a TOTP step that was already used, then takes the next one once', async () => {
    const replayed = await device.login(agent.username, agent.password, { kind: 'totp', code: agent.confirmCode });
    expect(replayed).toMatchObject({ status: 401, body: { error: { code: 'login_failed' } } });
    const code = await nextCode();
    expect((await device.login(agent.username, agent.password, { kind: 'totp', code })).status).toBe(201);
    expect((await device.login(agent.username, agent.password, { kind: 'totp', code })).status).toBe(401);
    await t.server.database.db.updateTable('agents').set({ failed_logins: 0 }).where('id', '=', agent.agentId).execute();
  });

  it('answers every kind of failure identically', async () => {
    const other = await enrolledAgent(t, device, 'disabled.one');
    await t.server.identity.agents.disable(other.agentId, IT);
    const attempts = [
      device.login(agent.username, 'wrong password entirely', { kind: 'totp', code: await nextCode(2) }),
      device.login(agent.username, agent.password, { kind: 'totp', code: '000000' }),
      device.login('nobody.here', agent.password, { kind: 'totp', code: '123456' }),
      device.login(other.username, other.password, { kind: 'totp', code: await totpNow(other.secret, Date.now() + 30_000) }),
      device.login(agent.username, agent.password, { kind: 'recovery', code: 'AAAAA-AAAAA' }),
    ];
    const bodies = (await Promise.all(attempts)).map((response) => ({ status: response.status, body: response.body }));
    for (const response of bodies)
      expect(response).toEqual({ status: 401, body: { error: { code: 'login_failed', message: 'The username, password or code is not right.' } } });
    await t.server.database.db.updateTable('agents').set({ failed_logins: 0 }).where('id', '=', agent.agentId).execute();
    await resetDeviceCounter();
  });

  it('takes each recovery code once, in any case and with spaces', async () => {
    const code = agent.recoveryCodes[3] ?? '';
    const typed = code.toLowerCase().replace('-', ' ');
    const first = await device.login(agent.username, agent.password, { kind: 'recovery', code: typed });
    expect(first.status).toBe(201);
    const second = await device.login(agent.username, agent.password, { kind: 'recovery', code });
    expect(second.status).toBe(401);
    const audit = await t.server.database.db.selectFrom('audit_log').select('details_json').where('event', '=', 'login.recovery_code_used').execute();
    expect(audit.map((row) => JSON.parse(row.details_json) as { recoveryCodesLeft: number })).toEqual([{ username: 'paola', recoveryCodesLeft: 9 }]);
    await t.server.database.db.updateTable('agents').set({ failed_logins: 0 }).where('id', '=', agent.agentId).execute();
    await resetDeviceCounter();
  });

  it(`locks the account after ${MAX_AGENT_FAILURES} failures, even against the right password, until an admin unlocks it`, async () => {
    for (let i = 0; i < MAX_AGENT_FAILURES; i += 1) {
      expect((await device.login(agent.username, `not the password ${i}`, { kind: 'totp', code: '111111' })).status).toBe(401);
    }
    const locked = await device.login(agent.username, agent.password, { kind: 'totp', code: await nextCode(1) });
    expect(locked).toMatchObject({ status: 423, body: { error: { code: 'login_locked' } } });
    const events = await t.server.database.db.selectFrom('audit_log').select('event').where('agent_id', '=', agent.agentId).execute();
    expect(events.map((row) => row.event)).toEqual(expect.arrayContaining(['login.failed', 'agent.locked', 'login.locked']));

    await t.server.identity.agents.unlock(agent.agentId, IT);
    await resetDeviceCounter();
    expect((await device.login(agent.username, agent.password, { kind: 'recovery', code: recoveryCode() })).status).toBe(201);
  });

  it('locks an unknown username the same way, so lockout reveals nothing', async () => {
    for (let i = 0; i < MAX_AGENT_FAILURES; i += 1) await device.login('ghost', `guess ${i}`, { kind: 'totp', code: '222222' });
    const answer = await device.login('ghost', 'guess again', { kind: 'totp', code: '222222' });
    expect(answer).toMatchObject({ status: 423, body: { error: { code: 'login_locked' } } });
    await resetDeviceCounter();
  });

  it(`pauses a workstation after ${MAX_DEVICE_FAILURES} failures`, async () => {
    await resetDeviceCounter();
    for (let i = 0; i < MAX_DEVICE_FAILURES; i += 1) await device.login(`spray${i}`, 'Summer2026!', { kind: 'totp', code: '333333' });
    const paused = await device.login(agent.username, agent.password, { kind: 'recovery', code: recoveryCode() });
    expect(paused).toMatchObject({ status: 429, body: { error: { code: 'login_throttled' } } });
    await resetDeviceCounter();
  });

  it('never puts a password, code or secret in the audit log', async () => {
    const rows = await t.server.database.db.selectFrom('audit_log').select('details_json').execute();
    const text = rows.map((row) => row.details_json).join('\n');
    expect(text).not.toContain(agent.password);
    expect(text).not.toContain(agent.secret);
    for (const code of agent.recoveryCodes) expect(text).not.toContain(code);
  });
});

describe('the rate limit per source address', () => {
  it('answers 429 rate_limited past 20 logins a minute from one address', async () => {
    const t = await startTestServer();
    try {
      const device = await approvedDevice(t);
      const codes: string[] = [];
      for (let i = 0; i < 22; i += 1) {
        const response = await device.login<{ error: { code: string } }>(`user${i}`, 'x', { kind: 'totp', code: '444444' });
        codes.push(`${response.status} ${response.body.error.code}`);
      }
      // The workstation's own pause (after 10 failures) comes first; the address limit stops the 21st request.
      expect(codes.slice(0, 20)).not.toContain('429 rate_limited');
      expect(codes.slice(20)).toEqual(['429 rate_limited', '429 rate_limited']);
      const elsewhere = await approvedDevice(t);
      elsewhere.sourceAddress = '127.0.0.99';
      expect((await elsewhere.login<{ error: { code: string } }>('user', 'x', { kind: 'totp', code: '444444' })).body.error.code).toBe('login_failed');
    } finally {
      await t.close();
    }
  });
});
