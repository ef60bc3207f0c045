/**
 * Answering a customer whose 24-hour window has closed, in English and in Italian: the composer
 * offers the sandbox's approved templates (synced from the Graph stand-in) with their category,
 * the customer's language first; the chosen one is filled in with its preview following every
 * keystroke; Send is refused, with the problem named, while a value is missing; once complete it
 * goes to Meta with the values in place and shows in the conversation. The admin's Templates
 * screen lists them with status, category and quality, and its link to WhatsApp Manager goes
 * through main, which asks before it opens anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/store-queries.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';
import { customerWroteTwoDaysAgo, PICTURED } from './template-screens.js';

describe('a template for a closed window', () => {
  let e2e: E2eEnvironment;
  beforeAll(async () => {
    e2e = await startE2e();
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
  });

  for (const language of ['en', 'it'] satisfies UiLanguage[]) {
    it(`is picked, filled with its preview, refused while a value is missing, and sent (${language})`, { timeout: 120_000 }, async () => {
      const session: Session = await e2e.open(language);
      const { tr, stack } = session;
      const { page } = session.app;
      await reachInbox(session, { username: `tpl${language}`, displayName: 'Sara Neri', roles: ['agent'] });
      const pictured = PICTURED[language];
      await customerWroteTwoDaysAgo(stack.t, language, pictured.customer, pictured.asks);
      await conversationRow(session, pictured.customer).click();
      await heading(session, pictured.customer).waitFor();
      await page.getByText(tr('templates.windowClosed')).waitFor();
      expect(await page.getByRole('combobox', { name: tr('composer.messageLabel'), exact: true }).count()).toBe(0);

      const picker = page.getByRole('group', { name: tr('templates.pickerLabel') });
      const choose = picker.getByRole('button', { name: tr('templates.choose', { name: pictured.template, language: pictured.language }) });
      const item = picker.getByRole('listitem').filter({ has: choose });
      await item.getByText(tr('templates.category.UTILITY')).waitFor();
      await item.getByText(tr('templates.paid', { category: tr('templates.category.UTILITY').toLowerCase() })).waitFor();
      // A search that matches nothing says so; the template's words find it.
      await picker.getByLabel(tr('templates.search')).fill('zzz-nothing');
      await picker.getByText(tr('templates.none')).waitFor();
      await picker.getByLabel(tr('templates.search')).fill(language === 'en' ? 'order' : 'ordine');
      await choose.click();

      const form = page.getByRole('form', { name: tr('templates.formLabel') });
      const preview = form.getByRole('figure', { name: tr('templates.preview') });
      const send = form.getByRole('button', { name: tr('templates.send'), exact: true });
      const [first, second] = pictured.values;
      await form.getByLabel(tr('templates.bodyVariable', { name: '1' })).fill(first);
      await preview.getByText(first, { exact: false }).waitFor();
      // The second value is missing: Send is refused, and the form says what is missing.
      const missing = tr('templates.problem.missing', { part: tr('templates.bodyVariable', { name: '2' }) });
      await form.getByRole('status').getByText(missing).waitFor();
      expect(await send.isDisabled()).toBe(true);
      await preview.getByText('{{2}}').waitFor();

      await form.getByLabel(tr('templates.bodyVariable', { name: '2' })).fill(second);
      await preview.getByText(second, { exact: false }).waitFor();
      await form.getByRole('status').waitFor({ state: 'detached' });
      const sentBefore = stack.t.sandbox.graph.accepted.length;
      await send.click();

      const reached = await eventually(
        () => Promise.resolve(stack.t.sandbox.graph.accepted.slice(sentBefore).find((message) => JSON.stringify(message.body).includes(second))),
        15_000,
        'the template reaches Meta',
      );
      const body = JSON.stringify(reached.body);
      expect(body).toContain(`"name":"${pictured.template}"`);
      expect(body).toContain(first);
      await page
        .getByRole('log')
        .getByRole('article')
        .filter({ hasText: tr('template.sent', { name: pictured.template, language: pictured.language }) })
        .waitFor();
      // Sent: the composer offers the templates again.
      await picker.waitFor();
      expect(session.app.complaints).toEqual([]);
    });
  }

  it('are listed for the admin with status, category and quality, and WhatsApp Manager opens through main', { timeout: 120_000 }, async () => {
    const session: Session = await e2e.open('en');
    const { tr, stack } = session;
    const { page } = session.app;
    await reachInbox(session, { username: 'tpladmin', displayName: 'Giulia Neri', roles: ['admin'] });
    await page.getByRole('button', { name: tr('templates.section'), exact: true }).click();
    const row = page.getByRole('table').getByRole('row').filter({ hasText: PICTURED.en.template }).first();
    await row.getByText(tr('templates.status.APPROVED')).waitFor();
    await row.getByText(tr('templates.category.UTILITY')).waitFor();
    await row.getByText(tr('templates.quality.GREEN')).waitFor();
    stack.platform.desktop.confirmLinks = false;
    await page.getByRole('button', { name: tr('templates.admin.manager') }).click();
    await expect.poll(() => stack.platform.desktop.linkPrompts.map((prompt) => prompt.host)).toEqual(['business.facebook.com']);
    expect(stack.platform.desktop.opened).toEqual([]);
    expect(session.app.complaints).toEqual([]);
  });
});
