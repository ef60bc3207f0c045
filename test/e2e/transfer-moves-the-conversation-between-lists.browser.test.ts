/**
 * Two agents side by side in Chromium, each on their own workstation (core, cache, page) against
 * one server: Anna claims a waiting conversation from the header, then transfers it to Marco with
 * a note through the transfer dialog. Without a reload, it leaves Anna's list and appears in
 * Marco's "Mine", where he opens it and reads the note and the transfer's system line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { customer } from '../helpers/conversations.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { customerSays } from './harness/customer-activity.js';
import { openSecondAgent } from './harness/second-agent.js';
import type { SecondAgent } from './harness/second-agent.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

const NOTE = 'She is waiting for a refund: please call back before five';

describe('a transfer between two agents’ lists', () => {
  let e2e: E2eEnvironment;
  let anna: Session;
  let marco: Session;
  let second: SecondAgent | undefined;
  const customerName = () => customer(anna.stack.t, 0).name;

  beforeAll(async () => {
    e2e = await startE2e();
    anna = await e2e.open('en', { server: { customers: 2 } });
    await reachInbox(anna, { username: 'anna', displayName: 'Anna Verdi', roles: ['agent'] });
    const { t } = anna.stack;
    second = await openSecondAgent(e2e, anna, { hostname: 'reception-02' });
    marco = second.session;
    await reachInbox(marco, { username: 'marco', displayName: 'Marco Neri', roles: ['agent'] });
    // Both away: routing gives neither the conversation, so it waits in the queue for Anna to claim; a transfer still reaches Marco.
    await dispatchIpc(anna.stack.core, 'setAvailability', { available: false });
    await dispatchIpc(second.workstation.core, 'setAvailability', { available: false });
    await customerSays(t, customer(t, 0), 'Hello, I was charged twice for my order.');
  }, 180_000);
  afterAll(async () => {
    const complaints = [...(anna?.app.complaints ?? []), ...(second?.app.complaints ?? [])];
    await second?.app.close();
    await second?.workstation.close();
    await e2e?.close();
    expect(complaints).toEqual([]);
  });

  const filter = (session: Session, which: 'mine' | 'unassigned' | 'all') =>
    session.app.page.getByRole('button', { name: session.tr(`conversations.filter.${which}`), exact: true }).click();
  const slow = { timeout: 20_000 };

  it('moves the conversation from Anna’s list to Marco’s without a reload, with the note', async () => {
    const { page, tr } = { page: anna.app.page, tr: anna.tr };
    await filter(marco, 'mine');
    await filter(anna, 'unassigned');
    await conversationRow(anna, customerName()).click();
    await heading(anna, customerName()).waitFor();
    const controls = page.getByRole('group', { name: tr('handover.controlsLabel') });
    await controls.getByRole('button', { name: tr('handover.claim'), exact: true }).click();
    await page
      .locator('.handover-assignee')
      .getByText(tr('handover.assignedTo', { name: tr('handover.you'), team: 'General' }))
      .waitFor(slow);

    await filter(anna, 'mine');
    await conversationRow(anna, customerName()).waitFor(slow);
    await controls.getByRole('button', { name: tr('handover.transfer'), exact: true }).click();
    const dialog = page.getByRole('dialog', { name: tr('handover.transferTitle') });
    const colleague = dialog.getByLabel(tr('handover.agent'), { exact: true });
    await colleague.locator('option', { hasText: 'Marco Neri' }).waitFor({ state: 'attached', ...slow });
    await colleague.selectOption({ label: 'Marco Neri' });
    await dialog.getByLabel(tr('handover.note'), { exact: true }).fill(NOTE);
    await dialog.getByRole('button', { name: tr('handover.transferConfirm'), exact: true }).click();

    // Gone from Anna's list, in Marco's: no reload, the feed carried it.
    await conversationRow(anna, customerName()).waitFor({ state: 'detached', ...slow });
    await conversationRow(marco, customerName()).waitFor(slow);
    await conversationRow(marco, customerName()).click();
    await heading(marco, customerName()).waitFor();
    await marco.app.page.getByText(NOTE).waitFor(slow);
    await marco.app.page
      .locator('.system-line')
      .getByText(marco.tr('lifecycle.system.assigned', { who: 'Anna Verdi', assignee: 'Marco Neri' }), { exact: false })
      .waitFor(slow);
    await marco.app.page
      .locator('.handover-assignee')
      .getByText(marco.tr('handover.assignedTo', { name: marco.tr('handover.you'), team: 'General' }))
      .waitFor();
  });
});
