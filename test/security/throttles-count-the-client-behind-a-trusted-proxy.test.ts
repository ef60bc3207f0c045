/**
 * Behind a load balancer every client arrives from the proxy's address, so the per-address
 * throttles would count all of them as one (the first few rejected pairing requests would lock
 * out a whole office). SPORTELLO_TRUSTED_PROXIES names the proxies whose X-Forwarded-For is
 * believed; from anyone else the header is ignored, or a client could pick its own throttle
 * bucket. Real HTTP over loopback: the proxy is 127.0.0.1, another host is 127.0.0.2.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_CONTESTED_REQUESTS_PER_ADDRESS } from '../../server/devices/pairing-admission.js';
import { IT } from '../helpers/identity-setup.js';
import { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function waitingWorkstation(server: TestServer, sourceAddress: string): Promise<TestDevice> {
  const device = new TestDevice(server.server.url, { sourceAddress });
  await server.server.identity.devices.allow([{ machineId: device.machineId, label: `Desk ${device.machineId.slice(0, 6)}` }], IT, 'single');
  expect((await device.requestPairing({ proven: true })).status).toBe(201);
  return device;
}

/** Someone claiming `victim`'s machine ID with a key of their own: counted against their address. */
function contester(server: TestServer, victim: TestDevice, sourceAddress: string, forwardedFor: string): TestDevice {
  const device = new TestDevice(server.server.url, { machineId: victim.machineId, sourceAddress });
  device.forwardedFor = forwardedFor;
  return device;
}

async function requestedFrom(server: TestServer): Promise<Array<string | null>> {
  const rows = await server.server.database.db.selectFrom('pairings').select('requested_from').where('contested', '=', 1).orderBy('id').execute();
  return rows.map((row) => row.requested_from);
}

describe('per-address throttles behind a proxy', () => {
  it('count each forwarded client on its own when the proxy is trusted', async () => {
    t = await startTestServer({ trustedProxies: ['127.0.0.1'] });
    const workstations: TestDevice[] = [];
    for (let index = 0; index <= MAX_CONTESTED_REQUESTS_PER_ADDRESS; index += 1) workstations.push(await waitingWorkstation(t, '127.0.0.3'));

    const first: number[] = [];
    for (const workstation of workstations) first.push((await contester(t, workstation, '127.0.0.1', '203.0.113.7').requestPairing()).status);
    expect(first.slice(0, MAX_CONTESTED_REQUESTS_PER_ADDRESS).every((status) => status === 201)).toBe(true);
    expect(first.at(-1)).toBe(429);

    // Another client behind the same proxy is not held back by the first one's requests.
    const last = workstations.at(-1);
    if (last === undefined) throw new Error('no workstation');
    expect((await contester(t, last, '127.0.0.1', '198.51.100.4').requestPairing()).status).toBe(201);
    const addresses = await requestedFrom(t);
    expect(addresses).toEqual([...Array<string>(MAX_CONTESTED_REQUESTS_PER_ADDRESS).fill('203.0.113.7'), '198.51.100.4']);
  });

  it('ignore X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    t = await startTestServer({ trustedProxies: ['127.0.0.1'] });
    const workstations: TestDevice[] = [];
    for (let index = 0; index <= MAX_CONTESTED_REQUESTS_PER_ADDRESS; index += 1) workstations.push(await waitingWorkstation(t, '127.0.0.3'));
    // A client at 127.0.0.2 names a new address in every request: the throttle still counts 127.0.0.2.
    const statuses: number[] = [];
    for (const [index, workstation] of workstations.entries()) {
      statuses.push((await contester(t, workstation, '127.0.0.2', `203.0.113.${index + 10}`).requestPairing()).status);
    }
    expect(statuses.at(-1)).toBe(429);
    expect(new Set(await requestedFrom(t))).toEqual(new Set(['127.0.0.2']));
  });

  it('believe no forwarded address by default', async () => {
    t = await startTestServer();
    const workstation = await waitingWorkstation(t, '127.0.0.3');
    expect((await contester(t, workstation, '127.0.0.1', '203.0.113.7').requestPairing()).status).toBe(201);
    expect(await requestedFrom(t)).toEqual(['127.0.0.1']);
  });
});
