/**
 * Regression, in the picker: a template's image header chosen through main (the file dialog, then
 * the upload) went to Meta with our upload's id as if it were Meta's media id. Now the picker
 * names the upload, and the server uploads the file to Meta when the message goes and names
 * Meta's id in the header; the Graph stand-in takes only ids it issued. A file of a kind the header
 * does not take is said at once and cannot be sent. Real Chromium on the built renderer, the real
 * main core, and a listening server with the sandbox on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG, pdf } from '../helpers/file-samples.js';
import { eventually } from '../helpers/store-queries.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';
import { customerWroteTwoDaysAgo } from './template-screens.js';

describe('a template with an image header', () => {
  let e2e: E2eEnvironment;
  beforeAll(async () => {
    e2e = await startE2e();
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
  });

  it('takes the picked image, refuses a document for it, and reaches Meta with the id Meta gave for the file', { timeout: 120_000 }, async () => {
    const session: Session = await e2e.open('en');
    const { tr, stack } = session;
    const { page } = session.app;
    await reachInbox(session, { username: 'tplmedia', displayName: 'Sara Neri', roles: ['agent'] });
    const writer = await customerWroteTwoDaysAgo(stack.t, 'en', 'Olivia Hart', 'Hi, are there any offers this week?');
    await conversationRow(session, writer.name).click();
    await heading(session, writer.name).waitFor();
    const picker = page.getByRole('group', { name: tr('templates.pickerLabel') });
    await picker.getByRole('button', { name: tr('templates.choose', { name: 'summer_sale', language: 'en' }) }).click();

    const form = page.getByRole('form', { name: tr('templates.formLabel') });
    const send = form.getByRole('button', { name: tr('templates.send'), exact: true });
    await form.getByLabel(tr('templates.bodyVariable', { name: 'first_name' })).fill('Olivia');
    await form.getByLabel(tr('templates.bodyVariable', { name: 'code' })).fill('SUMMER20');
    await form.getByLabel(tr('templates.buttonCode', { text: 'Copy code' })).fill('SUMMER20');
    const problems = form.getByRole('status');
    await problems.getByText(tr('templates.problem.missing', { part: tr('templates.part.header') })).waitFor();
    expect(await send.isDisabled()).toBe(true);

    // A document where the header takes an image: said at once, and Send is refused.
    stack.platform.desktop.nextFile = { name: 'price-list.pdf', bytes: pdf() };
    await form.getByRole('button', { name: tr('templates.header.pick') }).click();
    await form.getByText('price-list.pdf').first().waitFor();
    await problems.getByText(tr('templates.problem.wrong_media', { part: tr('templates.part.header') })).waitFor();
    expect(await send.isDisabled()).toBe(true);

    stack.platform.desktop.nextFile = { name: 'sale.png', bytes: PNG };
    await form.getByRole('button', { name: tr('templates.header.pickAnother') }).click();
    await form.getByText('sale.png').first().waitFor();
    await problems.waitFor({ state: 'detached' });
    const sentBefore = stack.t.sandbox.graph.accepted.length;
    await send.click();

    const reached = await eventually(
      () =>
        Promise.resolve(
          stack.t.sandbox.graph.accepted.slice(sentBefore).find((message) => (message.body.template as { name?: string } | undefined)?.name === 'summer_sale'),
        ),
      15_000,
      'the template reaches Meta',
    );
    const db = stack.t.server.database.db;
    const stored = await db
      .selectFrom('messages')
      .innerJoin('media', 'media.id', 'messages.media_id')
      .select(['messages.status', 'media.id', 'media.filename', 'media.graph_media_id'])
      .where('messages.type', '=', 'template')
      .orderBy('messages.id', 'desc')
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ filename: 'sale.png', graph_media_id: expect.stringMatching(/^\d{15,}$/) });
    expect(stored.graph_media_id).not.toBe(String(stored.id));
    const header = (reached.body.template as { components: unknown[] }).components[0];
    expect(header).toEqual({ type: 'header', parameters: [{ type: 'image', image: { id: stored.graph_media_id } }] });
    // The conversation shows the template with its header's image.
    const sent = page
      .getByRole('log')
      .getByRole('article')
      .filter({ hasText: tr('template.sent', { name: 'summer_sale', language: 'en' }) });
    await sent.waitFor();
    await sent.getByRole('img').first().waitFor();
    expect(session.app.complaints).toEqual([]);
  });
});
