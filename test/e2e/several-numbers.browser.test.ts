/**
 * Several business numbers in Chromium against the real stack (the sandbox serves two): the list
 * names each conversation's number and offers a number filter, which the list and the search
 * keep to; the open conversation says which number it is on; an admin's numbers screen shows each
 * number's health (a token Meta refused) and the webhooks kept from a number the server does not
 * serve, and never a token.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxBusiness } from '../../server/sandbox/webhook-builder.js';
import { customer } from '../helpers/conversations.js';
import { eventually } from '../helpers/store-queries.js';
import { conversationRow, reachInbox, searchBox, searchHits } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { customerSaysTo } from './harness/customer-activity.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

const NOT_SERVED: SandboxBusiness = { wabaId: '200000000000999', phoneNumberId: '100000000000999', displayPhoneNumber: '15550009999' };

describe('several business numbers on the desk', () => {
  let e2e: E2eEnvironment;
  let session: Session;
  let support: SandboxBusiness;
  let sales: SandboxBusiness;

  beforeAll(async () => {
    e2e = await startE2e();
    session = await e2e.open('en', { server: { customers: 4 } });
    await reachInbox(session, { username: 'irene', displayName: 'Irene Costa', role: 'admin' });
    const { t } = session.stack;
    [support, sales] = t.sandbox.businesses as [SandboxBusiness, SandboxBusiness];
    await customerSaysTo(t, support, customer(t, 0), 'Where is my parcel, support?');
    await customerSaysTo(t, sales, customer(t, 1), 'A quote for twelve chairs please');
    // The same person writing to both numbers: two conversations.
    await customerSaysTo(t, sales, customer(t, 0), 'And a quote for a table');
  }, 120_000);
  afterAll(async () => {
    // Closed first, so a complaint fails the file without leaving its browser and servers behind.
    const complaints = session?.app.complaints ?? [];
    await e2e?.close();
    expect(complaints).toEqual([]);
  });

  it('names each conversation’s number, and keeps the list and the search to the number picked', async () => {
    const { page } = session.app;
    const { tr } = session;
    const onSupport = tr('conversations.onNumber', { name: support.displayName ?? '' });
    const onSales = tr('conversations.onNumber', { name: sales.displayName ?? '' });
    const parcel = conversationRow(session, 'Where is my parcel');
    const chairs = conversationRow(session, 'twelve chairs');
    await parcel.getByLabel(onSupport).waitFor();
    await chairs.getByLabel(onSales).waitFor();
    await conversationRow(session, 'a quote for a table').getByLabel(onSales).waitFor();

    // The open conversation says which number it is on: its replies go out from it.
    await parcel.click();
    await page.locator('.conversation-header').getByText(onSupport).waitFor();

    const picker = page.getByLabel(tr('conversations.numberLabel'));
    await picker.selectOption({ label: sales.displayName ?? '' });
    await chairs.waitFor();
    await conversationRow(session, 'a quote for a table').waitFor();
    expect(await parcel.count()).toBe(0);

    // Searching "quote" within Sales finds both of its conversations; "parcel" finds nothing there.
    await searchBox(session).fill('parcel');
    await page.getByText(tr('search.noResults', { query: 'parcel' })).waitFor();
    await searchBox(session).fill('quote');
    await eventually(async () => ((await searchHits(session, 'messages').count()) === 2 ? true : undefined), 10_000, 'both Sales messages found');
    await searchBox(session).press('Escape');
    await picker.selectOption({ label: tr('conversations.anyNumber') });
    await parcel.waitFor();
  });

  it('shows admins each number’s health and the webhooks from a number it does not serve, never a token', async () => {
    const { page } = session.app;
    const { tr, stack } = session;
    const { t } = stack;
    await customerSaysTo(t, NOT_SERVED, customer(t, 2), 'Is this the shop?');
    // Meta refuses the Sales number's token on the next send.
    const chairs = await t.server.database.db
      .selectFrom('conversations')
      .select('id')
      .where('business_phone_number_id', '=', sales.phoneNumberId)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    t.sandbox.graph.injectFaults({ httpStatus: 401, code: 190, message: 'Error validating access token: Session has expired' });
    await t.server.sendService.send({ kind: 'text', idempotencyKey: crypto.randomUUID(), conversationId: chairs.id, text: 'Here is the quote' });
    await t.server.dispatcher.settled();

    await page.getByRole('button', { name: tr('inbox.section.numbers') }).click();
    const salesRow = page.getByRole('row').filter({ hasText: sales.phoneNumberId });
    await salesRow.getByText(tr('numbers.healthValue.needs_reauthorization')).waitFor();
    // What to do about it, in the screen's language (the server's reason is English, for logs and the CLI).
    expect(await salesRow.getByText(tr('numbers.healthDetail.needs_reauthorization')).isVisible()).toBe(true);
    expect(await page.getByRole('row').filter({ hasText: support.phoneNumberId }).getByText(tr('numbers.healthValue.ok')).isVisible()).toBe(true);
    expect(await page.getByText(tr('numbers.cliOnly')).isVisible()).toBe(true);
    const unknownRow = page.getByRole('row').filter({ hasText: NOT_SERVED.phoneNumberId });
    await unknownRow.getByText(tr('numbers.reasonValue.not_configured')).waitFor();

    const shown = (await page.locator('.admin-screen').textContent()) ?? '';
    for (const secret of [t.sandbox.channel.accessToken, ...t.sandbox.numbers.map((number) => number.accessToken), t.sandbox.channel.appSecret]) {
      expect(shown).not.toContain(secret);
    }
  });
});
