/**
 * The approval page is an anonymous surface: whoever can reach it could, with any well-formed
 * pairing code, fail five logins for a username and lock that account (an admin's, or an agent's,
 * who then lost their session at their next unlock). Now the page checks first that the code names
 * a live pending pairing, never counts a failure on the account (its own throttle slows guessing
 * instead), and never tests a non-admin's password at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_AGENT_FAILURES } from '../../server/credentials/credential-check.js';
import { PageClient, enrolledWithRole, pendingPairing } from '../approval-page/page-fixtures.js';
import type { PageResponse } from '../approval-page/page-fixtures.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const GENERIC_FAILURE = 'The username, password or code is not right.';

describe('the approval page cannot lock accounts', () => {
  /** The server's clock, moved forward to wait out the page's delays without sleeping. */
  let clockOffsetMs = 0;
  let t: TestServer;
  let admin: EnrolledAgent;
  let desk: TestDevice;
  let clerk: EnrolledAgent;
  let address = 0;
  let unusedRecovery = 0;

  /** Each attempt from its own address, so only the per-username rules are in play. */
  const newClient = () => {
    address += 1;
    return new PageClient(t.server.url, { sourceAddress: `127.1.${Math.floor(address / 250)}.${(address % 250) + 1}` });
  };
  /** A login POST with a code that is live right now; waits out the page's delay when it asks for one. */
  const attempt = async (fields: { username: string; password: string; otp: string }): Promise<PageResponse> => {
    for (;;) {
      const { code } = await pendingPairing(t);
      const response = await newClient().post('/pair/login', { code, ...fields });
      if (response.status !== 429) return response;
      const retryAfter = Number(response.headers['retry-after']);
      expect(retryAfter, response.html).toBeGreaterThan(0);
      clockOffsetMs += retryAfter * 1000;
    }
  };
  const agentRow = (agentId: number) =>
    t.server.database.db.selectFrom('agents').select(['failed_logins', 'locked_at']).where('id', '=', agentId).executeTakeFirstOrThrow();
  const pageFailures = () =>
    t.server.database.db
      .selectFrom('audit_log')
      .select('details_json')
      .where('event', '=', 'approval_page.login.failed')
      .orderBy('id')
      .execute()
      .then((rows) => rows.map((row) => JSON.parse(row.details_json) as { username: string; reason: string }));

  beforeAll(async () => {
    t = await startTestServer({ now: () => Date.now() + clockOffsetMs });
    admin = await enrolledWithRole(t, 'irene', 'admin');
    desk = await approvedDevice(t, 'carlo-desk');
    clerk = await enrolledAgent(t, desk, 'carlo', 'agent');
  });
  afterAll(async () => {
    await t.close();
  });

  it(`leaves an admin and an agent unlocked after ${2 * MAX_AGENT_FAILURES} wrong passwords each, and the agent's session alive`, async () => {
    for (let i = 0; i < 2 * MAX_AGENT_FAILURES; i += 1) {
      for (const username of [admin.username, clerk.username]) {
        const response = await attempt({ username, password: `a wrong guess ${i}`, otp: '123456' });
        expect(response.status, response.html).toBe(401);
        expect(response.html).toContain(GENERIC_FAILURE);
      }
    }
    for (const agent of [admin, clerk]) expect(await agentRow(agent.agentId)).toEqual({ failed_logins: 0, locked_at: null });
    const locks = await t.server.database.db.selectFrom('audit_log').select('id').where('event', '=', 'agent.locked').execute();
    expect(locks).toHaveLength(0);

    // The agent's desktop session goes on: a call works, and resuming a locked screen keeps it.
    const token = clerk.session.accessToken;
    expect((await desk.call('GET', '/v1/conversations', undefined, token)).status).toBe(200);
    const unlock = await desk.call(
      'POST',
      '/v1/sessions/current/unlock',
      { secondFactor: { kind: 'recovery', code: clerk.recoveryCodes[0] }, proof: await desk.proof('unlock') },
      token,
    );
    expect(unlock.status, JSON.stringify(unlock.body)).toBe(204);
    expect((await desk.call('GET', '/v1/conversations', undefined, token)).status).toBe(200);

    // The admin still logs in on the page with her own factors.
    const login = await attempt({ username: admin.username, password: admin.password, otp: admin.recoveryCodes[unusedRecovery++] ?? '' });
    expect(login.status, login.html).toBe(303);
  });

  it('checks no credentials when the code names no live pending pairing', async () => {
    const failuresBefore = (await pageFailures()).length;
    const recovery = admin.recoveryCodes[unusedRecovery++] ?? '';
    const response = await newClient().post('/pair/login', { code: 'ACDE-FGHJ', username: admin.username, password: admin.password, otp: recovery });
    expect(response.status).toBe(404);
    expect(response.html).toContain('This code is no longer valid');
    expect(response.headers['set-cookie']).toBeUndefined();
    // The right password and an unused recovery code: nothing was checked, nothing spent.
    const spent = await t.server.database.db
      .selectFrom('recovery_codes')
      .select('id')
      .where('agent_id', '=', admin.agentId)
      .where('used_at', 'is not', null)
      .execute();
    expect(spent).toHaveLength(unusedRecovery - 1);
    expect((await pageFailures()).slice(failuresBefore)).toEqual([{ username: admin.username, reason: 'pairing_code_invalid', secondFactor: 'recovery' }]);
  });

  it("counts nothing on a non-admin's account and never tests their password", async () => {
    const failuresBefore = (await pageFailures()).length;
    const rightFactors = await attempt({ username: clerk.username, password: clerk.password, otp: clerk.recoveryCodes[1] ?? '' });
    const wrongPassword = await attempt({ username: clerk.username, password: 'not his password', otp: clerk.recoveryCodes[2] ?? '' });
    for (const response of [rightFactors, wrongPassword]) {
      expect(response.status).toBe(401);
      expect(response.html).toContain(GENERIC_FAILURE);
    }
    expect(await agentRow(clerk.agentId)).toEqual({ failed_logins: 0, locked_at: null });
    // Both refused for the role alone, so the audit (and anything else) cannot tell his right password from a wrong one.
    expect((await pageFailures()).slice(failuresBefore)).toEqual([
      { username: clerk.username, reason: 'role_agent', secondFactor: 'recovery' },
      { username: clerk.username, reason: 'role_agent', secondFactor: 'recovery' },
    ]);
    const spent = await t.server.database.db
      .selectFrom('recovery_codes')
      .select('id')
      .where('agent_id', '=', clerk.agentId)
      .where('used_at', 'is not', null)
      .execute();
    expect(spent).toHaveLength(1);
  });
});
