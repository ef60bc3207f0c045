/**
 * Quick replies and labels in Chromium against the real stack, in Italian: a supervisor who is
 * also an administrator adds a global reply and a label on the screen for them (a reply naming an
 * unknown variable is refused in her words, nothing saved); in a conversation, `/` and a few
 * letters offer the reply, the arrows and Enter insert it in her language with the customer's and
 * her own first names filled in, Escape closes the list; a label put on the conversation shows in
 * its header and in the list, and the list's label filter keeps only the conversations carrying it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer, customerWrites } from '../helpers/conversations.js';
import { runEvery } from '../helpers/run-every.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

describe('quick replies and labels in the inbox', () => {
  let e2e: E2eEnvironment;
  let session: Session;
  const customerName = (n: number) => customer(session.stack.t, n).name;

  beforeAll(async () => {
    e2e = await startE2e();
    session = await e2e.open('it');
    await reachInbox(session, { username: 'sara', displayName: 'Sara Conti', roles: ['supervisor', 'admin'] });
    const { t } = session.stack;
    await customerWrites(t, customer(t, 0), 'Il pacco è arrivato rotto');
    await customerWrites(t, customer(t, 1), 'Avete la taglia M?');
  }, 120_000);
  afterAll(async () => {
    const complaints = session?.app.complaints ?? [];
    await runEvery([() => e2e?.close()]);
    expect(complaints).toEqual([]);
  });

  it('adds a global quick reply and a label on the screen for them, refusing a reply with an unknown variable in the agent’s words', async () => {
    const { page } = session.app;
    const { tr, stack } = session;
    await page
      .getByRole('navigation', { name: tr('inbox.sectionsLabel') })
      .getByRole('button', { name: tr('inbox.section.replies') })
      .click();
    const replyForm = page.locator('form.quick-reply-form');
    await replyForm.getByLabel(tr('quickReplies.shortcut')).fill('grazie');
    await replyForm.getByLabel(tr('quickReplies.textEn')).fill('Thank you {{customer.first_name}}, {{agent.first_name}} here.');
    await replyForm.getByLabel(tr('quickReplies.textIt')).fill('Grazie {{customer.first_name}}, sono {{agent.first_name}} di {{business.name}}.');
    await replyForm.getByRole('button', { name: tr('quickReplies.save') }).click();
    await page
      .getByRole('status')
      .filter({ hasText: tr('quickReplies.saved', { shortcut: 'grazie' }) })
      .waitFor();
    await page.getByRole('cell', { name: '/grazie', exact: true }).waitFor();

    await replyForm.getByLabel(tr('quickReplies.shortcut')).fill('saluti');
    await replyForm.getByLabel(tr('quickReplies.textIt')).fill('Ciao {{cliente.nome}}');
    await replyForm.getByRole('button', { name: tr('quickReplies.save') }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: tr('errors.quick_reply_variable_unknown') })
      .waitFor();
    const stored = await stack.t.server.database.db.selectFrom('quick_replies').select('shortcut').execute();
    expect(stored.map((row) => row.shortcut)).toEqual(['grazie']);

    const labelForm = page.locator('form.label-form');
    await labelForm.getByLabel(tr('labels.name')).fill('Reso');
    await labelForm.getByLabel(tr('labels.colors.orange')).check();
    await labelForm.getByRole('button', { name: tr('labels.save') }).click();
    await page
      .getByRole('status')
      .filter({ hasText: tr('labels.saved', { name: 'Reso' }) })
      .waitFor();
  });

  it('offers the reply as / is typed in the composer and inserts it with the keyboard, filled in for the conversation', async () => {
    const { page } = session.app;
    const { tr } = session;
    await page
      .getByRole('navigation', { name: tr('inbox.sectionsLabel') })
      .getByRole('button', { name: tr('inbox.section.conversations') })
      .click();
    await conversationRow(session, customerName(0)).click();
    await heading(session, customerName(0)).waitFor();
    const box = page.getByRole('combobox', { name: tr('composer.messageLabel') });
    await box.focus();
    await page.keyboard.type('/');
    const list = page.getByRole('listbox', { name: tr('quickReplies.listLabel') });
    const firstName = customerName(0).split(' ')[0] ?? '';
    const filled = `Grazie ${firstName}, sono Sara di ${session.stack.t.sandbox.business.displayName ?? ''}.`;
    await list.getByRole('option').first().waitFor();
    // Escape closes the list and keeps what was typed.
    await page.keyboard.press('Escape');
    expect(await list.isHidden()).toBe(true);
    expect(await box.inputValue()).toBe('/');
    await box.fill('');
    await page.keyboard.type('Buongiorno! /gra');
    const option = list.getByRole('option');
    await option.first().waitFor();
    expect(await option.allTextContents()).toEqual([`/grazie ${filled}`]);
    expect(await option.first().getAttribute('aria-selected')).toBe('true');
    expect(await box.getAttribute('aria-activedescendant')).toBe(await option.first().getAttribute('id'));
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await box.inputValue()).toBe(`Buongiorno! ${filled}`);
    expect(await list.isHidden()).toBe(true);
    // Typed on at once: what follows goes after the reply.
    await page.keyboard.type(' A presto');
    expect(await box.inputValue()).toBe(`Buongiorno! ${filled} A presto`);
    await box.fill('');
  });

  it('puts a label on the conversation, shows it in the header and the list, and filters the list by it', async () => {
    const { page } = session.app;
    const { tr } = session;
    await page.getByRole('combobox', { name: tr('labels.add') }).selectOption({ label: 'Reso' });
    const header = page.locator('.conversation-header');
    await header.getByRole('listitem').filter({ hasText: 'Reso' }).waitFor();
    await conversationRow(session, customerName(0)).getByText('Reso').waitFor();
    expect(await conversationRow(session, customerName(1)).getByText('Reso').count()).toBe(0);
    // The contact panel lists it too.
    const contact = page.getByRole('complementary', { name: tr('desk.contact.title') });
    await contact
      .getByRole('region', { name: tr('labels.title') })
      .getByRole('listitem')
      .filter({ hasText: 'Reso' })
      .waitFor();

    const filter = page.getByRole('combobox', { name: tr('labels.filterLabel') });
    await filter.selectOption({ label: 'Reso' });
    await expect
      .poll(() =>
        page
          .getByRole('list', { name: tr('conversations.listLabel') })
          .getByRole('button')
          .count(),
      )
      .toBe(1);
    expect(await conversationRow(session, customerName(0)).count()).toBe(1);
    await filter.selectOption({ label: tr('labels.anyLabel') });
    await conversationRow(session, customerName(1)).waitFor();

    // Taken off again with its own button, by name.
    await header.getByRole('button', { name: tr('labels.remove', { name: 'Reso' }) }).click();
    await expect.poll(() => header.getByRole('listitem').filter({ hasText: 'Reso' }).count()).toBe(0);
    await expect.poll(() => conversationRow(session, customerName(0)).getByText('Reso').count()).toBe(0);
    await contact
      .getByRole('region', { name: tr('labels.title') })
      .getByText(tr('labels.none'))
      .waitFor();
  });
});
