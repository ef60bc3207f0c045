/**
 * Answering a customer whose 24-hour window has closed, in English and in Italian: the composer
 * offers the sandbox's approved templates (synced from the Graph stand-in) with their category,
 * the customer's language first; the chosen one is filled in with its preview following every
 * keystroke; Send is refused, with the problem named, while a value is missing; once complete it
 * goes to Meta with the values in place and shows in the conversation. The admin's Templates
 * screen lists them with status, category and quality, and its link to WhatsApp Manager goes
 * through main, which asks before it opens anything. A template Meta pauses while it is on screen
 * is shown paused at once and cannot be sent, and a marketing one is refused, with why, to a
 * customer who stopped marketing messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/browser-screenshot.js';
import { eventually } from '../helpers/store-queries.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';
import { customerSays, customerStopsMarketing } from './harness/customer-activity.js';
import { customer } from '../helpers/conversations.js';
import { customerWroteTwoDaysAgo, PICTURED } from './template-screens.js';

/** The sandbox's hello_world in en_US (server/sandbox/template-stand-in.ts): Meta's id of it. */
const HELLO_WORLD_EN_US = '900000000000101';

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
      const choose = (name: string, code: string) => picker.getByRole('button', { name: tr('templates.choose', { name, language: code }) });
      const itemOf = (name: string, code: string) =>
        picker.getByRole('listitem').filter({ has: page.getByRole('button', { name: tr('templates.choose', { name, language: code }) }) });
      // The customer's language first, each with its category and that Meta bills it.
      const first = picker.getByRole('region', { name: tr('templates.inConversationLanguage', { language }) });
      await first.getByRole('button', { name: tr('templates.choose', { name: pictured.template, language: pictured.language }) }).waitFor();
      const shipped = itemOf(pictured.template, pictured.language);
      await shipped.getByText(tr('templates.category.UTILITY'), { exact: true }).waitFor();
      await shipped.getByText(tr('templates.paid', { category: tr('templates.category.UTILITY').toLowerCase() })).waitFor();
      // Paused by Meta: shown, with why, and it cannot be chosen; one pending review is not offered.
      await itemOf('loyalty_points', language).getByText(tr('templates.unavailable.PAUSED')).waitFor();
      expect(await choose('loyalty_points', language).isDisabled()).toBe(true);
      expect(await choose('order_confirmation', 'en_US').count()).toBe(0);
      await screenshot(page, `template-picker-${language}`);
      // A search that matches nothing says so; the template's words find it.
      await picker.getByLabel(tr('templates.search')).fill('zzz-nothing');
      await picker.getByText(tr('templates.none')).waitFor();
      await picker.getByLabel(tr('templates.search')).fill(pictured.search);
      await choose(pictured.template, pictured.language).click();

      const form = page.getByRole('form', { name: tr('templates.formLabel') });
      const preview = form.getByRole('figure', { name: tr('templates.preview') });
      const send = form.getByRole('button', { name: tr('templates.send'), exact: true });
      const [name, order, when] = pictured.body;
      await form.getByLabel(tr('templates.header.text', { name: '1' })).fill(pictured.header);
      await form.getByLabel(tr('templates.bodyVariable', { name: '1' })).fill(name);
      await preview.getByText(name, { exact: false }).waitFor();
      await form.getByLabel(tr('templates.bodyVariable', { name: '2' })).fill(order);
      await form.getByLabel(tr('templates.buttonVariable', { text: language === 'en' ? 'Track order' : 'Segui l’ordine' })).fill(pictured.button);
      // The third value is missing: Send is refused, the form says what is missing, the preview shows the gap.
      const missing = tr('templates.problem.missing', { part: tr('templates.bodyVariable', { name: '3' }) });
      await form.getByRole('status').getByText(missing).waitFor();
      expect(await form.getByRole('status').getByRole('listitem').count()).toBe(1);
      expect(await send.isDisabled()).toBe(true);
      await preview.getByText('{{3}}').waitFor();
      await screenshot(page, `template-value-missing-${language}`);

      await form.getByLabel(tr('templates.bodyVariable', { name: '3' })).fill(when);
      await preview.getByText(when, { exact: false }).waitFor();
      await form.getByRole('status').waitFor({ state: 'detached' });
      const sentBefore = stack.t.sandbox.graph.accepted.length;
      await send.click();

      const reached = await eventually(
        () => Promise.resolve(stack.t.sandbox.graph.accepted.slice(sentBefore).find((message) => JSON.stringify(message.body).includes(when))),
        15_000,
        'the template reaches Meta',
      );
      const body = JSON.stringify(reached.body);
      expect(body).toContain(`"name":"${pictured.template}"`);
      for (const value of [pictured.header, name, order]) expect(body).toContain(value);
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

  it(
    'shows one Meta pauses at once, a marketing one as refused to a customer who stopped marketing, and is there on demand while the window is open',
    { timeout: 120_000 },
    async () => {
      const session: Session = await e2e.open('en');
      const { tr, stack } = session;
      const { page } = session.app;
      await reachInbox(session, { username: 'tplpause', displayName: 'Sara Neri', roles: ['agent'] });
      const writer = await customerWroteTwoDaysAgo(stack.t, 'en', PICTURED.en.customer, PICTURED.en.asks);
      await customerStopsMarketing(stack.t, writer);
      await conversationRow(session, writer.name).click();
      await heading(session, writer.name).waitFor();
      const picker = page.getByRole('group', { name: tr('templates.pickerLabel') });
      const choose = (name: string, code: string) => page.getByRole('button', { name: tr('templates.choose', { name, language: code }) });
      const itemOf = (name: string, code: string) => picker.getByRole('listitem').filter({ has: choose(name, code) });
      await itemOf('summer_sale', 'en').getByText(tr('templates.unavailable.optedOut')).waitFor();
      expect(await choose('summer_sale', 'en').isDisabled()).toBe(true);

      // Chosen, complete (it takes no value), and then Meta pauses it: said at once, and Send is refused.
      await choose('hello_world', 'en_US').click();
      const form = page.getByRole('form', { name: tr('templates.formLabel') });
      const send = form.getByRole('button', { name: tr('templates.send'), exact: true });
      expect(await send.isDisabled()).toBe(false);
      await stack.t.sandbox.graph.setTemplateStatus(HELLO_WORLD_EN_US, 'PAUSED');
      await form.getByRole('alert').getByText(tr('templates.unavailable.PAUSED')).waitFor();
      expect(await send.isDisabled()).toBe(true);
      await form.getByRole('button', { name: tr('templates.change') }).click();
      await itemOf('hello_world', 'en_US').getByText(tr('templates.unavailable.PAUSED')).waitFor();
      expect(await choose('hello_world', 'en_US').isDisabled()).toBe(true);

      // While a window is open the picker is there on demand, and the agent goes back to writing.
      const talking = customer(stack.t, 0);
      await customerSays(stack.t, talking, 'Hello, are you open on Saturday?');
      await conversationRow(session, talking.name).click();
      await heading(session, talking.name).waitFor();
      const box = page.getByRole('combobox', { name: tr('composer.messageLabel'), exact: true });
      await box.waitFor();
      await page.getByRole('button', { name: tr('templates.open'), exact: true }).click();
      await choose('hello_world', 'it').waitFor();
      expect(await box.count()).toBe(0);
      await page.getByRole('button', { name: tr('templates.close'), exact: true }).click();
      await box.waitFor();
      expect(session.app.complaints).toEqual([]);
    },
  );

  it('are listed for the admin with status, category and quality, and WhatsApp Manager opens through main', { timeout: 120_000 }, async () => {
    const session: Session = await e2e.open('en');
    const { tr, stack } = session;
    const { page } = session.app;
    await reachInbox(session, { username: 'tpladmin', displayName: 'Giulia Neri', roles: ['admin'] });
    await page.getByRole('button', { name: tr('templates.section'), exact: true }).click();
    const row = page.getByRole('table').getByRole('row').filter({ hasText: PICTURED.en.template }).first();
    await row.getByText(tr('templates.status.APPROVED')).waitFor();
    await row.getByText(tr('templates.category.UTILITY'), { exact: true }).waitFor();
    await row.getByText(tr('templates.quality.GREEN')).waitFor();
    await screenshot(page, 'admin-templates-en');
    stack.platform.desktop.confirmLinks = false;
    await page.getByRole('button', { name: tr('templates.admin.manager') }).click();
    await expect.poll(() => stack.platform.desktop.linkPrompts.map((prompt) => prompt.host)).toEqual(['business.facebook.com']);
    expect(stack.platform.desktop.opened).toEqual([]);
    expect(session.app.complaints).toEqual([]);
  });
});
