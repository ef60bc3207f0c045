/**
 * An agent who types a message that looks like it carries a one-time code is told why at once, in
 * English and in Italian, and Send becomes two steps: Enter (or Send) only offers "Send anyway",
 * an edit takes the offer back, and only "Send anyway" sends it, confirmed, to the customer. The
 * server holds it without that confirmation (security test).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer } from '../helpers/conversations.js';
import { until } from '../helpers/store-queries.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';
import { customerSays, customerSendsAsIs } from './harness/customer-activity.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

const CODE_TEXT = 'Your code is 482913';

describe('a code typed into the composer', () => {
  let e2e: E2eEnvironment;
  beforeAll(async () => {
    e2e = await startE2e();
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
  });

  for (const language of ['en', 'it'] satisfies UiLanguage[]) {
    it(`is held with the reason, and goes only with Send anyway (${language})`, { timeout: 120_000 }, async () => {
      const session: Session = await e2e.open(language);
      await reachInbox(session, { username: `code${language}`, displayName: 'Luca Bianchi', roles: ['agent'] });
      const { page } = session.app;
      const { tr, stack } = session;
      const caller = customer(stack.t, 0);
      await customerSays(stack.t, caller, 'I got an SMS with a code, what do I do?');
      await conversationRow(session, caller.name).click();
      await heading(session, caller.name).waitFor();
      const sentToMeta = () => stack.t.sandbox.graph.accepted.filter((message) => JSON.stringify(message.body).includes('482913'));

      const box = page.getByRole('combobox', { name: tr('composer.messageLabel') });
      const sendAnyway = page.getByRole('button', { name: tr('codeHold.sendAnyway'), exact: true });
      await box.fill(CODE_TEXT);
      const warning = page.getByRole('alert');
      await warning.getByText(tr('codeHold.reason.one_time_code'), { exact: true }).waitFor();
      await warning.getByText(tr('codeHold.advice'), { exact: true }).waitFor();
      expect(await sendAnyway.count()).toBe(0);

      // The first Enter only asks; a second Enter asks again and still sends nothing.
      await box.press('Enter');
      await sendAnyway.waitFor();
      await box.press('Enter');
      expect(await box.inputValue()).toBe(CODE_TEXT);
      await stack.t.server.dispatcher.settled();
      expect(sentToMeta()).toEqual([]);

      // An edit takes the offer back; the Send button asks again.
      await box.press('End');
      await box.press('Backspace');
      await box.pressSequentially('3');
      expect(await sendAnyway.count()).toBe(0);
      await page.getByRole('button', { name: tr('composer.send'), exact: true }).click();
      await sendAnyway.waitFor();
      expect(sentToMeta()).toEqual([]);

      await sendAnyway.click();
      await page.getByRole('log').getByText(CODE_TEXT).waitFor();
      await until('the sandbox got the confirmed message', () => Promise.resolve(sentToMeta().length === 1));
      await expect.poll(() => box.inputValue()).toBe('');
      expect(await page.getByText(tr('codeHold.advice'), { exact: true }).count()).toBe(0);
      // The composer held it itself: the server never had to, and recorded the one confirmation.
      const recorded = await stack.t.server.database.db.selectFrom('audit_log').select('event').where('event', 'like', 'safety.codes.%').execute();
      expect(recorded.map((row) => row.event)).toEqual(['safety.codes.confirmed']);
      expect(session.app.complaints).toEqual([]);
    });
  }

  it('is held in a template’s values too, and goes only with Send anyway', { timeout: 120_000 }, async () => {
    const session: Session = await e2e.open('en');
    await reachInbox(session, { username: 'codetemplate', displayName: 'Luca Bianchi', roles: ['agent'] });
    const { page } = session.app;
    const { tr, stack } = session;
    // The customer wrote two days ago: the window is closed, only a template may go.
    const caller = customer(stack.t, 1);
    await customerSendsAsIs(stack.t, caller, { type: 'text', text: { body: 'Any news?' } }, { timestampMs: Date.now() - 48 * 3_600_000 });
    await conversationRow(session, caller.name).click();
    await heading(session, caller.name).waitFor();
    const picker = page.getByRole('group', { name: tr('templates.pickerLabel') });
    // The sandbox's order update: "Hi {{1}}, there is news about your order."
    await picker.getByRole('button', { name: tr('templates.choose', { name: 'order_update', language: 'en_US' }) }).click();
    const form = page.getByRole('form', { name: tr('templates.formLabel') });
    await form.getByLabel(tr('templates.bodyVariable', { name: '1' })).fill('604 211');
    await form.getByRole('alert').getByText(tr('codeHold.reason.lone_six_digits'), { exact: true }).waitFor();
    const sentToMeta = () => stack.t.sandbox.graph.accepted.filter((message) => JSON.stringify(message.body).includes('604 211'));

    await form.getByRole('button', { name: tr('templates.send'), exact: true }).click();
    const sendAnyway = form.getByRole('button', { name: tr('codeHold.sendAnyway'), exact: true });
    await sendAnyway.waitFor();
    await stack.t.server.dispatcher.settled();
    expect(sentToMeta()).toEqual([]);
    await sendAnyway.click();
    await until('the sandbox got the confirmed template', () => Promise.resolve(sentToMeta().length === 1));
    await form.waitFor({ state: 'detached' });
    expect(session.app.complaints).toEqual([]);
  });
});
