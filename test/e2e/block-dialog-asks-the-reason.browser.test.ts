/**
 * Blocking a customer in Chromium against the real stack: the agent opens the conversation,
 * presses Block, and the dialog asks why (confirming without a reason is refused with its words
 * and blocks nothing); with a reason the header shows "Blocked", the composer gives way to the
 * notice (the reason, who and when, and that WhatsApp blocked them too), and the sandbox's Graph
 * holds the customer blocked on the number. An agent is offered no Unblock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer } from '../helpers/conversations.js';
import { conversationsWaitForAReply } from '../helpers/routing-scene.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { customerSays } from './harness/customer-activity.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

const REASON = 'Insults after every answer';

describe('the block dialog', () => {
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

  it('asks the reason, then shows the block in place of the composer', async () => {
    const { app, tr, stack } = session;
    const { page } = app;
    const { t } = stack;
    const buyer = customer(t, 0);
    await customerSays(t, buyer, 'You are all useless');
    await page.getByRole('button', { name: tr('conversations.filter.unassigned'), exact: true }).click();
    await conversationRow(session, buyer.name).click();
    await heading(session, buyer.name).waitFor();

    await page.getByRole('button', { name: tr('blocks.block'), exact: true }).click();
    const dialog = page.getByRole('dialog', { name: tr('blocks.dialogTitle', { customer: buyer.name }) });
    await dialog.getByRole('button', { name: tr('blocks.confirm'), exact: true }).click();
    await dialog.getByText(tr('blocks.reasonTooShort', { min: 3 })).waitFor();
    expect(await t.server.database.db.selectFrom('customer_blocks').select('id').execute()).toEqual([]);

    await dialog.getByLabel(tr('blocks.reasonLabel'), { exact: true }).fill(REASON);
    await dialog.getByRole('button', { name: tr('blocks.confirm'), exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const notice = page.getByRole('note', { name: tr('blocks.blocked') });
    await notice.getByText(tr('blocks.reason', { reason: REASON })).waitFor();
    await notice.getByText(tr('blocks.whatsapp.blocked')).waitFor();
    await notice.getByText('Paola Ferri', { exact: false }).waitFor();
    // The contact panel says so too.
    await page
      .getByRole('complementary', { name: tr('desk.contact.title') })
      .getByText(tr('blocks.reason', { reason: REASON }), { exact: false })
      .waitFor();
    expect(await page.getByRole('combobox', { name: tr('composer.messageLabel'), exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: tr('blocks.unblock'), exact: true }).count()).toBe(0);
    expect(t.sandbox.graph.blocks.blockedBy(t.sandbox.business.phoneNumberId)).toEqual([buyer.waId]);
  });
});
