/**
 * The desk in Chromium against the real stack: the list's filters (mine, the team's queue with
 * how long each has waited, a state) and who holds each conversation; the contact panel beside
 * the conversation (name, number, earlier conversations opened read only); the supervisor view of
 * the team's queue and its members' load and presence, following a new customer without a reload.
 */
import { maskPhoneNumber } from '../../common/numbers/masked-number.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer } from '../helpers/conversations.js';
import { conversationsWaitForAReply } from '../helpers/routing-scene.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { customerSays } from './harness/customer-activity.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

type TabGroup = 'conversations.filterLabel' | 'conversations.stateLabel';

describe('the desk in the renderer', () => {
  let e2e: E2eEnvironment;
  let session: Session;

  beforeAll(async () => {
    e2e = await startE2e();
    session = await e2e.open('en');
    await reachInbox(session, { username: 'dora', displayName: 'Dora Lupi', roles: ['agent', 'supervisor'] });
    // Written before routing: Dora is online, so with room she would get each new conversation; at capacity 0 they wait in the queue.
    await conversationsWaitForAReply(session.stack.t);
  }, 120_000);
  afterAll(async () => {
    const complaints = session?.app.complaints ?? [];
    await e2e?.close();
    expect(complaints).toEqual([]);
  });

  const tab = (group: TabGroup, name: string) =>
    session.app.page.getByRole('group', { name: session.tr(group), exact: true }).getByRole('button', { name, exact: true });

  it('filters the list to mine, the queue with its waiting times, and a state, naming who holds each', async () => {
    const { app, tr, stack } = session;
    const { page } = app;
    const { t } = stack;
    const [first, second] = [customer(t, 0), customer(t, 1)];
    await customerSays(t, first, 'My parcel is late');
    await customerSays(t, second, 'Do you ship to Malta?');
    await tab('conversations.filterLabel', tr('conversations.filter.unassigned')).click();
    for (const who of [first, second])
      await conversationRow(session, who.name)
        .locator('.queue-badge')
        .filter({ hasText: tr('desk.waiting.moment') })
        .waitFor();

    // Dora answers the first: it leaves the queue and is hers ("You").
    await conversationRow(session, first.name).click();
    await heading(session, first.name).waitFor();
    const box = page.getByRole('combobox', { name: tr('composer.messageLabel'), exact: true });
    await box.fill('Let me look');
    await box.press('Enter');
    await conversationRow(session, first.name).waitFor({ state: 'detached' });
    expect(await conversationRow(session, second.name).count()).toBe(1);
    await tab('conversations.filterLabel', tr('conversations.filter.mine')).click();
    await conversationRow(session, first.name)
      .locator('.assignee-badge')
      .filter({ hasText: tr('desk.assignedToYou') })
      .waitFor();
    expect(await conversationRow(session, second.name).count()).toBe(0);

    // Pending: out of the open list, in the pending one.
    await page
      .getByRole('group', { name: tr('lifecycle.controlsLabel') })
      .getByRole('button', { name: tr('lifecycle.markPending'), exact: true })
      .click();
    await conversationRow(session, first.name).waitFor({ state: 'detached' });
    await tab('conversations.stateLabel', tr('conversations.stateFilter.pending')).click();
    await conversationRow(session, first.name).waitFor();
    await tab('conversations.stateLabel', tr('conversations.stateFilter.open')).click();
  }, 90_000);

  it('shows the contact beside the conversation, with their earlier conversations opened read only', async () => {
    const { app, tr, stack } = session;
    const { page } = app;
    const { t } = stack;
    const buyer = customer(t, 0);
    // The pending conversation: resolved, then the customer writes again.
    await tab('conversations.stateLabel', tr('conversations.stateFilter.pending')).click();
    await conversationRow(session, buyer.name).click();
    await page
      .getByRole('group', { name: tr('lifecycle.controlsLabel') })
      .getByRole('button', { name: tr('lifecycle.resolve'), exact: true })
      .click();
    await page.getByText(tr('lifecycle.resolvedNote')).waitFor();
    await customerSays(t, buyer, 'Hello again, one more question');
    await tab('conversations.stateLabel', tr('conversations.stateFilter.open')).click();
    await tab('conversations.filterLabel', tr('conversations.filter.unassigned')).click();
    await conversationRow(session, 'Hello again, one more question').click();

    const panel = page.getByRole('complementary', { name: tr('desk.contact.title') });
    await panel.getByText(buyer.name, { exact: true }).waitFor();
    // Masked by default (the policy's maskedNumbers): the agent sees the number as +39 347 ••• ••01.
    await panel.getByText(maskPhoneNumber(buyer.waId), { exact: true }).waitFor();
    const earlier = panel.getByRole('button', { name: new RegExp(tr('lifecycle.earlier.itemResolved', { date: '.*', name: 'Dora Lupi' })) });
    await earlier.click();
    const log = page.getByRole('log');
    await page
      .getByRole('note')
      .filter({ hasText: tr('lifecycle.earlier.readOnly') })
      .waitFor();
    await log.getByText('My parcel is late').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('group', { name: tr('lifecycle.controlsLabel') }).count()).toBe(0);
    expect(await earlier.getAttribute('aria-current')).toBe('true');
    await panel.getByRole('button', { name: tr('desk.contact.current') }).click();
    await log.getByText('Hello again, one more question').waitFor();
    await page.getByRole('group', { name: tr('lifecycle.controlsLabel') }).waitFor();
  }, 90_000);

  it('shows the supervisor the team’s queue and its members’ load and presence, live', async () => {
    const { app, tr, stack } = session;
    const { page } = app;
    const { t } = stack;
    await page.getByRole('button', { name: tr('inbox.section.supervision') }).click();
    const team = page.getByRole('region', { name: 'General' });
    // Waiting: the second customer and the new conversation of the first.
    await team.getByText(tr('desk.queueLength_other', { count: 2 })).waitFor();
    const dora = team.getByRole('row').filter({ hasText: 'Dora Lupi' });
    await dora.getByText(tr('desk.openOfCapacity', { open: 0, capacity: 0 })).waitFor();
    await dora.getByText(tr('desk.online'), { exact: true }).waitFor();
    // A new customer writes: the queue grows on the screen, without a reload.
    await customerSays(t, customer(t, 2), 'Is the shop open on Sunday?');
    await team.getByText(tr('desk.queueLength_other', { count: 3 })).waitFor();
    await page.getByRole('button', { name: tr('inbox.section.conversations') }).click();
  }, 60_000);
});
