/**
 * A card number a customer writes reaches the agent masked, with a note saying it was hidden, in
 * English and in Italian; the note's answer fills the composer with the card safety reply, as an
 * answer to that message. The digits that were masked never reach the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer } from '../helpers/conversations.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';
import { customerSendsAsIs } from './harness/customer-activity.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

describe('the note on a message whose card number was hidden', () => {
  let e2e: E2eEnvironment;
  beforeAll(async () => {
    e2e = await startE2e();
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
  });

  for (const language of ['en', 'it'] satisfies UiLanguage[]) {
    it(`shows the masked number, says it was hidden and offers the safety reply (${language})`, { timeout: 120_000 }, async () => {
      const session: Session = await e2e.open(language);
      await reachInbox(session, { username: `card${language}`, displayName: 'Sara Neri', roles: ['supervisor'] });
      const { page } = session.app;
      const { tr, stack } = session;
      const payer = customer(stack.t, 0);
      const other = customer(stack.t, 1);
      await customerSendsAsIs(stack.t, payer, { type: 'text', text: { body: 'Here is my card: 4111 1111 1111 1111, 12/29' } });
      await customerSendsAsIs(stack.t, other, { type: 'text', text: { body: 'Order 1234567890123 is late' } });

      await conversationRow(session, payer.name).click();
      await heading(session, payer.name).waitFor();
      const log = page.getByRole('log');
      const bubble = log.getByRole('article').filter({ hasText: 'Here is my card' });
      await bubble.getByText('Here is my card: 4111 11•• •••• 1111, 12/29').waitFor();
      await bubble.getByRole('note').getByText(tr('cards.redacted'), { exact: true }).waitFor();
      await bubble.getByRole('button', { name: tr('cards.answer') }).click();
      const box = page.getByRole('combobox', { name: tr('composer.messageLabel') });
      // The click fills the composer on React's next render, not before the click returns.
      await expect.poll(() => box.inputValue()).toBe(tr('cards.readyReply'));
      await page.locator('.composer-area').getByText('Here is my card: 4111 11•• •••• 1111, 12/29').waitFor();

      // An order number is no card: no note there.
      await conversationRow(session, other.name).click();
      await heading(session, other.name).waitFor();
      await log.getByText('Order 1234567890123 is late').waitFor();
      expect(await log.locator('.card-redacted-note').count()).toBe(0);

      const shown = await page.locator('body').innerText();
      expect(shown).not.toContain('4111 1111 1111 1111');
      expect(shown).not.toContain('4111111111111111');
      expect(session.app.complaints).toEqual([]);
    });
  }
});
