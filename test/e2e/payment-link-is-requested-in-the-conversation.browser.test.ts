/**
 * A payment is asked for with a link, never a card number, in English and in Italian: with Stripe
 * set as the provider, the note on a customer's hidden card offers "Request payment"; the dialog
 * refuses an amount that is not one and sends nothing; a good request makes a Payment Link at the
 * sandbox's Stripe stand-in with the configured key, the link reaches the customer through the
 * Graph stand-in as the agent's message, and the conversation shows it and its history line. A
 * card number typed in the composer holds Send and offers the same dialog.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer } from '../helpers/conversations.js';
import { screenshot } from '../helpers/browser-screenshot.js';
import { IT } from '../helpers/identity-setup.js';
import { eventually } from '../helpers/store-queries.js';
import type { TestServer } from '../helpers/test-server.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';
import { customerSays } from './harness/customer-activity.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

/** Stripe set as the provider, as an admin does (the key sealed under the server's key). */
async function stripeIsTheProvider(t: TestServer, secretKey: string): Promise<void> {
  await t.server.payments.set({ kind: 'stripe', secretKey }, IT);
}

describe('a payment link requested in the conversation', () => {
  let e2e: E2eEnvironment;
  beforeAll(async () => {
    e2e = await startE2e();
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
  });

  for (const language of ['en', 'it'] satisfies UiLanguage[]) {
    it(`is offered where a card is hidden or refused, and sends a Stripe link (${language})`, { timeout: 120_000 }, async () => {
      const session: Session = await e2e.open(language);
      const { tr, stack } = session;
      const secretKey = `sk_test_${crypto.randomBytes(12).toString('hex')}`;
      await stripeIsTheProvider(stack.t, secretKey);
      await reachInbox(session, { username: `pay${language}`, displayName: 'Sara Neri', roles: ['supervisor'] });
      const { page } = session.app;
      const payer = customer(stack.t, 0);
      await customerSays(stack.t, payer, 'Can I pay with my card 4111 1111 1111 1111?');

      await conversationRow(session, payer.name).click();
      await heading(session, payer.name).waitFor();
      const log = page.getByRole('log');
      const bubble = log.getByRole('article').filter({ hasText: 'Can I pay with my card' });
      await bubble
        .getByRole('note')
        .getByRole('button', { name: tr('payments.request') })
        .click();
      const dialog = page.getByRole('dialog', { name: tr('payments.dialogTitle') });
      await dialog.waitFor();

      // Not an amount: said at once, and nothing leaves.
      const stripeCalls = stack.t.sandbox.stripe.calls.length;
      await dialog.getByLabel(tr('payments.amountLabel')).fill('0');
      await dialog.getByLabel(tr('payments.descriptionLabel')).fill('Order 1234');
      await dialog.getByRole('button', { name: tr('payments.send') }).click();
      await dialog.getByRole('alert').getByText(tr('payments.amountInvalid')).waitFor();
      expect(stack.t.sandbox.stripe.calls.length).toBe(stripeCalls);

      await dialog.getByLabel(tr('payments.amountLabel')).fill('12,50');
      await dialog.getByLabel(tr('payments.currencyLabel')).selectOption('EUR');
      await screenshot(page, `payment-dialog-${language}`);
      await dialog.getByRole('button', { name: tr('payments.send') }).click();
      await dialog.waitFor({ state: 'detached' });

      const link = stack.t.sandbox.stripe.paymentLinks.at(-1);
      expect(typeof link?.url).toBe('string');
      const url = String(link?.url);
      expect(stack.t.sandbox.stripe.calls.slice(stripeCalls).map((call) => [call.path, call.secretKey])).toEqual([
        ['/v1/prices', secretKey],
        ['/v1/payment_links', secretKey],
      ]);
      await log.getByRole('article').filter({ hasText: url }).waitFor();
      await log.getByText(tr('payments.system.requested', { who: 'Sara Neri', amount: 'EUR 12.50', description: 'Order 1234' }), { exact: false }).waitFor();
      const reachedWhatsApp = await eventually(
        async () => {
          await Promise.resolve();
          const sent = stack.t.sandbox.graph.accepted.filter((message) => JSON.stringify(message.body).includes(url));
          return sent.length > 0 ? sent : undefined;
        },
        10_000,
        'the link reaches the customer through Graph',
      );
      expect(reachedWhatsApp).toHaveLength(1);
      await screenshot(page, `payment-link-sent-${language}`);

      // A card number typed into the reply holds Send and offers the link instead.
      const box = page.getByRole('combobox', { name: tr('composer.messageLabel') });
      await box.fill('My card is 4111 1111 1111 1111');
      await page.locator('.card-number-warning').getByText(tr('cards.outboundWarning')).waitFor();
      expect(await page.getByRole('button', { name: tr('composer.send'), exact: true }).isDisabled()).toBe(true);
      await screenshot(page, `payment-offered-for-a-refused-card-${language}`);
      await page
        .locator('.card-number-warning')
        .getByRole('button', { name: tr('payments.requestInstead') })
        .click();
      await dialog.waitFor();
      await dialog.getByRole('button', { name: tr('common.cancel') }).click();
      await dialog.waitFor({ state: 'detached' });

      expect(await page.locator('body').innerText()).not.toContain(secretKey);
      expect(session.app.complaints).toEqual([]);
    });
  }
});
