/**
 * `devices …` as IT runs it, in a child process on a real store: the allowlist by hand and from
 * the MDM's CSV, the list, pairing decisions by the code a workstation shows, and revocation
 * while the server runs (its session refused, its socket closed by the server's own polling).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceList, DeviceView } from '../../common/api/admin.js';
import type { DeviceState, PairingState } from '../../common/api/pairing.js';
import { approvedDevice, enrolledAgent, IT, openEventSocket } from '../helpers/identity-setup.js';
import { TestDevice } from '../helpers/test-device.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import { adminJson, createStore, expectOneLineFailure, identitySnapshot, runAdmin, runAdminOnTerminal } from './admin-cli-process.js';

const machineId = (digit: string) => digit.repeat(64);
const OS_USER = `cli:${os.userInfo().username}`;

async function deviceStatus(device: TestDevice): Promise<DeviceState> {
  const response = await device.call<DeviceState>('POST', '/v1/device/status', { proof: await device.proof('device.status') });
  expect(response.status).toBe(200);
  return response.body;
}

describe('devices allow, import and list', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(async () => {
    temp = makeTempDir();
    await createStore(temp.dir);
  });
  afterEach(() => temp.remove());

  it('allows one machine ID (the MDM may export it in upper case) and lists it with --json', async () => {
    const allowed = await runAdmin(temp.dir, ['devices', 'allow', machineId('A'), '--label', 'Front desk 1']);
    expect(allowed).toMatchObject({ code: 0, stderr: '' });
    expect(allowed.stdout).toBe(`Allowlisted ${machineId('a')} as "Front desk 1".\n`);

    const list = DeviceList.parse(await adminJson(temp.dir, ['devices', 'list']));
    expect(list.devices).toEqual([]);
    expect(list.allowlist).toEqual([{ machineId: machineId('a'), label: 'Front desk 1', addedBy: OS_USER, addedAt: expect.any(Number) }]);

    const text = await runAdmin(temp.dir, ['devices', 'list']);
    expect(text.stdout).toContain('Allowlist (1 machine ID):');
    expect(text.stdout).toMatch(new RegExp(`${machineId('a')}\\s+Front desk 1\\s+${OS_USER}`));
  });

  it('imports a good CSV whole, and a CSV with one bad line not at all', async () => {
    const good = path.join(temp.dir, 'mdm.csv');
    fs.writeFileSync(
      good,
      `machine_id,label\n# exported by the MDM\n${machineId('1')},Reception 1\n"${machineId('2')}","Reception ""2"""\n${machineId('3')},Back office\n`,
    );
    const imported = await runAdmin(temp.dir, ['devices', 'import', good]);
    expect(imported).toMatchObject({ code: 0, stdout: `Imported 3 machine IDs from ${good}: 3 added, 0 relabelled.\n` });
    const afterGood = DeviceList.parse(await adminJson(temp.dir, ['devices', 'list']));
    expect(afterGood.allowlist.map((entry) => [entry.machineId, entry.label])).toEqual([
      [machineId('1'), 'Reception 1'],
      [machineId('2'), 'Reception "2"'],
      [machineId('3'), 'Back office'],
    ]);

    const bad = path.join(temp.dir, 'mdm-bad.csv');
    fs.writeFileSync(bad, `${machineId('1')},Reception one (renamed)\n${machineId('4')},Warehouse\nnot-a-machine-id,Lobby\n`);
    const before = await identitySnapshot(temp.dir);
    const refused = await runAdmin(temp.dir, ['devices', 'import', bad]);
    expect(expectOneLineFailure(refused)).toMatch(
      /^error \[allowlist_csv_invalid\]: The CSV was not imported \(nothing changed\): line 3: "not-a-machine-id" is not a machine ID/,
    );
    expect(await identitySnapshot(temp.dir)).toEqual(before);

    const missing = await runAdmin(temp.dir, ['devices', 'import', path.join(temp.dir, 'nowhere.csv')]);
    expect(expectOneLineFailure(missing)).toMatch(/^error \[csv_unreadable\]: Cannot read .*nowhere\.csv \(ENOENT\)/);
    expect(await identitySnapshot(temp.dir)).toEqual(before);
  });
});

describe('pairing decisions and revocation, with the server running on the same store', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    await t.close();
  });

  /** A registered workstation waiting for approval, and the code it shows. */
  async function pendingWorkstation(hostname: string): Promise<{ device: TestDevice; code: string; pairingId: number; keyFingerprint: string }> {
    const device = new TestDevice(t.server.url, { hostname });
    await t.server.identity.devices.allow([{ machineId: device.machineId, label: `Desk of ${hostname}` }], IT, 'single');
    const pairing = await device.requestPairing();
    expect(pairing.status).toBe(201);
    return { device, code: pairing.body.code, pairingId: pairing.body.pairingId, keyFingerprint: pairing.body.keyFingerprint };
  }

  it('approves by the code the workstation shows, after showing its details: the device becomes active', async () => {
    const { device, code, keyFingerprint } = await pendingWorkstation('reception-02');
    expect(await deviceStatus(device)).toEqual({ status: 'pending', label: 'Desk of reception-02' });

    const approved = await runAdmin(t.dataDir, ['devices', 'approve', code.toLowerCase(), '--yes']);
    expect(approved, approved.stderr).toMatchObject({ code: 0 });
    expect(approved.stdout).toContain('hostname     reception-02');
    expect(approved.stdout).toContain('OS           Linux 6.1 (test)');
    expect(approved.stdout).toContain(`fingerprint  ${keyFingerprint}`);
    expect(approved.stdout).toMatch(/machine ID {3}[0-9a-f]{64} \(claimed by the workstation; allowlisted\)/);
    expect(approved.stdout).toMatch(/Approved: device #\d+ "Desk of reception-02" \(reception-02\) is active/);

    expect(await deviceStatus(device)).toEqual({ status: 'active', label: 'Desk of reception-02' });
    const list = DeviceList.parse(await adminJson(t.dataDir, ['devices', 'list']));
    expect(list.devices).toEqual([
      expect.objectContaining({ hostname: 'reception-02', status: 'active', keyFingerprint, approvedBy: OS_USER, pendingPairing: null }),
    ]);
  });

  it('lists a pending pairing with its key fingerprint before anyone decides', async () => {
    const { keyFingerprint, pairingId } = await pendingWorkstation('lobby-01');
    const list = DeviceList.parse(await adminJson(t.dataDir, ['devices', 'list']));
    expect(list.devices).toEqual([
      expect.objectContaining({
        hostname: 'lobby-01',
        status: 'pending',
        keyFingerprint: null,
        pendingPairing: expect.objectContaining({ id: pairingId, keyFingerprint }),
      }),
    ]);
  });

  it('refuses to approve without --yes when stdin is not a terminal, and changes nothing', async () => {
    const { device, code } = await pendingWorkstation('cron-box');
    const before = await identitySnapshot(t.dataDir);
    const refused = await runAdmin(t.dataDir, ['devices', 'approve', code]);
    expect(expectOneLineFailure(refused)).toMatch(/^error \[invalid_argument\]: --yes: stdin is not a terminal/);
    expect(await identitySnapshot(t.dataDir)).toEqual(before);
    expect((await deviceStatus(device)).status).toBe('pending');
  });

  it('asks "Approve? [y/N]" on a terminal: anything but yes changes nothing, "y" approves', async () => {
    const { device, code, keyFingerprint } = await pendingWorkstation('console-01');
    const before = await identitySnapshot(t.dataDir);
    const declined = await runAdminOnTerminal(t.dataDir, ['devices', 'approve', code], 'n\n');
    expect(declined.code).toBe(1);
    expect(declined.stdout).toContain(`fingerprint  ${keyFingerprint}`);
    expect(declined.stdout).toContain('Approve? [y/N]');
    expect(declined.stdout).toContain('error [not_approved]: Not approved: nothing changed.');
    expect(await identitySnapshot(t.dataDir)).toEqual(before);

    const accepted = await runAdminOnTerminal(t.dataDir, ['devices', 'approve', code], 'y\n');
    expect(accepted.code, accepted.stdout).toBe(0);
    expect(accepted.stdout).toContain('Approved: device #');
    expect((await deviceStatus(device)).status).toBe('active');
  });

  it('rejects by code: the workstation learns it was refused', async () => {
    const { device, code, pairingId } = await pendingWorkstation('unknown-laptop');
    const rejected = DeviceView.parse(await adminJson(t.dataDir, ['devices', 'reject', code]));
    expect(rejected).toMatchObject({ hostname: 'unknown-laptop', status: 'rejected', keyFingerprint: null });
    const poll = await device.call<PairingState>('POST', `/v1/pairings/${pairingId}/status`, {
      proof: await device.proof('pairing.status', String(pairingId)),
    });
    expect(poll.body.status).toBe('rejected');
    expect((await deviceStatus(device)).status).toBe('rejected');

    // The code is spent: approving it now is refused.
    const late = await runAdmin(t.dataDir, ['devices', 'approve', code, '--yes']);
    expect(expectOneLineFailure(late)).toMatch(/^error \[pairing_code_invalid\]: /);
  });

  it('revokes while the server runs: the session is refused, the socket closes; unrevoke lets the machine pair again', async () => {
    const device = await approvedDevice(t, 'sales-07');
    const agent = await enrolledAgent(t, device, 'chiara');
    const token = agent.session.accessToken;
    const events = await openEventSocket(t, device, token);
    await events.next((event) => event.type === 'ready');
    expect((await device.call('GET', '/v1/conversations', undefined, token)).status).toBe(200);
    const [listed] = (await t.server.identity.devices.list()).devices;
    const deviceId = String(listed?.id);

    const revoked = await runAdmin(t.dataDir, ['devices', 'revoke', deviceId, '--reason', 'Laptop reported stolen']);
    expect(revoked, revoked.stderr).toMatchObject({ code: 0 });
    expect(revoked.stdout).toMatch(/^Revoked device #\d+ "Desk \w+" \(sales-07\): Laptop reported stolen/);

    // The CLI closed nothing itself: the server saw the revocation in the store and closed the socket.
    expect((await events.closed).code).toBe(4003);
    expect(events.events.at(-1)).toEqual({ type: 'device_revoked', reason: 'Laptop reported stolen' });
    expect(await device.call('GET', '/v1/conversations', undefined, token)).toMatchObject({ status: 403, body: { error: { code: 'device_revoked' } } });
    expect(await deviceStatus(device)).toMatchObject({ status: 'revoked', revokedReason: 'Laptop reported stolen' });
    expect((await device.requestPairing()).status).toBe(403);

    const again = await runAdmin(t.dataDir, ['devices', 'revoke', deviceId, '--reason', 'twice']);
    expect(expectOneLineFailure(again)).toMatch(/^error \[device_already_revoked\]: /);

    const lifted = DeviceView.parse(await adminJson(t.dataDir, ['devices', 'unrevoke', deviceId]));
    expect(lifted).toMatchObject({ status: 'rejected', keyFingerprint: null });
    expect((await device.requestPairing()).status).toBe(201);
  });
});
