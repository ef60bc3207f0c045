/**
 * A customer's message with a part that could not be read reaches the agent's conversation with
 * a note saying which part, in English and in Italian: a location whose latitude is words shows
 * its name and address and no map; a text whose body is a number says the message could not be
 * read. What the unreadable part held never reaches the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer } from '../helpers/conversations.js';
import { LOCATION_WITH_TEXT_LATITUDE, TEXT_WITH_NUMERIC_BODY } from '../helpers/edge-webhooks.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';
import { customerSendsAsIs } from './harness/customer-activity.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

describe('the note on a message with an unreadable part', () => {
  let e2e: E2eEnvironment;
  beforeAll(async () => {
    e2e = await startE2e();
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
  });

  for (const language of ['en', 'it'] satisfies UiLanguage[]) {
    it(`shows which part could not be read, never what it held (${language})`, { timeout: 120_000 }, async () => {
      const session: Session = await e2e.open(language);
      await reachInbox(session, { username: `sara${language}`, displayName: 'Sara Neri', roles: ['supervisor'] });
      const { page } = session.app;
      const { tr, stack } = session;
      const located = customer(stack.t, 0);
      const garbled = customer(stack.t, 1);
      await customerSendsAsIs(stack.t, located, LOCATION_WITH_TEXT_LATITUDE);
      await customerSendsAsIs(stack.t, garbled, TEXT_WITH_NUMERIC_BODY);

      await conversationRow(session, located.name).click();
      await heading(session, located.name).waitFor();
      const log = page.getByRole('log');
      const bubble = log.getByRole('article').filter({ hasText: 'Duomo di Milano' });
      await bubble.getByText('Piazza del Duomo, 20122 Milano').waitFor();
      await bubble
        .getByRole('note')
        .getByText(tr('message.unreadablePart', { parts: 'location.latitude' }), { exact: true })
        .waitFor();
      expect(await bubble.getByRole('button', { name: tr('location.openMap') }).count()).toBe(0);

      await conversationRow(session, garbled.name).click();
      await heading(session, garbled.name).waitFor();
      await log
        .getByRole('note')
        .getByText(tr('message.unreadableWhole', { parts: 'text' }), { exact: true })
        .waitFor();
      expect(await log.locator('.unsupported-notice').count()).toBe(0);

      const shown = await page.locator('body').innerText();
      expect(shown).not.toContain('forty-five');
      expect(shown).not.toContain('4815162342');
      expect(session.app.complaints).toEqual([]);
    });
  }
});
