/**
 * The links rule on the desk, in English and in Italian: a customer's look-alike link is marked
 * with its reasons and still asks main (which shows the real host and the warnings), a link to a
 * blocked host is struck through and no button; and an agent who types an http link is told at
 * once that it cannot be sent, Send held, until it is https. The server refuses it too (security test).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer } from '../helpers/conversations.js';
import { IT } from '../helpers/identity-setup.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';
import { customerSays, customerSendsAsIs } from './harness/customer-activity.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

const LOOK_ALIKE = 'https://pаypal.com/login'; // a Cyrillic а
const BLOCKED = 'https://pay.evil.example/checkout';

describe('links on the desk', () => {
  let e2e: E2eEnvironment;
  beforeAll(async () => {
    e2e = await startE2e();
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
  });

  for (const language of ['en', 'it'] satisfies UiLanguage[]) {
    it(`are marked, blocked ones not clickable, and an http link is held in the composer (${language})`, { timeout: 120_000 }, async () => {
      const session: Session = await e2e.open(language);
      const { page } = session.app;
      const { tr, stack } = session;
      const policies = stack.t.server.safety.policies;
      const { version, policy } = await policies.current();
      await policies.change({ version, policy: { ...policy, links: { ...policy.links, blockedHosts: ['evil.example'] } } }, IT);
      await reachInbox(session, { username: `links${language}`, displayName: 'Sara Neri', roles: ['supervisor'] });
      const writer = customer(stack.t, 0);
      await customerSays(stack.t, writer, `Log in at ${LOOK_ALIKE} then pay at ${BLOCKED} today`);
      await customerSendsAsIs(stack.t, writer, {
        type: 'location',
        location: { latitude: 45.46, longitude: 9.19, name: 'Our shop', url: 'https://shop.evil.example/where' },
      });
      await conversationRow(session, writer.name).click();
      await heading(session, writer.name).waitFor();
      const log = page.getByRole('log');

      const lookAlike = log.getByRole('button', { name: LOOK_ALIKE, exact: true });
      await lookAlike.waitFor();
      const description = await lookAlike.getAttribute('aria-describedby');
      const mark = log.locator(`[id="${description ?? ''}"]`);
      expect(await mark.textContent()).toContain(tr('links.warning'));
      expect(await mark.textContent()).toContain(tr('links.flags.punycode'));
      expect(await mark.textContent()).toContain(tr('links.flags.mixed_scripts'));

      const blocked = log.locator('del', { hasText: BLOCKED });
      await blocked.waitFor();
      expect(await log.getByRole('button', { name: BLOCKED }).count()).toBe(0);
      // The location's page on a blocked host too: struck through, no button.
      await log.locator('del', { hasText: 'https://shop.evil.example/where' }).waitFor();
      expect(await log.getByRole('button', { name: 'https://shop.evil.example/where' }).count()).toBe(0);
      expect(await log.getByText(tr('links.refused'), { exact: false }).count()).toBe(2);
      expect(await log.getByText(tr('links.flags.blocked'), { exact: false }).count()).toBe(2);

      stack.platform.desktop.confirmLinks = false;
      await lookAlike.click();
      await expect
        .poll(() => stack.platform.desktop.linkPrompts)
        .toEqual([{ url: 'https://xn--pypal-4ve.com/login', host: 'xn--pypal-4ve.com', flags: ['punycode', 'mixed_scripts'] }]);
      expect(stack.platform.desktop.opened).toEqual([]);

      const box = page.getByRole('combobox', { name: tr('composer.messageLabel') });
      const sendButton = page.getByRole('button', { name: tr('composer.send'), exact: true });
      await box.fill('Track it at http://track.example.com/1042');
      const warning = tr('links.outboundWarning', { host: 'track.example.com', reason: tr('links.outbound.not_https') });
      await page.getByRole('alert').getByText(warning, { exact: true }).waitFor();
      expect(await sendButton.isDisabled()).toBe(true);
      await box.press('Enter');
      expect(await box.inputValue()).toContain('http://track.example.com/1042');

      await box.fill('Track it at https://track.example.com/1042');
      expect(await page.getByText(warning, { exact: true }).count()).toBe(0);
      await sendButton.click();
      await page.getByRole('log').getByRole('button', { name: 'https://track.example.com/1042' }).waitFor();
      expect(stack.t.sandbox.graph.accepted.some((message) => JSON.stringify(message.body).includes('http://track'))).toBe(false);
      expect(session.app.complaints).toEqual([]);
    });
  }
});
