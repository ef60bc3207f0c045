/**
 * An agent who types a card number into a reply or a note is told at once, in English and in
 * Italian, that it cannot be sent, and the composer holds it (Send disabled, Enter sends nothing);
 * without the number the same reply goes. The server refuses it too (security test).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer } from '../helpers/conversations.js';
import { until } from '../helpers/store-queries.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';
import { customerSays } from './harness/customer-activity.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

describe('a card number typed into the composer', () => {
  let e2e: E2eEnvironment;
  beforeAll(async () => {
    e2e = await startE2e();
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
  });

  for (const language of ['en', 'it'] satisfies UiLanguage[]) {
    it(`is held with a warning in a reply and in a note, and the reply goes once it is removed (${language})`, { timeout: 120_000 }, async () => {
      const session: Session = await e2e.open(language);
      await reachInbox(session, { username: `hold${language}`, displayName: 'Sara Neri', roles: ['supervisor'] });
      const { page } = session.app;
      const { tr, stack } = session;
      const payer = customer(stack.t, 0);
      // As the sandbox's customers do, so its Graph stand-in takes our reply inside the 24-hour window.
      await customerSays(stack.t, payer, 'How do I pay?');
      await conversationRow(session, payer.name).click();
      await heading(session, payer.name).waitFor();

      const box = page.getByRole('combobox', { name: tr('composer.messageLabel') });
      const sendButton = page.getByRole('button', { name: tr('composer.send'), exact: true });
      await box.fill('Just give me 4111 1111 1111 1111 and I charge it');
      await page.getByRole('alert').getByText(tr('cards.outboundWarning'), { exact: true }).waitFor();
      expect(await sendButton.isDisabled()).toBe(true);
      await box.press('Enter');
      expect(await box.inputValue()).toContain('4111 1111 1111 1111');

      await box.fill('I will send you a payment link now');
      expect(await page.getByText(tr('cards.outboundWarning'), { exact: true }).count()).toBe(0);
      await sendButton.click();
      await page.getByRole('log').getByText('I will send you a payment link now').waitFor();
      const sentToMeta = () => stack.t.sandbox.graph.accepted.map((message) => JSON.stringify(message.body));
      await until('the sandbox got the reply', () => Promise.resolve(sentToMeta().some((body) => body.includes('I will send you a payment link now'))));
      expect(sentToMeta().some((body) => body.includes('4111'))).toBe(false);

      await page.getByRole('radio', { name: tr('composer.mode.note') }).check();
      const note = page.getByRole('form', { name: tr('notes.formLabel') }).getByRole('combobox');
      await note.fill('Customer card 4111-1111-1111-1111');
      await page.getByRole('alert').getByText(tr('cards.outboundWarning'), { exact: true }).waitFor();
      expect(
        await page
          .getByRole('form', { name: tr('notes.formLabel') })
          .getByRole('button', { name: tr('notes.add') })
          .isDisabled(),
      ).toBe(true);
      expect(session.app.complaints).toEqual([]);
    });
  }
});
