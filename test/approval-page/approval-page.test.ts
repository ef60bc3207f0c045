/**
 * The pairing approval page over real HTTP, without a browser: login rules (admins only, the
 * generic failure, no lockout of its own, TOTP replay, rate limit), CSRF and Origin refusals that change
 * nothing, the security headers on every response, HTML escaping of what a workstation sends,
 * codes that are no longer valid, bad input, logout, and the page's two languages.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PAGE_LOGIN_RATE_LIMIT } from '../../server/approval-page/approval-page-routes.js';
import { CONTENT_SECURITY_POLICY } from '../../server/approval-page/security-headers.js';
import { MAX_AGENT_FAILURES } from '../../server/credentials/credential-check.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import { approvedDevice, enrolledAgent, IT } from '../helpers/identity-setup.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import { csrfOf, deviceStatus, enrolledWithRole, nextTotp, PageClient, pendingPairing } from './page-fixtures.js';
import type { PageResponse, PendingPairing } from './page-fixtures.js';

const GENERIC_FAILURE = 'The username, password or code is not right.';
const CODE_INVALID = 'This code is no longer valid';

describe('the approval page over HTTP', () => {
  let t: TestServer;
  let admin: EnrolledAgent;
  let clerk: EnrolledAgent;
  /** Logged in once with password + TOTP; most tests act through this session. */
  let adminPage: PageClient;
  let adminLoginTotp: string;
  let address = 1;
  let unusedRecovery = 0;
  /** A recovery code per extra login keeps those logins independent of the TOTP clock. */
  const recoveryCode = () => admin.recoveryCodes[unusedRecovery++] ?? '';
  const pathOf = (pairing: PendingPairing) => new URL(pairing.approvalUrl).pathname + new URL(pairing.approvalUrl).search;
  /** A client from its own loopback address, so the per-address login limit counts each test alone. */
  const newClient = (language?: string) => new PageClient(t.server.url, { sourceAddress: `127.0.0.${address}`, language });
  const audit = (event: string) => t.server.database.db.selectFrom('audit_log').selectAll().where('event', '=', event).orderBy('id').execute();
  const stillPending = async (pairing: PendingPairing) => {
    expect(await deviceStatus(pairing.device)).toBe('pending');
    await expect(t.server.identity.pairing.findByCode(pairing.code.replace('-', ''))).resolves.toBeDefined();
  };

  beforeAll(async () => {
    t = await startTestServer();
    admin = await enrolledWithRole(t, 'irene', 'admin');
    clerk = await enrolledWithRole(t, 'carlo', 'agent');
    const first = await pendingPairing(t);
    adminPage = new PageClient(t.server.url);
    adminLoginTotp = await nextTotp(admin);
    const page = await adminPage.logIn(first.code, admin, adminLoginTotp);
    expect(page.status, page.html).toBe(200);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => {
    address += 1;
  });

  it('logs an admin in with password and TOTP into a 10-minute session cookie, audited', async () => {
    expect(adminPage.cookie).toMatch(/^sportello_pair=sp_[A-Za-z0-9_-]{43}$/);
    const [ok] = await audit('approval_page.login.ok');
    expect(ok).toMatchObject({ outcome: 'ok', agent_id: admin.agentId, device_id: null, source_address: '127.0.0.1' });
    expect(JSON.parse(ok?.details_json ?? '{}')).toMatchObject({ username: 'irene', secondFactor: 'totp' });
    const session = await t.server.database.db.selectFrom('sessions').selectAll().where('kind', '=', 'approval_page').executeTakeFirstOrThrow();
    expect(session).toMatchObject({ agent_id: admin.agentId, device_id: null, refresh_hash: null, ended_at: null });
    expect(session.expires_at - session.created_at).toBe(10 * 60 * 1000);
    expect(session.csrf_hash).not.toBeNull();
  });

  it('sets the cookie HttpOnly, SameSite=Strict, Path=/, for 10 minutes, not Secure without TLS', async () => {
    const client = newClient();
    const pairing = await pendingPairing(t);
    const response = await client.post('/pair/login', { code: pairing.code, username: admin.username, password: admin.password, otp: recoveryCode() });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/pair?code=${pairing.code}`);
    const [cookie] = response.headers['set-cookie'] ?? [];
    expect(cookie).toMatch(/^sportello_pair=sp_[A-Za-z0-9_-]{43}; Max-Age=600; Path=\/; HttpOnly; SameSite=Strict$/);
  });

  it('shows only a login form, keeping the code, to someone without a session', async () => {
    const pairing = await pendingPairing(t, { hostname: 'reception-07' });
    const page = await newClient().get(pathOf(pairing));
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.html).toContain(`<input type="hidden" name="code" value="${pairing.code}">`);
    expect(page.html).toContain('action="/pair/login"');
    expect(page.html).not.toContain('reception-07');
    expect(page.html).not.toContain('name="csrf"');
  });

  it('shows the pending pairing to the admin: label, hostname, OS, version, storage and the exact fingerprint', async () => {
    const pairing = await pendingPairing(t, { hostname: 'accounts-3.acme.local', label: 'Accounts desk 3' });
    const page = await adminPage.get(pathOf(pairing));
    expect(page.status).toBe(200);
    for (const text of ['Accounts desk 3', 'accounts-3.acme.local', 'Linux 6.1 (test)', '0.1.0', 'gnome_libsecret']) expect(page.html).toContain(text);
    const groups = pairing.keyFingerprint
      .split(' ')
      .map((group) => `<span>${group}</span>`)
      .join(' ');
    expect(page.html).toContain(groups);
    expect(page.html).toContain('name="decision" value="approve"');
    expect(page.html).toContain('name="decision" value="reject"');
  });

  it('sends its security headers on every response, and never a script', async () => {
    const pairing = await pendingPairing(t);
    const visitor = newClient();
    const details = await adminPage.get(pathOf(pairing));
    const responses: Record<string, PageResponse> = {
      login: await visitor.get(pathOf(pairing)),
      badLink: await visitor.get('/pair?code=nope'),
      stylesheet: await visitor.get('/pair/assets/approval-page.css'),
      failedLogin: await visitor.post('/pair/login', { code: pairing.code, username: admin.username, password: 'not it at all', otp: '123456' }),
      details,
      staleForm: await adminPage.post('/pair/decide', { code: pairing.code, decision: 'approve', csrf: 'stale' }),
      foreignOrigin: await adminPage.post(
        '/pair/decide',
        { code: pairing.code, decision: 'approve', csrf: csrfOf(details) },
        { origin: 'https://evil.example' },
      ),
      codeInvalid: await adminPage.get('/pair?code=ACDE-FGHJ'),
    };
    const decided = await adminPage.get(pathOf(pairing));
    responses.decided = await adminPage.post('/pair/decide', { code: pairing.code, decision: 'reject', csrf: csrfOf(decided) });
    expect(Object.fromEntries(Object.entries(responses).map(([name, response]) => [name, response.status]))).toEqual({
      login: 200,
      badLink: 400,
      stylesheet: 200,
      failedLogin: 401,
      details: 200,
      staleForm: 403,
      foreignOrigin: 403,
      codeInvalid: 404,
      decided: 200,
    });
    for (const [name, response] of Object.entries(responses)) {
      expect(response.headers, name).toMatchObject({
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'referrer-policy': 'same-origin',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'cache-control': 'no-store',
      });
      expect(response.headers['strict-transport-security'], name).toBeUndefined();
      expect(response.html.toLowerCase(), name).not.toContain('<script');
    }
    expect(CONTENT_SECURITY_POLICY).toBe("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    expect(responses.stylesheet?.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('refuses a decision without the current CSRF token (403) and changes nothing', async () => {
    const pairing = await pendingPairing(t);
    const decisionsBefore = (await audit('pairing.approved')).length + (await audit('pairing.rejected')).length;
    const first = await adminPage.get(pathOf(pairing));
    const staleToken = csrfOf(first);
    const missing = await adminPage.post('/pair/decide', { code: pairing.code, decision: 'approve' });
    const wrong = await adminPage.post('/pair/decide', { code: pairing.code, decision: 'approve', csrf: 'A'.repeat(43) });
    const current = csrfOf(await adminPage.get(pathOf(pairing)));
    const stale = await adminPage.post('/pair/decide', { code: pairing.code, decision: 'approve', csrf: staleToken });
    for (const response of [missing, wrong, stale]) {
      expect(response.status).toBe(403);
      expect(response.html).toContain('This form has expired');
    }
    await stillPending(pairing);
    expect((await audit('pairing.approved')).length + (await audit('pairing.rejected')).length).toBe(decisionsBefore);

    const approved = await adminPage.post('/pair/decide', { code: pairing.code, decision: 'approve', csrf: current });
    expect(approved.status).toBe(200);
    expect(await deviceStatus(pairing.device)).toBe('active');
  });

  it('refuses any POST from a foreign Origin (403), even with the right token, and changes nothing', async () => {
    const pairing = await pendingPairing(t);
    const token = csrfOf(await adminPage.get(pathOf(pairing)));
    for (const origin of ['https://evil.example', 'null', `${t.server.url}.evil.example`]) {
      const decide = await adminPage.post('/pair/decide', { code: pairing.code, decision: 'approve', csrf: token }, { origin });
      expect(decide.status, origin).toBe(403);
      expect(decide.html).toContain('This form was sent from another site');
    }
    const visitor = newClient();
    const login = await visitor.post(
      '/pair/login',
      { code: pairing.code, username: admin.username, password: admin.password, otp: recoveryCode() },
      { origin: 'https://evil.example' },
    );
    expect(login.status).toBe(403);
    expect(visitor.cookie).toBeUndefined();
    const logout = await adminPage.post('/pair/logout', { csrf: token }, { origin: 'https://evil.example' });
    expect(logout.status).toBe(403);
    await stillPending(pairing);
    expect((await adminPage.get(pathOf(pairing))).html).toContain('name="decision"');
  });

  it('shows what a workstation sends as text: a hostile hostname and label are escaped', async () => {
    const pairing = await pendingPairing(t, { hostname: '<script>alert(1)</script>', label: '"><img src=x onerror=alert(2)>' });
    const page = await adminPage.get(pathOf(pairing));
    expect(page.status).toBe(200);
    expect(page.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.html).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(page.html.toLowerCase()).not.toContain('<script');
    expect(page.html).not.toContain('<img');
    const decided = await adminPage.post('/pair/decide', { code: pairing.code, decision: 'approve', csrf: csrfOf(page) });
    expect(decided.html).toContain('Approved: &quot;&gt;&lt;img src=x onerror=alert(2)&gt; can now be used.');
  });

  it('lets only admins log in: anyone else gets the same failure as a wrong password, audited with the reason', async () => {
    const pairing = await pendingPairing(t);
    const asClerk = newClient();
    const clerkAttempt = await asClerk.logIn(pairing.code, clerk, clerk.recoveryCodes[0] ?? '');
    const wrongPassword = await newClient().logIn(pairing.code, { username: admin.username, password: 'definitely not hers' }, recoveryCode());
    const unknown = await newClient().logIn(pairing.code, { username: 'nobody.here', password: admin.password }, '123456');
    for (const attempt of [clerkAttempt, wrongPassword, unknown]) {
      expect(attempt.status).toBe(401);
      expect(attempt.html).toContain(GENERIC_FAILURE);
      expect(attempt.headers['set-cookie']).toBeUndefined();
    }
    expect(asClerk.cookie).toBeUndefined();
    const failures = (await audit('approval_page.login.failed')).map((row) => JSON.parse(row.details_json) as { username: string; reason: string });
    expect(failures).toEqual(
      expect.arrayContaining([
        { username: 'carlo', reason: 'role_agent', secondFactor: 'recovery' },
        { username: 'irene', reason: 'password', secondFactor: 'recovery' },
        { username: 'nobody.here', reason: 'unknown_user', secondFactor: 'totp' },
      ]),
    );
    // Refused for the role: nothing counts on the clerk's account, and their recovery code was not spent.
    const row = await t.server.database.db.selectFrom('agents').select('failed_logins').where('id', '=', clerk.agentId).executeTakeFirstOrThrow();
    expect(row.failed_logins).toBe(0);
    const spent = await t.server.database.db
      .selectFrom('recovery_codes')
      .select('id')
      .where('agent_id', '=', clerk.agentId)
      .where('used_at', 'is not', null)
      .execute();
    expect(spent).toHaveLength(0);
  });

  it('never takes a TOTP code twice', async () => {
    const pairing = await pendingPairing(t);
    const replay = await newClient().logIn(pairing.code, admin, adminLoginTotp);
    expect(replay.status).toBe(401);
    expect(replay.html).toContain(GENERIC_FAILURE);
  });

  it(`refuses an account the desktop login locked after ${MAX_AGENT_FAILURES} failures, and says so`, async () => {
    const desk = await approvedDevice(t, 'lena-desk');
    const lena = await enrolledAgent(t, desk, 'lena', 'admin');
    // (That the page's own failures lock nothing is test/security/approval-page-cannot-lock-accounts.test.ts.)
    // Locked at the workstation, where the device is known: locked on the page too.
    for (let i = 0; i < MAX_AGENT_FAILURES; i += 1) {
      desk.sourceAddress = `127.0.9.${i + 1}`;
      expect((await desk.login('lena', `wrong guess ${i}`, { kind: 'totp', code: '123456' })).status).toBe(401);
    }
    const client = newClient();
    const locked = await client.logIn((await pendingPairing(t)).code, lena, lena.recoveryCodes[0] ?? '');
    expect(locked.status).toBe(423);
    expect(locked.html).toContain('this account is locked');
    expect(client.cookie).toBeUndefined();
    expect(await audit('agent.locked')).toEqual([expect.objectContaining({ agent_id: lena.agentId, actor: 'system' })]);
    expect(await audit('approval_page.login.locked')).toEqual([expect.objectContaining({ agent_id: lena.agentId, outcome: 'refused' })]);
  });

  it('says to use the code the workstation shows now for a used, rotated or unknown code', async () => {
    const used = await pendingPairing(t);
    await t.server.identity.pairing.approve(used.code.replace('-', ''), IT);
    const rotated = await pendingPairing(t);
    const fresh = await rotated.device.call<{ code: string }>('POST', `/v1/pairings/${rotated.pairingId}/code`, {
      proof: await rotated.device.proof('pairing.code', String(rotated.pairingId)),
    });
    expect(fresh.status).toBe(200);
    for (const path of [pathOf(used), pathOf(rotated), '/pair?code=ACDE-FGHJ']) {
      const page = await adminPage.get(path);
      expect(page.status, path).toBe(404);
      expect(page.html).toContain(CODE_INVALID);
      expect(page.html).toContain('type the code the workstation shows now');
    }
    const current = await adminPage.get(`/pair?code=${fresh.body.code}`);
    expect(current.status).toBe(200);
    const late = await adminPage.post('/pair/decide', { code: rotated.code, decision: 'approve', csrf: csrfOf(current) });
    expect(late.status).toBe(404);
    expect(late.html).toContain(CODE_INVALID);
    expect(await deviceStatus(rotated.device)).toBe('pending');
  });

  it('answers bad input with a 400 page that says what is wrong, and changes nothing', async () => {
    const pairing = await pendingPairing(t);
    const token = () => adminPage.get(pathOf(pairing)).then(csrfOf);
    const cases: Array<[string, () => Promise<PageResponse>, string]> = [
      ['no code', () => adminPage.get('/pair'), 'The pairing code must be the 8 characters'],
      ['a code with letters it never uses', () => adminPage.get('/pair?code=OOOO-IIII'), 'The pairing code must be the 8 characters'],
      ['two codes', () => adminPage.get(`${pathOf(pairing)}&code=${pairing.code}`), 'The pairing code must be the 8 characters'],
      [
        'an unknown decision',
        async () => adminPage.post('/pair/decide', { code: pairing.code, decision: 'maybe', csrf: await token() }),
        'Choose Approve or Reject.',
      ],
      [
        'a field sent twice',
        async () => adminPage.post('/pair/decide', `code=${pairing.code}&decision=approve&decision=reject&csrf=${await token()}`),
        'use its own form',
      ],
      [
        'an extra field',
        async () => adminPage.post('/pair/decide', { code: pairing.code, decision: 'approve', csrf: await token(), admin: '1' }),
        'use its own form',
      ],
      [
        'JSON instead of a form',
        async () =>
          adminPage.post('/pair/decide', JSON.stringify({ code: pairing.code, decision: 'approve', csrf: await token() }), {
            'content-type': 'application/json',
          }),
        'use its own form',
      ],
      [
        'a body over the limit',
        async () => adminPage.post('/pair/decide', { code: pairing.code, decision: 'approve', csrf: await token(), pad: 'x'.repeat(10_000) }),
        'use its own form',
      ],
      [
        'a second factor that is no code',
        () => newClient().post('/pair/login', { code: pairing.code, username: 'irene', password: 'whatever', otp: 'hello' }),
        'Type the 6 digits',
      ],
      [
        'a malformed username',
        () => newClient().post('/pair/login', { code: pairing.code, username: '<b>', password: 'whatever', otp: '123456' }),
        'The username must be',
      ],
    ];
    for (const [what, send, message] of cases) {
      const response = await send();
      expect(response.status, what).toBe(400);
      expect(response.html, what).toContain(message);
    }
    const retried = await newClient().post('/pair/login', { code: pairing.code, username: 'irene', password: 'whatever', otp: 'hello' });
    expect(retried.html).toContain('value="irene"');
    expect(retried.html).toContain('action="/pair/login"');
    await stillPending(pairing);
  });

  it('logs out: the session ends at once and the cookie is cleared, audited', async () => {
    // An admin of its own: the failures above slowed irene's logins on this page.
    const olivia = await enrolledWithRole(t, 'olivia', 'admin');
    const pairing = await pendingPairing(t);
    const client = newClient();
    const page = await client.logIn(pairing.code, olivia, olivia.recoveryCodes[0] ?? '');
    const cookie = client.cookie;
    const loggedOut = await client.post('/pair/logout', { code: pairing.code, csrf: csrfOf(page) });
    expect(loggedOut.status).toBe(200);
    expect(loggedOut.html).toContain('You are logged out of this page.');
    expect(loggedOut.headers['set-cookie']).toEqual(['sportello_pair=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict']);
    expect(client.cookie).toBeUndefined();
    client.cookie = cookie;
    const replayed = await client.get(pathOf(pairing));
    expect(replayed.html).toContain('Your login on this page has ended');
    expect(replayed.html).toContain('action="/pair/login"');
    const decide = await client.post('/pair/decide', { code: pairing.code, decision: 'approve', csrf: csrfOf(page) });
    expect(decide.status).toBe(401);
    await stillPending(pairing);
    expect(await audit('approval_page.logout')).toHaveLength(1);
  });

  it(`rate-limits logins to ${PAGE_LOGIN_RATE_LIMIT.max} a minute from one address`, async () => {
    const pairing = await pendingPairing(t);
    const client = newClient();
    const statuses: number[] = [];
    for (let i = 0; i <= PAGE_LOGIN_RATE_LIMIT.max; i += 1) {
      statuses.push((await client.post('/pair/login', { code: pairing.code, username: 'irene', password: 'whatever', otp: 'not a code' })).status);
    }
    expect(statuses).toEqual([...Array<number>(PAGE_LOGIN_RATE_LIMIT.max).fill(400), 429]);
    const limited = await client.post('/pair/login', { code: pairing.code, username: 'irene', password: 'whatever', otp: '123456' });
    expect(limited.status).toBe(429);
    expect(limited.html).toContain('Too many attempts from this address');
    expect(limited.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('speaks Italian to a phone that prefers it', async () => {
    const pairing = await pendingPairing(t);
    const page = await newClient('it-IT,it;q=0.9,en;q=0.5').get(pathOf(pairing));
    expect(page.html).toContain('<html lang="it">');
    expect(page.html).toContain('Codice a 6 cifre o codice di recupero');
    const english = await newClient('de-DE,de;q=0.9').get(pathOf(pairing));
    expect(english.html).toContain('<html lang="en">');
  });
});
