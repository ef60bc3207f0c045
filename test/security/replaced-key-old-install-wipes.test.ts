/**
 * A machine paired again with a new key (a reinstall, another user-data directory) and approved:
 * the old install's key no longer works, and the old install must not keep the cache and keys of a
 * right it lost. The server tells the old key `revoked` until it has been told once, whether the
 * old install is running (its session ends: it asks what it is now) or starts later; an old
 * install holding cache secrets that hears `unknown` wipes itself all the same.
 */
import { describe, expect, it } from 'vitest';
import type { AppState } from '../../common/ipc/app-state.js';
import { IT } from '../helpers/identity-setup.js';
import type { ServerForWorkstations } from '../helpers/workstation-under-test.js';
import type { Workstation } from '../helpers/workstation-under-test.js';
import { CACHE_DB, DEVICE_KEY_FILE, LOCAL_SECRET_FILE, SHARE_FILE, workstationScene } from '../helpers/workstation-under-test.js';

const scene = workstationScene();

async function firstInstallSignedIn(): Promise<{ server: ServerForWorkstations; old: Workstation }> {
  const server = await scene.server();
  const old = scene.install(server);
  await old.startSignedIn(server.t, 'front.desk');
  expect(old.files()).toEqual(expect.arrayContaining([CACHE_DB, SHARE_FILE, LOCAL_SECRET_FILE, DEVICE_KEY_FILE]));
  return { server, old };
}

/** A second install on the same machine asks to pair with its own key, and IT approves it. */
async function reinstallApproved(s: ServerForWorkstations, old: Workstation): Promise<Workstation> {
  const reinstall = scene.install(s, { sameMachineAs: old });
  await reinstall.start();
  await reinstall.waitFor('unpaired');
  const pairing = (await reinstall.call('startPairing')) as Extract<AppState, { screen: 'pairing' }>;
  await s.t.server.identity.pairing.approve(pairing.code.replace('-', ''), IT);
  await reinstall.waitFor('signed_out');
  return reinstall;
}

describe('the old install of a machine whose key an approved re-pairing replaced', () => {
  it('wipes itself at once when it is running', async () => {
    const { server: s, old } = await firstInstallSignedIn();

    const reinstall = await reinstallApproved(s, old);

    await old.waitFor('revoked');
    expect(old.state).toMatchObject({ screen: 'revoked', reasonCode: 'key_replaced', dataErased: true });
    expect(old.files()).toEqual([]);
    expect(reinstall.files()).toContain(DEVICE_KEY_FILE);
  });

  it('wipes itself at its next start when it was not running', async () => {
    const { server: s, old } = await firstInstallSignedIn();
    await old.stop();

    const reinstall = await reinstallApproved(s, old);
    await old.start();

    expect(old.state).toMatchObject({ screen: 'revoked', reasonCode: 'key_replaced', dataErased: true });
    expect(old.files()).toEqual([]);
    expect(reinstall.state.screen).toBe('signed_out');
  });

  it('is told `revoked` once, and wipes when it hears `unknown` after a lost answer', async () => {
    const { server: s, old } = await firstInstallSignedIn();
    await old.stop();
    await reinstallApproved(s, old);
    expect(await old.askDeviceStatus(s)).toMatchObject({ status: 'revoked', reasonCode: 'key_replaced' });
    expect(await old.askDeviceStatus(s)).toEqual({ status: 'unknown' });

    await old.start();

    expect(old.state).toMatchObject({ screen: 'revoked', reasonCode: 'access_withdrawn', dataErased: true });
    expect(old.files()).toEqual([]);
  });
});
