/**
 * A message scheduled from the composer, in English and in Italian, in real Chromium over a
 * listening server: "Schedule" takes the text typed so far into a dialog with a date and a time
 * in the agent's time zone; once scheduled it is shown in the conversation as scheduled; Edit
 * changes its text (the server holds the new one), and Cancel stops it (the server holds it
 * cancelled, and nothing reached the Graph stand-in).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer } from '../helpers/conversations.js';
import { screenshot } from '../helpers/browser-screenshot.js';
import { eventually } from '../helpers/store-queries.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';
import { customerSays } from './harness/customer-activity.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

describe('a message scheduled in the conversation', () => {
  let e2e: E2eEnvironment;
  beforeAll(async () => {
    e2e = await startE2e();
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
  });

  for (const [index, language] of (['en', 'it'] satisfies UiLanguage[]).entries()) {
    it(`is scheduled from the composer, edited and cancelled (${language})`, { timeout: 120_000 }, async () => {
      const session: Session = await e2e.open(language);
      const { tr, stack } = session;
      await reachInbox(session, { username: `sched${language}`, displayName: 'Anna Bianchi', roles: ['agent'] });
      const { page } = session.app;
      const writer = customer(stack.t, index);
      await customerSays(stack.t, writer, 'Could you write to me tomorrow morning?');
      await conversationRow(session, writer.name).click();
      await heading(session, writer.name).waitFor();
      const { db } = stack.t.server.database;
      const rows = () => db.selectFrom('scheduled_messages').select(['id', 'state', 'content_json']).orderBy('id', 'desc').execute();
      const before = (await rows()).length;
      const accepted = stack.t.sandbox.graph.accepted.length;

      await page.getByPlaceholder(tr('composer.placeholder')).fill('Good morning, your order leaves today');
      await page.getByRole('button', { name: tr('schedule.schedule'), exact: true }).click();
      const dialog = page.getByRole('dialog', { name: tr('schedule.dialogTitle') });
      await dialog.waitFor();
      expect(await dialog.getByLabel(tr('schedule.text')).inputValue()).toBe('Good morning, your order leaves today');
      await dialog.getByRole('button', { name: tr('schedule.confirm') }).click();
      await dialog.waitFor({ state: 'detached' });

      const list = page.getByRole('region', { name: tr('schedule.listLabel') });
      const item = list.getByRole('listitem').filter({ hasText: 'Good morning, your order leaves today' });
      await item.waitFor();
      await item.getByText(tr('schedule.state.pending'), { exact: false }).waitFor();
      const [scheduled] = await rows();
      expect((await rows()).length).toBe(before + 1);
      expect(scheduled?.state).toBe('pending');
      await screenshot(page, `conversation-scheduled-${language}`);

      await item.getByRole('button', { name: tr('schedule.edit') }).click();
      const editing = page.getByRole('dialog', { name: tr('schedule.editTitle') });
      await editing.getByLabel(tr('schedule.text')).fill('Good morning, your order left this morning');
      await editing.getByRole('button', { name: tr('schedule.confirm') }).click();
      await editing.waitFor({ state: 'detached' });
      const edited = list.getByRole('listitem').filter({ hasText: 'Good morning, your order left this morning' });
      await edited.waitFor();
      await eventually(
        async () => ((await rows()).find((row) => row.id === scheduled?.id)?.content_json.includes('left this morning') === true ? true : undefined),
        5000,
        'the edit to be stored',
      );

      await edited.getByRole('button', { name: tr('schedule.cancel') }).click();
      await edited.waitFor({ state: 'detached' });
      expect((await rows()).find((row) => row.id === scheduled?.id)?.state).toBe('cancelled');
      expect(stack.t.sandbox.graph.accepted.length).toBe(accepted);
    });
  }
});
