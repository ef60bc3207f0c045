/**
 * Every kind of message WhatsApp delivers, rendered: the recorded webhook fixtures go through
 * the real endpoint and feed, and the conversation shows each sensibly. Our own message shows its
 * ticks, and Meta's reason when it fails; links never navigate, they go to main to confirm.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer } from '../helpers/conversations.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { customerSays, fixtureCustomerSendsEverything, metaReportsFailure } from './harness/customer-activity.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

describe('messages of every kind', () => {
  let e2e: E2eEnvironment;
  let session: Session;

  beforeAll(async () => {
    e2e = await startE2e();
    session = await e2e.open('en');
    await reachInbox(session, { username: 'irene', displayName: 'Irene Costa', roles: ['supervisor'] });
  }, 120_000);
  afterAll(async () => {
    // Closed first, so a complaint fails the file without leaving its browser and servers behind.
    const complaints = session?.app.complaints ?? [];
    await e2e?.close();
    expect(complaints).toEqual([]);
  });

  it('shows each kind the fixtures hold, and a closed window asks for a template', async () => {
    const { page } = session.app;
    const { tr } = session;
    await fixtureCustomerSendsEverything(session.stack.t);
    await conversationRow(session, 'Test Name').click();
    await heading(session, 'Test Name').waitFor();
    const log = page.getByRole('log');
    await log.getByText('Body Text', { exact: true }).waitFor();

    const expected = [
      log.getByText('replied text'),
      log.getByRole('list', { name: tr('messageType.contacts') }).getByText('Chandler Bing'),
      log.getByText('Facebook HQ'),
      log.getByRole('button', { name: tr('location.openMap') }),
      log.getByRole('cell', { name: 'HAMBURGER' }),
      log.getByText(tr('interactive.button')),
      log.getByText(tr('interactive.list')),
      log.getByText(tr('interactive.templateButton')),
      log.getByText(tr('system.changedNumber', { number: '+972912345678' })),
      log.getByText(tr('message.unsupportedKind')),
      log.getByText(tr('message.forwarded')),
      log.getByText('filename.pdf'),
    ];
    for (const locator of expected) await locator.first().waitFor();
    // Both unsupported fixtures: one Meta named the kind of, one not.
    await expect(log.locator('.unsupported-notice').count()).resolves.toBe(2);
    // Images, stickers, audio, video and documents each get a preview, a file card or their download state.
    await expect(log.locator('.media-image, .media-placeholder, .media-state, .file-card').count()).resolves.toBeGreaterThanOrEqual(7);
    await page.getByRole('group', { name: tr('templates.pickerLabel') }).waitFor();
    expect(await page.getByRole('combobox', { name: tr('composer.messageLabel'), exact: true }).count()).toBe(0);
  });

  it('opens a link only through main, which asks before leaving the app', async () => {
    const { page } = session.app;
    const { platform } = session.stack;
    const location = page.getByRole('log').getByRole('button', { name: 'https://maps.google.com/?cid=2000000000000000000' });
    expect(await page.getByRole('log').locator('a').count()).toBe(0);
    await location.click();
    await expect.poll(() => platform.desktop.linkPrompts.map((prompt) => prompt.host)).toEqual(['maps.google.com']);
    expect(platform.desktop.opened).toEqual([]);
    expect(page.url()).toMatch(/\/index\.html$/);
  });

  it('shows our reply going out, its ticks, and Meta’s reason when it fails', async () => {
    const { page } = session.app;
    const { tr, stack } = session;
    const writer = customer(stack.t, 1);
    await customerSays(stack.t, writer, 'Is my order on its way?');
    await conversationRow(session, 'Is my order on its way?').click();
    await heading(session, writer.name).waitFor();
    const box = page.getByRole('combobox', { name: tr('composer.messageLabel'), exact: true });
    await box.fill('It left the warehouse this morning.');
    await box.press('Enter');
    const ours = page.locator('.message-outbound').filter({ hasText: 'It left the warehouse this morning.' });
    await ours.getByRole('img', { name: tr('delivery.read') }).waitFor();

    const { db } = stack.t.server.database;
    const sent = await db.selectFrom('messages').select('wamid').where('direction', '=', 'outbound').orderBy('id', 'desc').executeTakeFirstOrThrow();
    if (sent.wamid === null) throw new Error('the reply has no wamid');
    await metaReportsFailure(stack.t, writer, sent.wamid, {
      code: 131026,
      title: 'Message undeliverable',
      details: 'The recipient’s phone number is not a WhatsApp number.',
    });
    const failed = ours.getByRole('button', { name: tr('delivery.failed') });
    await failed.focus();
    const reason = page.getByRole('tooltip');
    await reason.waitFor();
    expect(await reason.textContent()).toContain('Message undeliverable');
  });
});
