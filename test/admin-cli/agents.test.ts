/**
 * `agents …` as an admin runs it beside the server: the enrollment code the CLI prints enrolls
 * through the API; disabling, unlocking, resetting the authenticator and replacing recovery codes
 * take effect on the running server; agents are named by id or username, never ambiguously.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentView, EnrollmentIssued, RecoveryCodesIssued } from '../../common/api/admin.js';
import { MAX_AGENT_FAILURES } from '../../server/credentials/credential-check.js';
import { approvedDevice, enrolledAgent, enrollWithCode, totpNow } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import { adminJson, expectOneLineFailure, identitySnapshot, runAdmin } from './admin-cli-process.js';

let t: TestServer;
let device: TestDevice;
beforeEach(async () => {
  t = await startTestServer();
  device = await approvedDevice(t, 'agents-desk');
});
afterEach(async () => {
  await t.close();
});

/** The step after the one the enrollment spent: a fresh TOTP code for a login. */
const nextTotp = (secret: string) => totpNow(secret, Date.now() + 30_000);

describe('agents add', () => {
  it('prints the one-time enrollment code and its expiry once, and that code enrolls through the API', async () => {
    const added = await runAdmin(t.dataDir, ['agents', 'add', 'Marta', '--name', 'Marta Bianchi', '--roles', 'supervisor']);
    expect(added, added.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toMatch(/^Created agent marta \(#\d+, "Marta Bianchi"\), roles supervisor\.\n/);
    const shown = /Enrollment code \(shown once, valid until (\S+)\): ([A-Z0-9]{4}(?:-[A-Z0-9]{4}){3})\n/.exec(added.stdout);
    expect(shown).not.toBeNull();
    const [, validUntil = '', code = ''] = shown ?? [];
    expect(Date.parse(validUntil) - Date.now()).toBeGreaterThan(71 * 60 * 60 * 1000);
    expect(added.stdout.split(code)).toHaveLength(2);

    const enrolled = await enrollWithCode(device, 'marta', code);
    expect(enrolled.recoveryCodes).toHaveLength(10);
    expect(enrolled.session.agent).toMatchObject({ username: 'marta', roles: ['supervisor'] });
    expect(await device.call('GET', '/v1/conversations', undefined, enrolled.session.accessToken)).toMatchObject({ status: 200 });

    const agents = AgentView.array().parse(await adminJson(t.dataDir, ['agents', 'list']));
    expect(agents).toEqual([
      expect.objectContaining({ username: 'marta', displayName: 'Marta Bianchi', roles: ['supervisor'], status: 'active', locked: false }),
    ]);

    // The code, the password and the session's tokens appear nowhere in the CLI's other output.
    const audit = await runAdmin(t.dataDir, ['audit', 'list', '--json']);
    for (const secret of [code, code.replaceAll('-', ''), enrolled.password, enrolled.session.accessToken, enrolled.secret])
      expect(audit.stdout).not.toContain(secret);
  });

  it('refuses a taken username and changes nothing', async () => {
    await enrolledAgent(t, device, 'luca');
    const before = await identitySnapshot(t.dataDir);
    const taken = await runAdmin(t.dataDir, ['agents', 'add', 'luca', '--name', 'Another Luca']);
    expect(expectOneLineFailure(taken)).toBe('error [username_taken]: The username luca is already taken.');
    expect(await identitySnapshot(t.dataDir)).toEqual(before);
  });
});

describe('agents disable, unlock, reset-totp, recovery-codes', () => {
  it('unlocks an agent locked by failed logins', async () => {
    const agent = await enrolledAgent(t, device, 'paola');
    for (let attempt = 0; attempt < MAX_AGENT_FAILURES; attempt += 1) {
      expect((await device.login('paola', 'wrong password entirely', { kind: 'totp', code: '000000' })).status).toBe(401);
    }
    expect(await device.login('paola', agent.password, { kind: 'totp', code: await nextTotp(agent.secret) })).toMatchObject({ status: 423 });
    expect(AgentView.array().parse(await adminJson(t.dataDir, ['agents', 'list']))[0]).toMatchObject({ locked: true });

    const unlocked = await runAdmin(t.dataDir, ['agents', 'unlock', 'paola']);
    expect(unlocked).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Unlocked paola \(#\d+, "Paola"\)/) });
    expect(await device.login('paola', agent.password, { kind: 'totp', code: await nextTotp(agent.secret) })).toMatchObject({ status: 201 });

    const notLocked = await runAdmin(t.dataDir, ['agents', 'unlock', String(agent.agentId)]);
    expect(expectOneLineFailure(notLocked)).toBe('error [agent_not_locked]: paola is not locked.');
  });

  it('replaces recovery codes: the ten new ones work, the old ones no longer do', async () => {
    const agent = await enrolledAgent(t, device, 'sara');
    const issued = RecoveryCodesIssued.parse(await adminJson(t.dataDir, ['agents', 'recovery-codes', 'sara']));
    expect(issued.recoveryCodes).toHaveLength(10);
    expect(issued.recoveryCodes.some((code) => agent.recoveryCodes.includes(code))).toBe(false);

    expect((await device.login('sara', agent.password, { kind: 'recovery', code: agent.recoveryCodes[0] ?? '' })).status).toBe(401);
    expect((await device.login('sara', agent.password, { kind: 'recovery', code: issued.recoveryCodes[0] ?? '' })).status).toBe(201);

    const text = await runAdmin(t.dataDir, ['agents', 'recovery-codes', String(agent.agentId)]);
    expect(text.code).toBe(0);
    const [heading, ...codes] = text.stdout.trimEnd().split('\n');
    expect(heading).toMatch(/^New recovery codes for sara \(#\d+, "Sara"\) \(shown once; the old ones no longer work/);
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(/^ {2}[A-Z0-9]{5}-[A-Z0-9]{5}$/);
  });

  it('resets the authenticator: the session ends and the new code enrolls again', async () => {
    const agent = await enrolledAgent(t, device, 'gianni');
    const reset = EnrollmentIssued.parse(await adminJson(t.dataDir, ['agents', 'reset-totp', 'gianni']));
    expect(reset.agent).toMatchObject({ username: 'gianni', status: 'enrolling' });
    expect(await device.call('GET', '/v1/conversations', undefined, agent.session.accessToken)).toMatchObject({
      status: 401,
      body: { error: { code: 'agent_reset' } },
    });
    expect((await device.login('gianni', agent.password, { kind: 'totp', code: await nextTotp(agent.secret) })).status).toBe(401);

    const again = await enrollWithCode(device, 'gianni', reset.enrollmentCode);
    expect(again.secret).not.toBe(agent.secret);
    expect(await device.call('GET', '/v1/conversations', undefined, again.session.accessToken)).toMatchObject({ status: 200 });
  });

  it('disables an agent: their session is refused at once', async () => {
    const agent = await enrolledAgent(t, device, 'elena');
    const disabled = await runAdmin(t.dataDir, ['agents', 'disable', 'elena']);
    expect(disabled).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Disabled elena \(#\d+, "Elena"\): every session has ended/) });
    expect(await device.call('GET', '/v1/conversations', undefined, agent.session.accessToken)).toMatchObject({
      status: 403,
      body: { error: { code: 'agent_disabled' } },
    });

    const twice = await runAdmin(t.dataDir, ['agents', 'disable', 'elena']);
    expect(expectOneLineFailure(twice)).toBe('error [agent_already_disabled]: elena is already disabled.');
  });
});

describe('naming an agent', () => {
  it('takes an id or a username, and refuses one that is both, or neither', async () => {
    const first = await enrolledAgent(t, device, 'alice');
    // "01" is a username, and also reads as id 1, which is alice's.
    const second = EnrollmentIssued.parse(await adminJson(t.dataDir, ['agents', 'add', '01', '--name', 'Zero One']));
    expect(first.agentId).toBe(1);

    const before = await identitySnapshot(t.dataDir);
    const ambiguous = await runAdmin(t.dataDir, ['agents', 'disable', '01']);
    expect(expectOneLineFailure(ambiguous)).toBe(
      'error [agent_ambiguous]: "01" is both the id of alice and the username of agent #2: name alice by username, or the other by id.',
    );
    const unknown = await runAdmin(t.dataDir, ['agents', 'disable', 'nobody']);
    expect(expectOneLineFailure(unknown)).toBe('error [agent_not_found]: There is no agent with the id or username "nobody" (see agents list).');
    expect(await identitySnapshot(t.dataDir)).toEqual(before);

    const byId = AgentView.parse(await adminJson(t.dataDir, ['agents', 'disable', String(second.agent.id)]));
    expect(byId).toMatchObject({ username: '01', status: 'disabled' });
    expect(await device.call('GET', '/v1/conversations', undefined, first.session.accessToken)).toMatchObject({ status: 200 });
  });
});
