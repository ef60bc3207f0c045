/**
 * Several business numbers in Chromium against the real stack (the sandbox serves two): the list
 * names each conversation's number and offers a number filter, which the list and the search
 * keep to; the open conversation says which number it is on; an admin's numbers screen shows each
 * number's health (a token Meta refused) and the webhooks kept from a number the server does not
 * serve, and never a token; and an admin adds a number there, gives the refused one a new token
 * (it sends again) and removes one, moving its conversations, each audited under the admin.
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
    await reachInbox(session, { username: 'irene', displayName: 'Irene Costa', roles: ['supervisor', 'admin'] });
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
    expect(await page.getByText(tr('numbers.manageNote')).isVisible()).toBe(true);
    const unknownRow = page.getByRole('row').filter({ hasText: NOT_SERVED.phoneNumberId });
    await unknownRow.getByText(tr('numbers.reasonValue.not_configured')).waitFor();

    const shown = (await page.locator('.admin-screen').textContent()) ?? '';
    for (const secret of [t.sandbox.channel.accessToken, ...t.sandbox.numbers.map((number) => number.accessToken), t.sandbox.channel.appSecret]) {
      expect(shown).not.toContain(secret);
    }
  });

  it('lets an admin add a number, give the refused one a new token and remove one, moving its conversations', async () => {
    const { page } = session.app;
    const { tr, stack } = session;
    const { t } = stack;
    const db = t.server.database.db;
    const addedToken = `EAASCREEN${crypto.randomBytes(24).toString('base64url')}`;
    const newSalesToken = `EAANEWSALES${crypto.randomBytes(24).toString('base64url')}`;
    const added = { phoneNumberId: '100000000000444', wabaId: '200000000000444', displayName: 'Sales Italy' };
    const rowOf = (phoneNumberId: string) => page.getByRole('row').filter({ hasText: phoneNumberId });

    // Add a number: the token input is a password input, empty again once the form is sent.
    const form = page.locator('form.inline-form');
    await form.getByLabel(tr('numbers.displayName')).fill(added.displayName);
    await form.getByLabel(tr('numbers.phoneNumberId')).fill(added.phoneNumberId);
    await form.getByLabel(tr('numbers.wabaId')).fill(added.wabaId);
    const tokenInput = form.getByLabel(tr('numbers.accessToken'));
    expect([await tokenInput.getAttribute('type'), await tokenInput.getAttribute('autocomplete')]).toEqual(['password', 'off']);
    await tokenInput.fill(addedToken);
    await form.getByRole('button', { name: tr('numbers.add') }).click();
    await page.getByText(tr('numbers.added', { name: added.displayName })).waitFor();
    await rowOf(added.phoneNumberId).getByText(tr('numbers.healthValue.ok')).waitFor();
    expect(await form.getByLabel(tr('numbers.accessToken')).inputValue()).toBe('');

    // The settings' number has no Remove.
    expect(
      await rowOf(support.phoneNumberId)
        .getByRole('button', { name: `${tr('numbers.remove')}: ${support.displayName ?? ''}` })
        .count(),
    ).toBe(0);

    // A new token for the refused Sales number: it sends again.
    await rowOf(sales.phoneNumberId)
      .getByRole('button', { name: `${tr('numbers.newToken')}: ${sales.displayName ?? ''}` })
      .click();
    const tokenDialog = page.getByRole('dialog');
    await tokenDialog.getByLabel(tr('numbers.accessToken')).fill(newSalesToken);
    await tokenDialog.getByRole('button', { name: tr('numbers.saveToken') }).click();
    await page.getByText(tr('numbers.tokenReplaced', { name: sales.displayName ?? '' })).waitFor();
    await rowOf(sales.phoneNumberId).getByText(tr('numbers.healthValue.ok')).waitFor();

    // Remove Sales: its conversations must move, and the dialog lists the other numbers.
    const salesConversations = await db.selectFrom('conversations').select('id').where('business_phone_number_id', '=', sales.phoneNumberId).execute();
    expect(salesConversations.length).toBe(2);
    await rowOf(sales.phoneNumberId)
      .getByRole('button', { name: `${tr('numbers.remove')}: ${sales.displayName ?? ''}` })
      .click();
    const removeDialog = page.getByRole('dialog');
    await removeDialog.getByText(tr('numbers.removeMove_other', { count: 2 })).waitFor();
    await removeDialog.getByLabel(tr('numbers.moveTo')).selectOption({ label: `${added.displayName} (${added.phoneNumberId})` });
    await removeDialog.getByRole('button', { name: tr('numbers.remove') }).click();
    await page.getByText(tr('numbers.removedMoved_other', { name: sales.displayName ?? '', count: 2, to: added.displayName })).waitFor();
    await eventually(async () => ((await rowOf(sales.phoneNumberId).count()) === 0 ? true : undefined), 10_000, 'the Sales row gone');
    const moved = await db
      .selectFrom('conversations')
      .select('business_phone_number_id')
      .where(
        'id',
        'in',
        salesConversations.map((row) => row.id),
      )
      .execute();
    expect(moved.map((row) => row.business_phone_number_id)).toEqual([added.phoneNumberId, added.phoneNumberId]);

    // Each act audited under Irene; no token on the screen (nor in an attribute) or in the audit.
    const audit = await db.selectFrom('audit_log').select(['event', 'actor', 'details_json']).where('event', 'like', 'number.%').orderBy('id').execute();
    expect(audit.map((row) => row.event)).toEqual(['number.added', 'number.token_rotated', 'number.removed']);
    for (const row of audit) expect(row.actor).toMatch(/^agent:\d+:irene$/);
    const shown = (await page.locator('.admin-screen').innerHTML()) ?? '';
    for (const secret of [addedToken, newSalesToken]) {
      expect(shown).not.toContain(secret);
      for (const row of audit) expect(row.details_json).not.toContain(secret);
    }
  });
});
