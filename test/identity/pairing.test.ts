/**
 * Pairing and device administration at their edges: code rotation and expiry, the allowlist
 * (one at a time, CSV all-or-nothing, or off by policy), insecure secret storage, key replacement
 * only by approval, rejection, revocation and its lifting; and the audit chain finding tampering.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceState } from '../../common/api/pairing.js';
import { verifyAuditChain } from '../../server/audit/audit-log.js';
import { parseAllowlistCsv } from '../../server/devices/device-admin.js';
import { MAX_CODES_PER_PAIRING, PAIRING_CODE_TTL_MS, PAIRING_TTL_MS } from '../../server/devices/pairing-service.js';
import { approvedDevice, enrolledAgent, IT } from '../helpers/identity-setup.js';
import { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer, TestServerOptions } from '../helpers/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function serverWithClock(options: TestServerOptions = {}): Promise<{ server: TestServer; advance: (ms: number) => void }> {
  let offset = 0;
  t = await startTestServer({ ...options, now: () => Date.now() + offset });
  return { server: t, advance: (ms) => (offset += ms) };
}

const compact = (code: string) => code.replace('-', '');

async function registered(server: TestServer, options: { hostname?: string } = {}): Promise<TestDevice> {
  const device = new TestDevice(server.server.url, options);
  await server.server.identity.devices.allow([{ machineId: device.machineId, label: 'Front desk' }], IT, 'single');
  return device;
}

async function status(device: TestDevice): Promise<DeviceState> {
  return (await device.call<DeviceState>('POST', '/v1/device/status', { proof: await device.proof('device.status') })).body;
}

describe('pairing codes', () => {
  it('expire after their minute and a half, and the pairing after 15 minutes', async () => {
    const { server, advance } = await serverWithClock();
    const device = await registered(server);
    const pairing = await device.requestPairing();
    advance(PAIRING_CODE_TTL_MS + 1);
    await expect(server.server.identity.pairing.approve(compact(pairing.body.code), IT)).rejects.toMatchObject({ code: 'pairing_code_invalid' });
    const fresh = await device.call<{ code: string }>('POST', `/v1/pairings/${pairing.body.pairingId}/code`, {
      proof: await device.proof('pairing.code', String(pairing.body.pairingId)),
    });
    expect(fresh.status).toBe(200);
    advance(PAIRING_TTL_MS);
    const late = await device.call('POST', `/v1/pairings/${pairing.body.pairingId}/code`, {
      proof: await device.proof('pairing.code', String(pairing.body.pairingId)),
    });
    expect(late).toMatchObject({ status: 409, body: { error: { code: 'pairing_not_pending' } } });
    const polled = await device.call('POST', `/v1/pairings/${pairing.body.pairingId}/status`, {
      proof: await device.proof('pairing.status', String(pairing.body.pairingId)),
    });
    expect(polled.body).toMatchObject({ status: 'expired' });
  });

  it(`run out after ${MAX_CODES_PER_PAIRING} per pairing`, async () => {
    t = await startTestServer();
    const device = await registered(t);
    const pairing = await device.requestPairing();
    const statuses: number[] = [];
    for (let i = 1; i <= MAX_CODES_PER_PAIRING; i += 1) {
      statuses.push(
        (
          await device.call('POST', `/v1/pairings/${pairing.body.pairingId}/code`, {
            proof: await device.proof('pairing.code', String(pairing.body.pairingId)),
          })
        ).status,
      );
    }
    expect(statuses.slice(0, MAX_CODES_PER_PAIRING - 1).every((code) => code === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('are single-use, and only the machine that asked can rotate or poll them', async () => {
    t = await startTestServer();
    const device = await registered(t);
    const pairing = await device.requestPairing();
    await t.server.identity.pairing.approve(compact(pairing.body.code), IT);
    await expect(t.server.identity.pairing.approve(compact(pairing.body.code), IT)).rejects.toMatchObject({ code: 'pairing_code_invalid' });
    const intruder = new TestDevice(t.server.url);
    const forged = await intruder.call('POST', `/v1/pairings/${pairing.body.pairingId}/status`, {
      proof: await intruder.proof('pairing.status', String(pairing.body.pairingId)),
    });
    expect(forged).toMatchObject({ status: 401, body: { error: { code: 'proof_invalid' } } });
    // A replayed proof (same nonce) is refused too.
    const proof = await device.proof('pairing.status', String(pairing.body.pairingId));
    expect((await device.call('POST', `/v1/pairings/${pairing.body.pairingId}/status`, { proof })).status).toBe(200);
    expect(await device.call('POST', `/v1/pairings/${pairing.body.pairingId}/status`, { proof })).toMatchObject({
      status: 401,
      body: { error: { code: 'proof_invalid' } },
    });
  });
});

describe('who may ask to pair', () => {
  it('refuses a machine without protected secret storage unless the policy allows it', async () => {
    t = await startTestServer();
    const device = await registered(t);
    device.storageBackend = 'basic_text';
    expect(await device.requestPairing()).toMatchObject({ status: 403, body: { error: { code: 'secret_storage_insecure' } } });
    await t.close();
    t = await startTestServer({ policy: { allowBasicTextStorage: true } });
    const allowed = await registered(t);
    allowed.storageBackend = 'basic_text';
    expect((await allowed.requestPairing()).status).toBe(201);
  });

  it('lets any machine ask (never pair) when the allowlist is not required', async () => {
    t = await startTestServer({ policy: { requireAllowlist: false } });
    const device = new TestDevice(t.server.url, { hostname: 'byod-mac' });
    const pairing = await device.requestPairing();
    expect(pairing.status).toBe(201);
    expect(await status(device)).toEqual({ status: 'pending', label: 'byod-mac' });
  });

  it('imports a CSV all or nothing', () => {
    const good = `machine_id,label\n${'a'.repeat(64)},Desk A\n${'b'.repeat(64)},"Desk B"\n`;
    expect(parseAllowlistCsv(good)).toEqual([
      { machineId: 'a'.repeat(64), label: 'Desk A' },
      { machineId: 'b'.repeat(64), label: 'Desk B' },
    ]);
    expect(() => parseAllowlistCsv(`${good}not-a-machine-id,Desk C\n`)).toThrow(/line 4: "not-a-machine-id" is not a machine ID/);
    expect(() => parseAllowlistCsv(`${'c'.repeat(64)},Desk\n${'c'.repeat(64)},Again\n`)).toThrow(/appears twice/);
    expect(() => parseAllowlistCsv('\n# only comments\n')).toThrow(/holds no machine IDs/);
  });
});

describe('keys, rejection and revocation', () => {
  it('replaces an active machine’s key only when an admin approves the new pairing, ending the old key’s sessions', async () => {
    t = await startTestServer();
    const device = await approvedDevice(t, 'kiosk');
    const agent = await enrolledAgent(t, device, 'nadia');
    const reinstalled = new TestDevice(t.server.url, { hostname: 'kiosk' });
    Object.defineProperty(reinstalled, 'machineId', { value: device.machineId });
    const pairing = await reinstalled.requestPairing();
    expect(pairing.status).toBe(201);
    // Until approved, the old key still works and the new one is not trusted.
    expect((await device.call('GET', '/v1/conversations', undefined, agent.session.accessToken)).status).toBe(200);
    expect(await status(reinstalled)).toEqual({ status: 'unknown' });

    await t.server.identity.pairing.approve(compact(pairing.body.code), IT);
    expect(await device.call('GET', '/v1/conversations', undefined, agent.session.accessToken)).toMatchObject({
      status: 401,
      body: { error: { code: 'session_invalid' } },
    });
    expect(await status(reinstalled)).toMatchObject({ status: 'active' });
    // The old key is told `revoked` (its install wipes itself) until it has been told once.
    expect(await status(device)).toMatchObject({ status: 'revoked', reasonCode: 'key_replaced' });
    expect(await status(device)).toEqual({ status: 'unknown' });
    const events = await t.server.database.db.selectFrom('audit_log').select('event').execute();
    expect(events.map((row) => row.event)).toContain('device.key_replaced');
  });

  it('says so when a pairing is rejected', async () => {
    t = await startTestServer();
    const device = await registered(t);
    const pairing = await device.requestPairing();
    const rejected = await t.server.identity.pairing.reject(compact(pairing.body.code), IT);
    expect(rejected.status).toBe('rejected');
    const polled = await device.call('POST', `/v1/pairings/${pairing.body.pairingId}/status`, {
      proof: await device.proof('pairing.status', String(pairing.body.pairingId)),
    });
    expect(polled.body).toMatchObject({ status: 'rejected' });
  });

  it('keeps a revoked machine out until an admin lifts the revocation, then needs a new approval', async () => {
    t = await startTestServer();
    const device = await approvedDevice(t);
    const row = await t.server.database.db.selectFrom('devices').select('id').where('machine_id', '=', device.machineId).executeTakeFirstOrThrow();
    await t.server.identity.devices.revoke(row.id, 'left the company', IT);
    await expect(t.server.identity.devices.revoke(row.id, 'again', IT)).rejects.toMatchObject({ code: 'device_already_revoked' });
    expect((await device.requestPairing()).body).toMatchObject({ error: { code: 'device_revoked' } });
    await t.server.identity.devices.unrevoke(row.id, IT);
    // The revoked key is told so (its install wipes itself) before it may ask again.
    expect((await device.requestPairing()).body).toMatchObject({ error: { code: 'device_revoked', message: 'left the company' } });
    expect(await status(device)).toMatchObject({ status: 'revoked', revokedReason: 'left the company' });
    const pairing = await device.requestPairing();
    expect(pairing.status).toBe(201);
    expect(await status(device)).toMatchObject({ status: 'pending' });
    await t.server.identity.pairing.approve(compact(pairing.body.code), IT);
    expect(await status(device)).toMatchObject({ status: 'active' });
  });
});

describe('the audit chain', () => {
  it('holds, and names the first row someone changed or removed', async () => {
    t = await startTestServer();
    const device = await approvedDevice(t);
    await enrolledAgent(t, device, 'ivo');
    const db = t.server.database.db;
    const key = t.server.committer.auditKey!;
    const intact = await verifyAuditChain(db, key);
    expect(intact).toMatchObject({ ok: true, firstBrokenId: null });
    expect(intact.rows).toBeGreaterThanOrEqual(5);

    const rows = await db.selectFrom('audit_log').select(['id', 'details_json']).orderBy('id').execute();
    const target = rows[2];
    if (target === undefined) throw new Error('expected audit rows');
    await db
      .updateTable('audit_log')
      .set({ details_json: target.details_json.replace('}', ',"note":"edited"}') })
      .where('id', '=', target.id)
      .execute();
    expect(await verifyAuditChain(db, key)).toMatchObject({ ok: false, firstBrokenId: target.id, problem: expect.stringContaining('changed') });

    await db.updateTable('audit_log').set({ details_json: target.details_json }).where('id', '=', target.id).execute();
    expect((await verifyAuditChain(db, key)).ok).toBe(true);
    const removed = rows[1];
    const following = rows[2];
    if (removed === undefined || following === undefined) throw new Error('expected audit rows');
    await db.deleteFrom('audit_log').where('id', '=', removed.id).execute();
    expect(await verifyAuditChain(db, key)).toMatchObject({ ok: false, firstBrokenId: following.id, problem: expect.stringContaining('removed') });
  });
});
