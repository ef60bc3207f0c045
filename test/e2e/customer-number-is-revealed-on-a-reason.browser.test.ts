/**
 * A masked customer number in Chromium against the real stack: the agent opens the
 * conversation; its header and the contact panel show the number masked (`+39 347 ••• ••01`),
 * never the number itself, anywhere on the page. "Reveal" asks why (confirming without a reason
 * is refused with its words and reveals nothing); with a reason the number shows to this agent,
 * the server's audit log holds the reveal with the reason and without the number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskPhoneNumber } from '../../common/numbers/masked-number.js';
import { customer } from '../helpers/conversations.js';
import { conversationsWaitForAReply } from '../helpers/routing-scene.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { customerSays } from './harness/customer-activity.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

const REASON = 'The customer asked to be called back';

describe('a masked customer number', () => {
  let e2e: E2eEnvironment;
  let session: Session;

  beforeAll(async () => {
    e2e = await startE2e();
    session = await e2e.open('en');
    await reachInbox(session, { username: 'paola', displayName: 'Paola Ferri', roles: ['agent'] });
    await conversationsWaitForAReply(session.stack.t);
  }, 120_000);
  afterAll(async () => {
    const complaints = session?.app.complaints ?? [];
    await e2e?.close();
    expect(complaints).toEqual([]);
  });

  it('shows masked, and reveals on a reason, audited without the number', async () => {
    const { app, tr, stack } = session;
    const { page } = app;
    const { t } = stack;
    const buyer = customer(t, 0);
    await customerSays(t, buyer, 'Please call me back');
    await page.getByRole('button', { name: tr('conversations.filter.unassigned'), exact: true }).click();
    await conversationRow(session, buyer.name).click();
    await heading(session, buyer.name).waitFor();

    const masked = maskPhoneNumber(buyer.waId);
    const panel = page.getByRole('complementary', { name: tr('desk.contact.title') });
    await panel.getByText(masked, { exact: true }).waitFor();
    await page.locator('.conversation-header').getByText(masked, { exact: true }).waitFor();
    expect(await page.content()).not.toContain(buyer.waId);

    await panel.getByRole('button', { name: tr('customerNumbers.reveal'), exact: true }).click();
    const dialog = page.getByRole('dialog', { name: tr('customerNumbers.dialogTitle') });
    await dialog.getByRole('button', { name: tr('customerNumbers.confirm'), exact: true }).click();
    await dialog.getByText(tr('customerNumbers.reasonTooShort', { min: 3 })).waitFor();
    const reveals = () => t.server.database.db.selectFrom('audit_log').selectAll().where('event', '=', 'safety.masked_numbers.revealed').execute();
    expect(await reveals()).toEqual([]);

    await dialog.getByLabel(tr('customerNumbers.reasonLabel'), { exact: true }).fill(REASON);
    await dialog.getByRole('button', { name: tr('customerNumbers.confirm'), exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await panel.getByText(`+${buyer.waId}`, { exact: true }).waitFor();
    const [audit, ...more] = await reveals();
    expect(more).toEqual([]);
    expect(JSON.parse(audit?.details_json ?? '{}')).toMatchObject({ reason: REASON });
    expect(JSON.stringify(audit).includes(buyer.waId)).toBe(false);
  });
});
