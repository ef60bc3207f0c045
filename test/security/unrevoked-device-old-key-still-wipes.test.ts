/**
 * A device revoked and then un-revoked before its install called back: the old install still holds
 * the cache and the key the revocation was meant to erase. The server keeps telling that key
 * `revoked` until it has been told once; an install holding cache secrets that hears `rejected`
 * (the server told it already, the answer was lost) wipes itself all the same.
 */
import { describe, expect, it } from 'vitest';
import { IT } from '../helpers/identity-setup.js';
import type { ServerForWorkstations } from '../helpers/workstation-under-test.js';
import type { Workstation } from '../helpers/workstation-under-test.js';
import { CACHE_DB, DEVICE_KEY_FILE, LOCAL_SECRET_FILE, SHARE_FILE, workstationScene } from '../helpers/workstation-under-test.js';

const scene = workstationScene();

/** A signed-in install, quit; then its device revoked and un-revoked while it does not run. */
async function revokedAndUnrevokedWhileAway(reason: string): Promise<{ server: ServerForWorkstations; ws: Workstation }> {
  const server = await scene.server();
  const ws = scene.install(server);
  await ws.startSignedIn(server.t, 'night.shift');
  await ws.stop();
  expect(ws.files()).toEqual(expect.arrayContaining([CACHE_DB, SHARE_FILE, LOCAL_SECRET_FILE, DEVICE_KEY_FILE]));
  const device = await server.t.server.database.db.selectFrom('devices').select('id').where('machine_id', '=', ws.machineId).executeTakeFirstOrThrow();
  await server.t.server.identity.devices.revoke(device.id, reason, IT);
  await server.t.server.identity.devices.unrevoke(device.id, IT);
  return { server, ws };
}

describe('an install whose device was revoked and un-revoked while it was away', () => {
  it('is told `revoked` at its next start and wipes everything', async () => {
    const { ws } = await revokedAndUnrevokedWhileAway('Laptop reported stolen');

    await ws.start();

    expect(ws.state).toEqual({ screen: 'revoked', reason: 'Laptop reported stolen', dataErased: true });
    expect(ws.files()).toEqual([]);
  });

  it('is told `revoked` once, and wipes when it hears `rejected` after a lost answer', async () => {
    const { server: s, ws } = await revokedAndUnrevokedWhileAway('Handed to another team');
    // The install's key asks once (the answer lost on the way, as far as the app knows); then as any refused machine.
    expect(await ws.askDeviceStatus(s)).toMatchObject({ status: 'revoked', revokedReason: 'Handed to another team' });
    expect(await ws.askDeviceStatus(s)).toMatchObject({ status: 'rejected' });

    await ws.start();

    expect(ws.state).toMatchObject({ screen: 'revoked', reasonCode: 'access_withdrawn', dataErased: true });
    expect(ws.files()).toEqual([]);
  });
});
