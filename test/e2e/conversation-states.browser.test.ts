/**
 * A conversation's states in Chromium against the real stack, by keyboard: the agent marks it
 * pending, snoozes it with the picker (a time in the past refused with its words), the customer
 * writes and it is open again, the agent resolves it (the composer gives way to a note), each
 * change a system line among the messages; the lists keep to one state each; the customer writes
 * again and a new conversation begins, from which the earlier one opens for reading.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer } from '../helpers/conversations.js';
import { conversationsWaitForAReply } from '../helpers/routing-scene.js';
import { conversationRow, heading, isFocused, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { customerSays } from './harness/customer-activity.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

type TabGroup = 'conversations.filterLabel' | 'conversations.stateLabel';

/** A tab of the list's filters (whose) or of its states. */
const tabOf = (session: Session, group: TabGroup, name: string) =>
  session.app.page.getByRole('group', { name: session.tr(group), exact: true }).getByRole('button', { name, exact: true });

describe('conversation states in the renderer', () => {
  let e2e: E2eEnvironment;
  let session: Session;

  beforeAll(async () => {
    e2e = await startE2e();
    session = await e2e.open('en');
    await reachInbox(session, { username: 'paola', displayName: 'Paola Ferri', roles: ['agent'] });
    // Paola takes each conversation by answering it from the queue: routing gives her none itself.
    await conversationsWaitForAReply(session.stack.t);
  }, 120_000);
  afterAll(async () => {
    const complaints = session?.app.complaints ?? [];
    await e2e?.close();
    expect(complaints).toEqual([]);
  });

  it('changes the state from the header by keyboard, shows each change as a system line, and lists each state apart', async () => {
    const { app, tr, stack } = session;
    const { page } = app;
    const { t } = stack;
    const buyer = customer(t, 0);
    const tab = (group: TabGroup, name: string) => tabOf(session, group, name);
    const controls = page.getByRole('group', { name: tr('lifecycle.controlsLabel') });
    const control = (key: string) => controls.getByRole('button', { name: tr(key), exact: true });
    const log = page.getByRole('log');
    const systemLine = (key: string, values: Record<string, string> = {}) =>
      log.locator('.system-line').filter({ hasText: tr(key, { who: 'Paola Ferri', ...values }) });

    await customerSays(t, buyer, 'My parcel is late');
    await tab('conversations.filterLabel', tr('conversations.filter.unassigned')).click();
    await conversationRow(session, buyer.name).click();
    await heading(session, buyer.name).waitFor();
    const box = page.getByRole('combobox', { name: tr('composer.messageLabel'), exact: true });
    await box.fill('Let me look');
    await box.press('Enter');
    await systemLine('lifecycle.system.claimed').waitFor();

    // Mark pending, by keyboard.
    await control('lifecycle.markPending').focus();
    await page.keyboard.press('Enter');
    await page
      .locator('.conversation-header .state-badge')
      .filter({ hasText: tr('lifecycle.state.pending') })
      .waitFor();
    await systemLine('lifecycle.system.pending').waitFor();
    await tab('conversations.filterLabel', tr('conversations.filter.mine')).click();
    await tab('conversations.stateLabel', tr('conversations.stateFilter.pending')).click();
    await conversationRow(session, buyer.name).waitFor();

    // The customer answers: open again.
    await customerSays(t, buyer, 'It is order 1042');
    await log
      .locator('.system-line')
      .filter({ hasText: tr('lifecycle.system.openedByCustomer') })
      .waitFor();
    // Each line right after the message that was the latest when it was made (Paola's reply, for all three):
    // Meta's times are whole seconds and ours are not, so placing lines by time alone could put the
    // customer's answer in between.
    const slots = await log.locator('.message-slot').allTextContents();
    const reply = slots.findIndex((slot) => slot.includes('Let me look'));
    expect(slots.slice(reply + 1, reply + 4).map((slot) => slot.replace(/ · .*$/, ''))).toEqual([
      tr('lifecycle.system.claimed', { who: 'Paola Ferri' }),
      tr('lifecycle.system.pending', { who: 'Paola Ferri' }),
      tr('lifecycle.system.openedByCustomer'),
    ]);
    await page
      .locator('.conversation-header .state-badge')
      .filter({ hasText: tr('lifecycle.state.open') })
      .waitFor();
    await tab('conversations.stateLabel', tr('conversations.stateFilter.open')).click();
    await conversationRow(session, buyer.name).waitFor();

    // The snooze picker: Tab reaches it after "Mark pending"; a time in the past is refused in words, nothing sent.
    await control('lifecycle.markPending').focus();
    await page.keyboard.press('Tab');
    expect(await isFocused(control('lifecycle.snooze'))).toBe(true);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: tr('lifecycle.snoozeTitle') });
    await dialog.waitFor();
    await dialog.getByLabel(tr('lifecycle.snoozeAt'), { exact: true }).fill('2020-01-01T09:00');
    await dialog.getByRole('button', { name: tr('lifecycle.snoozeConfirm') }).press('Enter');
    await dialog
      .getByRole('alert')
      .filter({ hasText: tr('errors.snooze_in_the_past') })
      .waitFor();
    expect(await page.locator('.conversation-header .state-badge').textContent()).toBe(tr('lifecycle.state.open'));
    // Tomorrow at 9:00, chosen by keyboard.
    const choices = dialog.getByRole('radio');
    await choices.first().focus();
    await page.keyboard.press('ArrowDown');
    expect(await choices.nth(1).isChecked()).toBe(true);
    await dialog.getByRole('button', { name: tr('lifecycle.snoozeConfirm') }).press('Enter');
    await dialog.waitFor({ state: 'detached' });
    const snoozedBadge = page.locator('.conversation-header .state-badge.state-snoozed');
    await snoozedBadge.waitFor();
    expect(await snoozedBadge.textContent()).toContain('09:00');
    // 9:00 in the agent's time zone (the workstation's, Europe/Rome), not in the browser's (the machine's, UTC here), and shown so everywhere.
    const snoozed = await t.server.database.db.selectFrom('conversations').select('snoozed_until').where('state', '=', 'snoozed').executeTakeFirstOrThrow();
    const inRome = (at: number) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', hour: '2-digit', minute: '2-digit' }).format(at);
    expect(inRome(snoozed.snoozed_until ?? 0)).toBe('09:00');
    expect(await log.locator('.system-line-snoozed').textContent()).toContain(`${inRome(snoozed.snoozed_until ?? 0)}`);
    await conversationRow(session, buyer.name).waitFor({ state: 'detached' });
    await tab('conversations.stateLabel', tr('conversations.stateFilter.snoozed')).click();
    await conversationRow(session, buyer.name).waitFor();

    // Reopen, then resolve: the composer gives way to the note, and the row moves to the resolved list.
    await control('lifecycle.reopen').focus();
    await page.keyboard.press('Enter');
    await systemLine('lifecycle.system.reopened').waitFor();
    await control('lifecycle.resolve').focus();
    await page.keyboard.press('Enter');
    await systemLine('lifecycle.system.resolved').waitFor();
    await page.getByText(tr('lifecycle.resolvedNote')).waitFor();
    expect(await box.count()).toBe(0);
    await tab('conversations.stateLabel', tr('conversations.stateFilter.resolved')).click();
    await conversationRow(session, buyer.name).waitFor();
    // In the order they happened.
    const lines = await log.locator('.system-line').allTextContents();
    // Each line's time is the agent's zone's.
    const resolvedAt = await t.server.database.db.selectFrom('conversation_history').select('at').where('state', '=', 'resolved').executeTakeFirstOrThrow();
    expect(lines.at(-1)).toContain(` · ${inRome(resolvedAt.at)}`);
    expect(lines.map((text) => text.replace(/ · .*$/, ''))).toEqual([
      tr('lifecycle.system.claimed', { who: 'Paola Ferri' }),
      tr('lifecycle.system.pending', { who: 'Paola Ferri' }),
      tr('lifecycle.system.openedByCustomer'),
      expect.stringContaining(tr('lifecycle.system.snoozed', { who: 'Paola Ferri', until: '' }).trim()),
      tr('lifecycle.system.reopened', { who: 'Paola Ferri' }),
      tr('lifecycle.system.resolved', { who: 'Paola Ferri' }),
    ]);
  }, 90_000);

  it('starts a new conversation when the customer writes after the resolution, with the earlier one there to read', async () => {
    const { app, tr, stack } = session;
    const { page } = app;
    const { t } = stack;
    const buyer = customer(t, 0);
    await customerSays(t, buyer, 'Hello again, a new question');
    await tabOf(session, 'conversations.stateLabel', tr('conversations.stateFilter.open')).click();
    await tabOf(session, 'conversations.filterLabel', tr('conversations.filter.unassigned')).click();
    await conversationRow(session, 'Hello again, a new question').click();
    const log = page.getByRole('log');
    await log.getByText('Hello again, a new question').waitFor();
    expect(await log.getByText('My parcel is late').count()).toBe(0);
    await log.getByRole('button', { name: tr('lifecycle.earlier.show') }).click();
    const earlier = log.getByRole('button', { name: new RegExp(tr('lifecycle.earlier.itemResolved', { date: '.*', name: 'Paola Ferri' })) });
    await earlier.click();
    await page
      .getByRole('note')
      .filter({ hasText: tr('lifecycle.earlier.readOnly') })
      .waitFor();
    await log.getByText('My parcel is late').waitFor();
    await log.locator('.system-line-resolved').waitFor();
    expect(await page.getByRole('group', { name: tr('lifecycle.controlsLabel') }).count()).toBe(0);
    await page.getByRole('button', { name: tr('lifecycle.earlier.back') }).click();
    await log.getByText('Hello again, a new question').waitFor();
    await page.getByRole('group', { name: tr('lifecycle.controlsLabel') }).waitFor();
  }, 60_000);
});
