/**
 * A pairing request proves nothing: its machine ID is claimed (anyone can compute the ID of an
 * allowlisted machine) and its key is whatever the sender generated. Such a request used to
 * supersede the pending pairing of the same machine ID, so anyone could keep a workstation from
 * ever being approved by asking again every few seconds. Now the pending pairing stays valid
 * until it expires or an admin acts; requests that join one waiting are limited per machine ID
 * and per source address; only the same install, signing with the key it asked with, replaces
 * its own earlier request. The requests go through `app.inject` from their source addresses: a
 * port adds nothing here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PairingState } from '../../common/api/pairing.js';
import { MAX_CONTESTED_REQUESTS_PER_ADDRESS, MAX_PENDING_PAIRINGS_PER_MACHINE } from '../../server/devices/pairing-admission.js';
import { PAIRING_TTL_MS } from '../../server/devices/pairing-service.js';
import { IT } from '../helpers/identity-setup.js';
import { TestDevice } from '../helpers/test-device.js';
import { buildTestServer } from '../helpers/test-server.js';
import type { BuiltTestServer } from '../helpers/test-server.js';

let t: BuiltTestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const compact = (code: string) => code.replace('-', '');

async function serverWithClock(): Promise<{ server: BuiltTestServer; advance: (ms: number) => void }> {
  let offset = 0;
  t = await buildTestServer({ now: () => Date.now() + offset });
  return { server: t, advance: (ms) => (offset += ms) };
}

/** A workstation IT registered, asking to pair from its own address. */
async function registeredWorkstation(server: BuiltTestServer, sourceAddress: string): Promise<TestDevice> {
  const device = new TestDevice(server.server.app, { sourceAddress });
  await server.server.identity.devices.allow([{ machineId: device.machineId, label: `Desk ${sourceAddress}` }], IT, 'single');
  return device;
}

/** Someone else claiming `victim`'s machine ID with a key of their own. */
function impostor(server: BuiltTestServer, victim: TestDevice, sourceAddress: string): TestDevice {
  return new TestDevice(server.server.app, { machineId: victim.machineId, sourceAddress, hostname: victim.hostname });
}

async function pairingStatus(device: TestDevice, pairingId: number): Promise<PairingState['status']> {
  const polled = await device.call<PairingState>('POST', `/v1/pairings/${pairingId}/status`, {
    proof: await device.proof('pairing.status', String(pairingId)),
  });
  if (polled.status !== 200) throw new Error(`status: ${polled.status} ${JSON.stringify(polled.body)}`);
  return polled.body.status;
}

async function pairingsOf(server: BuiltTestServer, machineId: string) {
  return server.server.database.db
    .selectFrom('pairings')
    .innerJoin('devices', 'devices.id', 'pairings.device_id')
    .select(['pairings.id', 'pairings.status', 'pairings.key_fingerprint'])
    .where('devices.machine_id', '=', machineId)
    .orderBy('pairings.id')
    .execute();
}

describe('a pairing request that proves nothing', () => {
  it('leaves the pending pairing of the same machine ID valid, and is refused past the limit per machine ID', async () => {
    t = await buildTestServer();
    const workstation = await registeredWorkstation(t, '127.0.0.2');
    const asked = await workstation.requestPairing({ proven: true });
    expect(asked.status).toBe(201);

    // Requests for the same machine ID with other keys, from addresses of their own.
    const answers: number[] = [];
    for (let attempt = 0; attempt < MAX_PENDING_PAIRINGS_PER_MACHINE + 2; attempt += 1) {
      answers.push((await impostor(t, workstation, `127.0.1.${attempt + 1}`).requestPairing()).status);
    }
    expect(answers).toEqual([...Array<number>(MAX_PENDING_PAIRINGS_PER_MACHINE - 1).fill(201), 429, 429, 429]);
    const refused = await impostor(t, workstation, '127.0.1.99').requestPairing();
    expect(refused).toMatchObject({ status: 429, body: { error: { code: 'pairing_requests_pending' } } });

    // The workstation's own request is still the one waiting, and its code still approves it.
    expect(await pairingStatus(workstation, asked.body.pairingId)).toBe('pending');
    const pending = (await pairingsOf(t, workstation.machineId)).filter((pairing) => pairing.status === 'pending');
    expect(pending).toHaveLength(MAX_PENDING_PAIRINGS_PER_MACHINE);
    await t.server.identity.pairing.approve(compact(asked.body.code), IT);
    expect(await pairingStatus(workstation, asked.body.pairingId)).toBe('approved');
    const device = await t.server.database.db.selectFrom('devices').selectAll().where('machine_id', '=', workstation.machineId).executeTakeFirstOrThrow();
    expect(device).toMatchObject({ status: 'active', public_key: workstation.publicKey });

    // The admin acted: the other requests for that machine ID are over.
    const after = await pairingsOf(t, workstation.machineId);
    expect(after.filter((pairing) => pairing.status === 'pending')).toEqual([]);
    expect(after.filter((pairing) => pairing.status === 'superseded')).toHaveLength(MAX_PENDING_PAIRINGS_PER_MACHINE - 1);
  });

  it('is limited per source address when it joins pairings already waiting', async () => {
    t = await buildTestServer();
    const workstations: TestDevice[] = [];
    for (let index = 0; index <= MAX_CONTESTED_REQUESTS_PER_ADDRESS; index += 1) {
      const workstation = await registeredWorkstation(t, `127.0.2.${index + 1}`);
      expect((await workstation.requestPairing({ proven: true })).status).toBe(201);
      workstations.push(workstation);
    }
    const statuses: Array<{ status: number; code?: string }> = [];
    for (const workstation of workstations) {
      const answer = await impostor(t, workstation, '127.0.3.1').requestPairing();
      statuses.push({ status: answer.status, code: (answer.body as { error?: { code: string } }).error?.code });
    }
    expect(statuses.slice(0, MAX_CONTESTED_REQUESTS_PER_ADDRESS).every((answer) => answer.status === 201)).toBe(true);
    expect(statuses.at(-1)).toEqual({ status: 429, code: 'pairing_requests_throttled' });
    // What the address was refused changed nothing: that workstation has only its own request.
    const last = workstations.at(-1);
    if (last === undefined) throw new Error('no workstation');
    expect((await pairingsOf(t, last.machineId)).map((pairing) => pairing.status)).toEqual(['pending']);

    // The same address may still ask for a machine nobody else is pairing (IT rolling out desks behind one NAT).
    const fresh = await registeredWorkstation(t, '127.0.3.1');
    expect((await fresh.requestPairing()).status).toBe(201);
  });

  it('cannot replace the pending pairing by replaying the workstation’s public key without its private key', async () => {
    t = await buildTestServer();
    const workstation = await registeredWorkstation(t, '127.0.4.1');
    const asked = await workstation.requestPairing({ proven: true });
    const replay = await workstation.call('POST', '/v1/pairings', {
      machineId: workstation.machineId,
      publicKey: workstation.publicKey,
      hostname: 'evil',
      os: 'Linux',
      appVersion: '0.1.0',
      storageBackend: 'gnome_libsecret',
      proof: await impostor(t, workstation, '127.0.4.2').proof('pairing.request'),
    });
    expect(replay).toMatchObject({ status: 401, body: { error: { code: 'proof_invalid' } } });
    const unsigned = await workstation.requestPairing();
    expect(unsigned.status).toBe(201);
    expect(await pairingStatus(workstation, asked.body.pairingId)).toBe('pending');
  });
});

describe('the same install asking again', () => {
  it('replaces only its own earlier request, as often as it restarts, and leaves others waiting', async () => {
    t = await buildTestServer();
    const workstation = await registeredWorkstation(t, '127.0.5.1');
    const first = await workstation.requestPairing({ proven: true });
    const other = await impostor(t, workstation, '127.0.5.2').requestPairing();
    expect(other.status).toBe(201);

    let latest = first;
    for (let restart = 0; restart < MAX_PENDING_PAIRINGS_PER_MACHINE + 2; restart += 1) {
      latest = await workstation.requestPairing({ proven: true });
      expect(latest.status).toBe(201);
    }
    expect(await pairingStatus(workstation, first.body.pairingId)).toBe('superseded');
    expect(await pairingStatus(workstation, latest.body.pairingId)).toBe('pending');
    const pending = (await pairingsOf(t, workstation.machineId)).filter((pairing) => pairing.status === 'pending');
    expect(pending.map((pairing) => pairing.id).sort()).toEqual([other.body.pairingId, latest.body.pairingId].sort());
    // While one is pending, the workstation still learns its state with the key it asked with.
    const state = await workstation.call('POST', '/v1/device/status', { proof: await workstation.proof('device.status') });
    expect(state.body).toMatchObject({ status: 'pending' });
  });

  it('keeps the machine pending when an admin rejects one of two requests', async () => {
    t = await buildTestServer();
    const workstation = await registeredWorkstation(t, '127.0.6.1');
    const own = await workstation.requestPairing({ proven: true });
    const intruder = impostor(t, workstation, '127.0.6.2');
    const foreign = await intruder.requestPairing();
    await t.server.identity.pairing.reject(compact(foreign.body.code), IT);
    expect(await pairingStatus(intruder, foreign.body.pairingId)).toBe('rejected');
    expect(await pairingStatus(workstation, own.body.pairingId)).toBe('pending');
    const state = await workstation.call('POST', '/v1/device/status', { proof: await workstation.proof('device.status') });
    expect(state.body).toMatchObject({ status: 'pending' });
  });

  it('can ask again once the waiting requests expire', async () => {
    const { server, advance } = await serverWithClock();
    const workstation = await registeredWorkstation(server, '127.0.7.1');
    await workstation.requestPairing({ proven: true });
    for (let index = 1; index < MAX_PENDING_PAIRINGS_PER_MACHINE; index += 1) await impostor(server, workstation, `127.0.7.${index + 1}`).requestPairing();
    expect((await impostor(server, workstation, '127.0.7.9').requestPairing()).status).toBe(429);
    advance(PAIRING_TTL_MS + 1);
    expect((await impostor(server, workstation, '127.0.7.9').requestPairing()).status).toBe(201);
  });
});
