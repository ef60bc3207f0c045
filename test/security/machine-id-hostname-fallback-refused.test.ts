/**
 * node-machine-id answers the hostname when Linux has no machine ID (no /etc/machine-id, no
 * /var/lib/dbus/machine-id): an ID anyone can guess, and one that two machines with the same
 * name share. The workstation refuses to pair with it, with an error that says what IT must do,
 * and never sends such an ID to the server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { machineId } from 'node-machine-id';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientCore } from '../../main/core/client-core.js';
import { usableRawMachineId } from '../../main/device/machine-id.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import type { MachineInfo } from '../../main/platform/platform.js';
import { makeTestPlatform } from '../helpers/node-platform.js';
import type { TestPlatform } from '../helpers/node-platform.js';
import { startE2e } from '../e2e/e2e-setup.js';
import { waitForHeading } from '../e2e/harness/app-driver.js';
import type { UiLanguage } from '../e2e/harness/catalogue.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** node-machine-id run for real on a Linux where neither machine-id file can be read. */
async function machineIdWithoutMachineIdFiles(): Promise<string> {
  // Its Linux command is `( cat /var/lib/dbus/machine-id /etc/machine-id || hostname ) | head -n 1`:
  // a `cat` that fails is what a system without those files looks like to it.
  const bin = makeTempDir('sportello-no-machine-id-');
  cleanups.push(() => bin.remove());
  fs.writeFileSync(path.join(bin.dir, 'cat'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  const originalPath = process.env.PATH;
  process.env.PATH = `${bin.dir}:${originalPath ?? ''}`;
  try {
    return await machineId(true);
  } finally {
    process.env.PATH = originalPath;
  }
}

/** A workstation whose OS reports `rawMachineId` (or fails to report one), provisioned for `t`. */
async function workstationWithMachineId(
  t: TestServer,
  hostname: string,
  rawMachineId: () => Promise<string>,
): Promise<{ core: ClientCore; platform: TestPlatform }> {
  const base = makeTestPlatform({ hostname });
  cleanups.push(() => base.remove());
  const machine: MachineInfo = { ...base.machine, rawMachineId };
  const platform: TestPlatform = { ...base, machine };
  if (t.certificate === undefined) throw new Error('the test server runs TLS');
  platform.writeProvisioning({ serverUrl: t.server.url, spkiSha256: [t.certificate.spkiSha256] });
  const core = new ClientCore(platform, { pairingPollMs: 100 });
  cleanups.push(() => core.stop());
  await core.start();
  return { core, platform };
}

describe('a machine ID that is only the hostname', () => {
  it.runIf(process.platform === 'linux')('is what node-machine-id answers on a Linux without a machine ID, and it is refused', async () => {
    const fallback = await machineIdWithoutMachineIdFiles();
    expect(fallback).toBe(os.hostname().replace(/\s+/g, '').toLowerCase());
    expect(() => usableRawMachineId(fallback, os.hostname())).toThrow(expect.objectContaining({ code: 'machine_id_unavailable' }));
  });

  it('accepts what an OS really gives, and refuses names, placeholders and empty answers', () => {
    expect(usableRawMachineId('0f3c9a0e6d6b4f0f9a3e2b1c4d5e6f70\n', 'ws-1')).toBe('0f3c9a0e6d6b4f0f9a3e2b1c4d5e6f70');
    expect(usableRawMachineId('4C4C4544-0042-3510-8052-B4C04F4D4E31', 'ws-1')).toBe('4c4c4544-0042-3510-8052-b4c04f4d4e31');
    for (const raw of [
      'front-desk-03',
      '',
      '   ',
      '00000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      '00000000000000000000000000000000',
      'uninitialized',
    ]) {
      expect(() => usableRawMachineId(raw, 'front-desk-03'), raw).toThrow(expect.objectContaining({ code: 'machine_id_unavailable' }));
    }
    // A hostname that happens to look like an ID is still the hostname.
    expect(() => usableRawMachineId('aaaabbbbccccddddeeeeffff00001111', 'AAAABBBBCCCCDDDDEEEEFFFF00001111')).toThrow(
      expect.objectContaining({ code: 'machine_id_unavailable' }),
    );
  });

  it('keeps the workstation from asking to pair: a clear error, no ID shown, nothing sent to the server', async () => {
    const t = await startTestServer({ tls: true });
    cleanups.push(() => t.close());
    const { core } = await workstationWithMachineId(t, 'front-desk-03', () => Promise.resolve('front-desk-03'));

    expect(core.state).toMatchObject({ screen: 'unpaired', hostname: 'front-desk-03', machineId: null, problem: { code: 'machine_id_unavailable' } });
    const refused = await dispatchIpc(core, 'startPairing', {});
    expect(refused).toMatchObject({ ok: false, code: 'machine_id_unavailable' });
    expect(refused.ok === false && refused.message).toMatch(/no machine ID.*\/etc\/machine-id/);
    expect(core.state.screen).toBe('unpaired');

    const { db } = t.server.database;
    expect(await db.selectFrom('devices').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('pairings').selectAll().execute()).toEqual([]);
  });

  it('is refused the same way when the OS command fails outright', async () => {
    const t = await startTestServer({ tls: true });
    cleanups.push(() => t.close());
    const { core } = await workstationWithMachineId(t, 'front-desk-04', () => Promise.reject(new Error('Error while obtaining machine id: ioreg: not found')));
    expect(core.state).toMatchObject({ screen: 'unpaired', machineId: null, problem: { code: 'machine_id_unavailable' } });
    expect(await dispatchIpc(core, 'startPairing', {})).toMatchObject({ ok: false, code: 'machine_id_unavailable' });
    expect(await t.server.database.db.selectFrom('pairings').selectAll().execute()).toEqual([]);
  });
});

describe.each<UiLanguage>(['en', 'it'])('the unpaired screen without a machine ID, in %s', (language) => {
  it('says why and offers no pairing', async () => {
    const e2e = await startE2e();
    cleanups.push(() => e2e.close());
    const session = await e2e.open(language, { hostname: 'front-desk-03', rawMachineId: 'front-desk-03' });
    const { page } = session.app;
    await waitForHeading(session, session.tr('unpaired.title'));
    expect(await page.getByText(session.tr('unpaired.noMachineId')).isVisible()).toBe(true);
    // It does not tell the person to ask to pair, which this workstation cannot do.
    expect(await page.getByText(session.tr('unpaired.explanationNoMachineId'), { exact: true }).isVisible()).toBe(true);
    expect(await page.getByText(session.tr('unpaired.explanation'), { exact: true }).count()).toBe(0);
    expect(
      await page
        .getByRole('alert')
        .filter({ hasText: session.tr('errors.machine_id_unavailable') })
        .isVisible(),
    ).toBe(true);
    expect(await page.getByRole('button', { name: session.tr('unpaired.pair') }).count()).toBe(0);
    expect(session.app.complaints).toEqual([]);
  });
});
