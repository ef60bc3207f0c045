/**
 * The desktop client's journey through the built renderer in Chromium, in English and in Italian,
 * with the real main-process core behind window.sportello and a real server with the sandbox:
 * pairing and IT's approval, enrollment with an admin's code, recovery codes, a customer's
 * message and the reply with its ticks, lock and unlock, and revocation. At each step no token,
 * key or password may be anywhere the page can reach, and the browser reports nothing (a CSP
 * refusal, a page error or a failing handler in main would all show up as complaints).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { customer, customerWrites } from '../helpers/conversations.js';
import { IT } from '../helpers/identity-setup.js';
import type { UiLanguage } from './harness/catalogue.js';
import { translator } from './harness/catalogue.js';
import {
  acceptRecoveryCodes,
  AGENT_PASSWORD,
  askToPair,
  confirmAuthenticator,
  conversationRow,
  deviceIdOf,
  fillEnrollment,
  heading,
  itApproves,
  submitEnrollment,
  waitForHeading,
} from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { deviceKeySecrets, findSecrets, grantSecrets, recordGrants } from './harness/secret-scan.js';
import type { Secret } from './harness/secret-scan.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

const JOURNEY_TIMEOUT_MS = 120_000;

let e2e: E2eEnvironment;
beforeAll(async () => {
  e2e = await startE2e();
}, 60_000);
afterAll(async () => {
  await e2e?.close();
});

describe.each<[UiLanguage, string]>([
  ['en', 'Hello, I was charged twice for order 1042'],
  ['it', 'Buongiorno, mi avete addebitato due volte l’ordine 1042'],
])('the journey through the renderer (%s)', (language, customerText) => {
  let session: Session;
  afterEach(() => {
    expect(session.app.complaints).toEqual([]);
  });

  it(
    'pairs, enrolls, answers a customer, locks and unlocks, and ends on the revoked screen',
    async () => {
      session = await e2e.open(language, { hostname: `reception-${language}` });
      const { app, stack, tr } = session;
      const { page } = app;
      const grants = recordGrants(stack.t);
      const secrets = (): Secret[] => [{ name: 'password', value: AGENT_PASSWORD }, ...grantSecrets(grants)];
      expect(await page.evaluate('document.documentElement.lang')).toBe(language);

      // Pairing: the code and fingerprint main holds, exactly; the QR of the approval URL.
      const pairing = await askToPair(session);
      expect(await page.locator('.pairing-code').textContent()).toBe(pairing.code);
      expect(await page.getByTestId('key-fingerprint').textContent()).toBe(pairing.keyFingerprint);
      await expect(
        page
          .getByRole('img', { name: tr('pairing.qrLabel') })
          .locator('path')
          .getAttribute('d'),
      ).resolves.toMatch(/^M\d/);
      await expect(
        page
          .getByRole('status')
          .filter({ hasText: tr('pairing.waiting') })
          .count(),
      ).resolves.toBe(1);
      const deviceKey = deviceKeySecrets(stack.platform);
      expect(await findSecrets(app, [...deviceKey, ...secrets()])).toEqual([]);

      await itApproves(session, pairing.code);
      // Where an agent gets in, a quiet line says it is never with a code sent by SMS or chat.
      const signInNote = page.getByText(tr('codeHold.signInNote'), { exact: true });
      expect(await signInNote.isVisible()).toBe(true);

      // Enrollment with the code an admin issued. While the password sits in its fields it is
      // in no attribute (React's controlled inputs would mirror it into value="…").
      await fillEnrollment(session, { username: `giulia.${language}`, displayName: 'Giulia Neri', roles: ['supervisor', 'admin'] });
      expect(await findSecrets(app, secrets())).toEqual([]);
      expect(await signInNote.isVisible()).toBe(true);
      const phone = await submitEnrollment(session);
      const authenticatorState = stack.core.state;
      if (authenticatorState.screen !== 'enrolling' || authenticatorState.step !== 'authenticator') throw new Error('expected the authenticator step');
      expect(phone.secret).toBe(authenticatorState.manualKey.replace(/\s/g, ''));
      await expect(page.getByRole('img', { name: tr('authenticator.qrLabel') }).count()).resolves.toBe(1);
      expect(await signInNote.isVisible()).toBe(true);
      await confirmAuthenticator(session, phone);

      const recoveryCodes = page.locator('.recovery-codes li');
      await expect(recoveryCodes.count()).resolves.toBe(10);
      const continueButton = page.getByRole('button', { name: tr('recoveryCodes.continue') });
      expect(await continueButton.isDisabled()).toBe(true);
      const codesShown = await recoveryCodes.allTextContents();
      await acceptRecoveryCodes(session);
      expect(await page.getByRole('button', { name: tr('inbox.lock'), exact: true }).isVisible()).toBe(true);
      expect(
        await findSecrets(app, [
          ...deviceKey,
          ...secrets(),
          { name: 'TOTP secret', value: phone.secret },
          ...codesShown.map((code) => ({ name: 'a recovery code', value: code })),
        ]),
      ).toEqual([]);

      // A customer writes: the conversation appears, unread, live from the feed.
      const writer = customer(stack.t, 0);
      await customerWrites(stack.t, writer, customerText);
      const row = conversationRow(session, writer.name);
      await row.getByLabel(tr('conversations.unread_one', { count: 1 })).waitFor();
      expect(await row.textContent()).toContain(customerText);

      // Opening it marks it read; the reply goes out and its ticks arrive.
      await row.click();
      await heading(session, writer.name).waitFor();
      await page.getByRole('log').getByText(customerText).waitFor();
      await row.getByLabel(tr('conversations.unread_one', { count: 1 })).waitFor({ state: 'detached' });
      const reply = language === 'en' ? 'Sorry about that: the second charge is refunded today.' : 'Ci scusi: il secondo addebito viene rimborsato oggi.';
      await page.getByRole('combobox', { name: tr('composer.messageLabel'), exact: true }).fill(reply);
      await page.getByRole('combobox', { name: tr('composer.messageLabel'), exact: true }).press('Enter');
      const sent = page.locator('.message-outbound').filter({ hasText: reply });
      await sent.getByRole('img', { name: tr('delivery.read') }).waitFor();
      await expect(page.getByRole('combobox', { name: tr('composer.messageLabel'), exact: true }).inputValue()).resolves.toBe('');

      // Locked by the agent, unlocked with the authenticator.
      await page.getByRole('button', { name: tr('inbox.lock'), exact: true }).click();
      await waitForHeading(session, tr('locked.title'));
      expect(await page.getByText(tr('locked.reason.manual')).isVisible()).toBe(true);
      expect(await signInNote.isVisible()).toBe(true);
      await page.getByLabel(tr('secondFactor.totpLabel')).fill(await phone.nextCode());
      await page.getByRole('button', { name: tr('locked.unlock') }).click();
      await conversationRow(session, writer.name).waitFor();
      expect(await findSecrets(app, [...deviceKey, ...secrets()])).toEqual([]);

      // An admin revokes the workstation on the server: the screen says why, and that data is gone.
      const reason = language === 'en' ? 'Laptop reported stolen' : 'Portatile rubato';
      await stack.t.server.identity.devices.revoke(await deviceIdOf(session), reason, IT);
      await waitForHeading(session, tr('revoked.title'));
      expect(await page.getByText(reason, { exact: true }).isVisible()).toBe(true);
      expect(await page.getByText(tr('revoked.erased')).isVisible()).toBe(true);
      expect(await page.getByText(customerText).count()).toBe(0);
      expect(grants.length).toBeGreaterThan(0);
      expect(await findSecrets(app, [...deviceKey, ...secrets()])).toEqual([]);

      // The switch in the header changes the language at once, and the choice outlives a reload.
      const other: UiLanguage = language === 'en' ? 'it' : 'en';
      await page.getByLabel(tr('language.label')).selectOption(other);
      await waitForHeading(session, translator(other)('revoked.title'));
      expect(await page.evaluate('document.documentElement.lang')).toBe(other);
      await page.reload();
      await waitForHeading(session, translator(other)('revoked.title'));
    },
    JOURNEY_TIMEOUT_MS,
  );
});
