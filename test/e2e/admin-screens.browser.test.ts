/**
 * The admin screens in Chromium against the real stack: a second real workstation asks to pair
 * and is approved by its code after comparing the fingerprint (its machine ID shown as claimed by
 * the workstation, not as a proof), then revoked with a reason; an
 * agent is created (the enrollment code shown once), unlocked after failed logins, and disabled.
 * Every destructive act goes through a dialog that Escape cancels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { isFocused, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { startWorkstation, untilScreen, workstationAsksToPair } from './harness/client-stack.js';
import type { Workstation } from './harness/client-stack.js';
import { IT } from '../helpers/identity-setup.js';
import { runEvery } from '../helpers/run-every.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

describe('the admin screens', () => {
  let e2e: E2eEnvironment;
  let session: Session;
  let frontDesk: Workstation;

  beforeAll(async () => {
    e2e = await startE2e();
    session = await e2e.open('en');
    await reachInbox(session, { username: 'irene', displayName: 'Irene Costa', roles: ['supervisor', 'admin'] });
    frontDesk = await startWorkstation(session.stack.t, { hostname: 'front-desk-03' });
  }, 120_000);
  afterAll(async () => {
    // Closed first, so a complaint fails the file without leaving its browser and servers behind.
    const complaints = session?.app.complaints ?? [];
    await runEvery([() => frontDesk?.close(), () => e2e?.close()]);
    expect(complaints).toEqual([]);
  });

  it('approves a workstation by the code it shows, after showing the same fingerprint', async () => {
    const { page } = session.app;
    const { tr, stack } = session;
    const pairing = await workstationAsksToPair(stack.t, frontDesk, 'Front desk 3');

    await page.getByRole('button', { name: tr('inbox.section.devices') }).click();
    const pending = page.locator('.pending-pairings li').filter({ hasText: 'front-desk-03' });
    await pending.waitFor();
    expect(await pending.getByTestId('fingerprint').textContent()).toBe(pairing.keyFingerprint);

    // A code no workstation shows: said so beside the field, in the agent's language.
    await page.getByLabel(tr('devices.code')).fill('ACDE-FGHJ');
    await page.getByRole('button', { name: tr('devices.lookUp') }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: tr('errors.pairing_code_invalid') })
      .waitFor();

    await page.getByLabel(tr('devices.code')).fill(pairing.code.toLowerCase());
    await page.getByRole('button', { name: tr('devices.lookUp') }).click();
    const decide = page.getByRole('region', { name: tr('devices.decideLabel') });
    await decide.waitFor();
    expect(await decide.getByText('front-desk-03', { exact: true }).isVisible()).toBe(true);
    expect(await decide.getByTestId('fingerprint').textContent()).toBe(pairing.keyFingerprint);
    // The machine ID is what the workstation claims, not a proof: the screen says so.
    expect(await decide.getByText(tr('devices.machineIdClaimed'), { exact: true }).isVisible()).toBe(true);
    expect((await decide.locator('.machine-id').textContent())?.replace(/\s+/g, '')).toBe(pairing.machineId);
    expect(await decide.getByText(tr('devices.machineIdNotProof')).isVisible()).toBe(true);
    // A first pairing replaces no key: no warning, and Approve approves at once.
    expect(await decide.getByText(tr('devices.replacesKey')).count()).toBe(0);
    await decide.getByRole('button', { name: tr('devices.approve') }).click();
    await page
      .getByRole('status')
      .filter({ hasText: tr('devices.approved', { hostname: 'front-desk-03' }) })
      .waitFor();
    await untilScreen(frontDesk, 'signed_out');
    const row = page.getByRole('row').filter({ hasText: 'front-desk-03' });
    await row.getByText(tr('devices.statusValue.active')).waitFor();
  });

  it('revokes a workstation only with a reason, through a dialog Escape cancels', async () => {
    const { page } = session.app;
    const { tr } = session;
    const revokeButton = page.getByRole('button', { name: tr('devices.revokeNamed', { hostname: 'front-desk-03' }) });
    const dialog = page.getByRole('dialog', { name: tr('devices.revokeTitle', { hostname: 'front-desk-03' }) });

    await revokeButton.click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect(isFocused(revokeButton)).resolves.toBe(true);

    await revokeButton.click();
    await dialog.getByRole('button', { name: tr('devices.revoke') }).click();
    // The reason is required: nothing was sent, the dialog stays.
    expect(await dialog.isVisible()).toBe(true);
    expect(frontDesk.core.state.screen).toBe('signed_out');
    await dialog.getByLabel(tr('devices.revokeReason')).fill('Left at the old office');
    await dialog.getByRole('button', { name: tr('devices.revoke') }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('row').filter({ hasText: 'front-desk-03' });
    await row.getByText(tr('devices.statusValue.revoked')).waitFor();
    expect(await row.getByText('Left at the old office').isVisible()).toBe(true);
  });

  it('creates an agent and shows the enrollment code once, then unlocks and disables them', async () => {
    const { page } = session.app;
    const { tr, stack } = session;
    await page.getByRole('button', { name: tr('inbox.section.agents') }).click();
    await page.getByLabel(tr('login.username')).fill('marco.bianchi');
    await page.getByLabel(tr('agents.displayName'), { exact: true }).fill('Marco Bianchi');
    await page.getByRole('button', { name: tr('agents.create') }).click();
    const shownCode = (await page.getByTestId('enrollment-code').textContent()) ?? '';
    expect(shownCode).toMatch(/^([A-Z0-9]{4}-){3}[A-Z0-9]{4}$/);
    expect(await page.getByText(tr('agents.shownOnce')).isVisible()).toBe(true);
    await page.getByRole('button', { name: tr('agents.issuedDone') }).click();
    expect(await page.getByText(shownCode).count()).toBe(0);
    const row = page.getByRole('row').filter({ hasText: 'marco.bianchi' });
    await row.getByText(tr('agents.statusValue.enrolling')).waitFor();

    // Five failed sign-ins lock the account; the admin unlocks it.
    const agent = (await stack.t.server.identity.agents.list()).find((candidate) => candidate.username === 'marco.bianchi');
    if (agent === undefined) throw new Error('the agent was not created');
    const approved = await startWorkstation(stack.t, { hostname: 'back-office-01' });
    try {
      const { code } = await workstationAsksToPair(stack.t, approved, 'Back office');
      await stack.t.server.identity.pairing.approve(code.replace('-', ''), IT);
      await untilScreen(approved, 'signed_out');
      for (let attempt = 0; attempt < 5; attempt += 1) {
        await dispatchIpc(approved.core, 'login', { username: 'marco.bianchi', password: 'not the password', secondFactor: { kind: 'totp', code: '000000' } });
      }
    } finally {
      await approved.close();
    }
    await page.getByRole('button', { name: tr('inbox.section.conversations') }).click();
    await page.getByRole('button', { name: tr('inbox.section.agents') }).click();
    await row.getByText(tr('agents.locked')).waitFor();
    await row.getByRole('button', { name: tr('agents.unlockNamed', { name: 'Marco Bianchi' }) }).click();
    await row.getByText(tr('agents.locked')).waitFor({ state: 'detached' });

    await row.getByRole('button', { name: tr('agents.disableNamed', { name: 'Marco Bianchi' }) }).click();
    const dialog = page.getByRole('dialog', { name: tr('agents.disableTitle', { name: 'Marco Bianchi' }) });
    await dialog.getByRole('button', { name: tr('agents.disable') }).click();
    await row.getByText(tr('agents.statusValue.disabled')).waitFor();
    expect((await stack.t.server.identity.agents.list()).find((candidate) => candidate.id === agent.id)?.status).toBe('disabled');
  });
});
