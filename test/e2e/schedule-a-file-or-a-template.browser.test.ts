/**
 * The schedule dialog takes what a send takes, in English and in Italian, in real Chromium over a
 * listening server: a file main picks and uploads (as the composer's attachments), with the text as
 * its caption and the template to send instead if the window has closed, chosen through the
 * template picker; and a template, chosen through the same picker and filled in with its preview,
 * refused while a value is missing. The server holds what the dialog scheduled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer } from '../helpers/conversations.js';
import { PNG } from '../helpers/file-samples.js';
import { eventually } from '../helpers/store-queries.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';
import { customerSays } from './harness/customer-activity.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

describe('a file or a template scheduled', () => {
  let e2e: E2eEnvironment;
  beforeAll(async () => {
    e2e = await startE2e();
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
  });

  for (const [index, language] of (['en', 'it'] satisfies UiLanguage[]).entries()) {
    it(`is chosen in the dialog: a file with its fallback template, and a template with its values (${language})`, { timeout: 120_000 }, async () => {
      const session: Session = await e2e.open(language);
      const { tr, stack } = session;
      await reachInbox(session, { username: `schedfile${language}`, displayName: 'Anna Bianchi', roles: ['agent'] });
      const { page } = session.app;
      const writer = customer(stack.t, index);
      await customerSays(stack.t, writer, 'Mi mandate la ricevuta domani?');
      await conversationRow(session, writer.name).click();
      await heading(session, writer.name).waitFor();
      const { db } = stack.t.server.database;
      const newest = () =>
        db.selectFrom('scheduled_messages').select(['id', 'state', 'content_json', 'fallback_json']).orderBy('id', 'desc').executeTakeFirst();
      const dialogTitle = tr('schedule.dialogTitle');
      const open = async () => {
        await page.getByRole('button', { name: tr('schedule.schedule'), exact: true }).click();
        const dialog = page.getByRole('dialog', { name: dialogTitle });
        await dialog.waitFor();
        return dialog;
      };
      const choose = (scope: ReturnType<typeof page.getByRole>, name: string, code: string) =>
        scope.getByRole('button', { name: tr('templates.choose', { name, language: code }) });

      // A file, picked through main, with a caption, and hello_world if the window has closed by then.
      const dialog = await open();
      await dialog.getByLabel(tr('schedule.what')).selectOption('media');
      await dialog.getByRole('button', { name: tr('schedule.confirm') }).click();
      await dialog.getByText(tr('schedule.needsFile')).waitFor();
      stack.platform.desktop.nextFile = { name: 'ricevuta.png', bytes: PNG };
      await dialog.getByRole('button', { name: tr('schedule.attach') }).click();
      await dialog.getByText('ricevuta.png').waitFor();
      await dialog.getByLabel(tr('schedule.caption')).fill('La ricevuta del suo ordine');
      const fallback = dialog.getByRole('group', { name: tr('schedule.fallback') });
      await fallback.getByRole('button', { name: tr('schedule.fallbackChoose') }).click();
      await choose(fallback, 'hello_world', 'en_US').click();
      await fallback.getByText('hello_world').waitFor();
      await dialog.getByRole('button', { name: tr('schedule.confirm') }).click();
      await dialog.waitFor({ state: 'detached' });
      const list = page.getByRole('region', { name: tr('schedule.listLabel') });
      await list.getByRole('listitem').filter({ hasText: 'La ricevuta del suo ordine' }).waitFor();
      const media = await newest();
      expect(JSON.parse(media?.content_json ?? '{}')).toEqual({ kind: 'media', mediaId: expect.any(Number), caption: 'La ricevuta del suo ordine' });
      expect(JSON.parse(media?.fallback_json ?? '{}')).toEqual({ name: 'hello_world', languageCode: 'en_US', components: [] });
      const upload = await db
        .selectFrom('media')
        .select(['id', 'filename'])
        .where('id', '=', (JSON.parse(media?.content_json ?? '{}') as { mediaId: number }).mediaId)
        .executeTakeFirst();
      expect(upload?.filename).toBe('ricevuta.png');

      // A template, through the picker, its values filled with the preview; refused while one is missing.
      const again = await open();
      await again.getByLabel(tr('schedule.what')).selectOption('template');
      const chosen = again.getByRole('group', { name: tr('schedule.templateLabel') });
      await chosen.getByLabel(tr('templates.search')).fill(language === 'en' ? 'shipped' : 'partito');
      const code = language === 'en' ? 'en_US' : 'it';
      await choose(chosen, 'order_shipped', code).click();
      await chosen.getByLabel(tr('templates.header.text', { name: '1' })).fill('A-20417');
      await chosen.getByLabel(tr('templates.bodyVariable', { name: '1' })).fill(writer.name);
      await chosen.getByLabel(tr('templates.bodyVariable', { name: '2' })).fill('A-20417');
      await again.getByRole('button', { name: tr('schedule.confirm') }).click();
      await again.getByText(tr('schedule.needsTemplate')).waitFor();
      await chosen.getByLabel(tr('templates.bodyVariable', { name: '3' })).fill(language === 'en' ? 'on Friday' : 'venerdì');
      await chosen.getByLabel(tr('templates.buttonVariable', { text: language === 'en' ? 'Track order' : 'Segui l’ordine' })).fill('A-20417');
      await chosen
        .getByRole('figure', { name: tr('templates.preview') })
        .getByText(writer.name, { exact: false })
        .waitFor();
      await again.getByRole('button', { name: tr('schedule.confirm') }).click();
      await again.waitFor({ state: 'detached' });
      await list.getByRole('listitem').filter({ hasText: 'order_shipped' }).waitFor();
      await eventually(async () => ((await newest())?.content_json.includes('order_shipped') === true ? true : undefined), 5000, 'the template to be stored');
      const template = JSON.parse((await newest())?.content_json ?? '{}') as { kind: string; name: string; languageCode: string; components: unknown[] };
      expect(template).toMatchObject({ kind: 'template', name: 'order_shipped', languageCode: code });
      expect(JSON.stringify(template.components)).toContain(writer.name);
      expect(stack.t.sandbox.graph.accepted.filter((sent) => JSON.stringify(sent.body).includes('order_shipped'))).toEqual([]);
    });
  }
});
