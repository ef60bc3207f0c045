/**
 * Approving a pairing for a machine that is already active replaces its key and ends its
 * sessions. The phone page and the CLI say so before the approval; the desktop admin screen
 * approved it without a word. Now it shows the device's current status, the old and the new key
 * fingerprints and the same warning, and approves only after the admin confirms; the server
 * refuses an approval from the client API that did not confirm the replacement. The machine ID
 * is shown as what it is: claimed by the workstation.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UiLanguage } from '../e2e/harness/catalogue.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { isFocused, reachInbox } from '../e2e/harness/app-driver.js';
import type { Session } from '../e2e/harness/app-driver.js';
import { startWorkstation, untilScreen, workstationAsksToPair } from '../e2e/harness/client-stack.js';
import type { PairingState, Workstation } from '../e2e/harness/client-stack.js';
import { startE2e } from '../e2e/e2e-setup.js';
import type { E2eEnvironment } from '../e2e/e2e-setup.js';
import { IT } from '../helpers/identity-setup.js';

describe.each<UiLanguage>(['en', 'it'])('the desktop admin screen, in %s, before replacing an active workstation’s key', (language) => {
  let e2e: E2eEnvironment;
  let session: Session;
  const workstations: Workstation[] = [];
  const rawMachineId = crypto.randomUUID();
  let oldFingerprint = '';
  let reinstalled: PairingState;

  beforeAll(async () => {
    e2e = await startE2e();
    session = await e2e.open(language);
    await reachInbox(session, { username: 'irene', displayName: 'Irene Costa', roles: ['supervisor', 'admin'] });
    const { t } = session.stack;
    // The front desk is paired and active...
    const original = await startWorkstation(t, { hostname: 'front-desk-03', rawMachineId });
    workstations.push(original);
    const first = await workstationAsksToPair(t, original, 'Front desk 3');
    oldFingerprint = first.keyFingerprint;
    await t.server.identity.pairing.approve(first.code.replace('-', ''), IT);
    await untilScreen(original, 'signed_out');
    // ...and the same machine, Sportello reinstalled (a new key), asks to pair again.
    const again = await startWorkstation(t, { hostname: 'front-desk-03', rawMachineId });
    workstations.push(again);
    const asked = await dispatchIpc(again.core, 'startPairing', {});
    if (!asked.ok || again.core.state.screen !== 'pairing') throw new Error(`the reinstalled workstation did not ask to pair: ${JSON.stringify(asked)}`);
    reinstalled = again.core.state;
  }, 180_000);
  afterAll(async () => {
    expect(session.app.complaints).toEqual([]);
    for (const workstation of workstations) await workstation.close();
    await e2e?.close();
  });

  const deviceKey = async () =>
    await session.stack.t.server.database.db
      .selectFrom('devices')
      .select(['status', 'key_fingerprint'])
      .where('hostname', '=', 'front-desk-03')
      .executeTakeFirstOrThrow();

  it('is refused by the server when the approval does not confirm the replacement', async () => {
    const refused = await dispatchIpc(session.stack.core, 'adminApprovePairing', { code: reinstalled.code });
    expect(refused).toMatchObject({ ok: false, code: 'key_replacement_unconfirmed' });
    expect(await deviceKey()).toEqual({ status: 'active', key_fingerprint: oldFingerprint });
    // The code was not spent: the admin can still decide with it.
    expect(await dispatchIpc(session.stack.core, 'adminLookupPairing', { code: reinstalled.code })).toMatchObject({ ok: true });
  });

  it('shows the status, both fingerprints, the claimed machine ID and the warning, and approves only after a confirmation', async () => {
    const { page } = session.app;
    const { tr } = session;
    await page.getByRole('button', { name: tr('inbox.section.devices') }).click();
    await page.getByLabel(tr('devices.code')).fill(reinstalled.code);
    await page.getByRole('button', { name: tr('devices.lookUp') }).click();
    const decide = page.getByRole('region', { name: tr('devices.decideLabel') });
    await decide.waitFor();

    expect(await decide.getByText(tr('devices.machineIdClaimed'), { exact: true }).isVisible()).toBe(true);
    expect(await decide.getByText(tr('devices.machineIdNotProof')).isVisible()).toBe(true);
    expect(
      await decide
        .getByRole('definition')
        .filter({ hasText: tr('devices.statusValue.active') })
        .count(),
    ).toBe(1);
    const warning = decide.getByRole('alert').filter({ hasText: tr('devices.replacesKey') });
    await warning.waitFor();
    expect(await decide.getByTestId('current-fingerprint').textContent()).toBe(oldFingerprint);
    expect(await decide.getByTestId('new-fingerprint').textContent()).toBe(reinstalled.keyFingerprint);
    expect(oldFingerprint).not.toBe(reinstalled.keyFingerprint);

    // Approve asks first; Escape (or Cancel) changes nothing.
    const approve = decide.getByRole('button', { name: tr('devices.approve') });
    const dialog = page.getByRole('dialog', { name: tr('devices.replaceKeyTitle', { hostname: 'front-desk-03' }) });
    await approve.click();
    await dialog.waitFor();
    expect(await dialog.getByText(tr('devices.replacesKey')).isVisible()).toBe(true);
    expect(await dialog.getByTestId('current-fingerprint').textContent()).toBe(oldFingerprint);
    expect(await dialog.getByTestId('new-fingerprint').textContent()).toBe(reinstalled.keyFingerprint);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect(isFocused(approve)).resolves.toBe(true);
    expect(await deviceKey()).toEqual({ status: 'active', key_fingerprint: oldFingerprint });

    await approve.click();
    await dialog.getByRole('button', { name: tr('devices.replaceKeyConfirm') }).click();
    await page
      .getByRole('status')
      .filter({ hasText: tr('devices.approved', { hostname: 'front-desk-03' }) })
      .waitFor();
    expect(await deviceKey()).toEqual({ status: 'active', key_fingerprint: reinstalled.keyFingerprint });
    const [, again] = workstations;
    if (again !== undefined) await untilScreen(again, 'signed_out');
  });
});
