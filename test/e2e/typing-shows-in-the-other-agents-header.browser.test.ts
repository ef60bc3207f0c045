/**
 * Two agents side by side in Chromium, each on their own workstation (core, cache, page) against
 * one server: when one opens a conversation the other's header says she is viewing it, when she
 * types it says she is typing, and when she stops it goes back to viewing; the customer's phone
 * (the sandbox) shows the business typing too. Then the header's controls: away and back, and the
 * agent's own time zone, in which the conversation's times are then shown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer } from '../helpers/conversations.js';
import { conversationsWaitForAReply } from '../helpers/routing-scene.js';
import { eventually } from '../helpers/store-queries.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { customerSays } from './harness/customer-activity.js';
import { openSecondAgent } from './harness/second-agent.js';
import type { SecondAgent } from './harness/second-agent.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

describe('presence in the conversation header', () => {
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
    // Marco's workstation joins the same server, in a page of its own beside Anna's.
    second = await openSecondAgent(e2e, anna, { hostname: 'reception-02', core: { presence: { typingIdleMs: 1500 } } });
    marco = second.session;
    await reachInbox(marco, { username: 'marco', displayName: 'Marco Neri', roles: ['agent'] });
    // The customer waits for either of them: routing gives neither the conversation itself.
    await conversationsWaitForAReply(t);
    await customerSays(t, customer(t, 0), 'Is anyone there? My parcel is late.');
  }, 180_000);
  afterAll(async () => {
    const complaints = [...(anna?.app.complaints ?? []), ...(second?.app.complaints ?? [])];
    await second?.app.close();
    await second?.workstation.close();
    await e2e?.close();
    expect(complaints).toEqual([]);
  });

  const presenceLine = (session: Session) => session.app.page.locator('.conversation-header .presence-line');
  /** The conversation waits for an agent: both find it among the unassigned. */
  const openWaiting = async (session: Session) => {
    await session.app.page.getByRole('button', { name: session.tr('conversations.filter.unassigned'), exact: true }).click();
    await conversationRow(session, customerName()).click();
    await heading(session, customerName()).waitFor();
  };

  it('shows the other agent viewing, then typing, then viewing again when she stops', async () => {
    const { tr } = marco;
    await openWaiting(marco);
    expect(await presenceLine(marco).textContent()).toBe('');

    await openWaiting(anna);
    // The machine may be busy: the steps below cross two cores, the server and two pages.
    const slow = { timeout: 20_000 };
    await presenceLine(marco)
      .getByText(tr('presence.viewing_one', { names: 'Anna Verdi' }), { exact: true })
      .waitFor(slow);
    // Anna sees Marco there too.
    await presenceLine(anna)
      .getByText(tr('presence.viewing_one', { names: 'Marco Neri' }), { exact: true })
      .waitFor(slow);

    const box = anna.app.page.getByRole('combobox', { name: anna.tr('composer.messageLabel'), exact: true });
    await box.pressSequentially('We are looking into it', { delay: 40 });
    await presenceLine(marco)
      .getByText(tr('presence.typing_one', { names: 'Anna Verdi' }), { exact: true })
      .waitFor(slow);
    // The customer's phone shows the business typing as well.
    const { t } = anna.stack;
    await eventually(() => Promise.resolve(t.customers.seesAgentTyping(customer(t, 0)) || undefined), 5000, 'the customer sees the agent typing');

    // She stops: after the pause, viewing again.
    await presenceLine(marco)
      .getByText(tr('presence.viewing_one', { names: 'Anna Verdi' }), { exact: true })
      .waitFor(slow);
    // She leaves the conversation: gone from Marco's header.
    await anna.app.page.getByRole('button', { name: anna.tr('inbox.lock'), exact: true }).click();
    await eventually(async () => ((await presenceLine(marco).textContent()) === '' ? true : undefined), 10_000, 'Anna gone from the header');
  });

  it('lets the agent go away and come back, and pick the time zone times are shown in', async () => {
    const { page } = marco.app;
    const { tr, stack } = marco;
    const availability = page.getByLabel(tr('presence.availabilityLabel'));
    expect(await availability.inputValue()).toBe('available');
    await availability.selectOption('away');
    const agentId = (await stack.t.server.database.db.selectFrom('agents').select('id').where('username', '=', 'marco').executeTakeFirstOrThrow()).id;
    await eventually(() => Promise.resolve(stack.t.server.presence.online.stateOf(agentId).available === false || undefined), 5000, 'Marco away on the server');
    expect(stack.t.server.presence.online.isOnline(agentId)).toBe(false);
    await availability.selectOption('available');
    await eventually(() => Promise.resolve(stack.t.server.presence.online.isOnline(agentId) || undefined), 5000, 'Marco online again');

    // The workstation's zone (the test platform's Europe/Rome) until he picks Asia/Tokyo.
    const sentAt = (await stack.t.server.database.db.selectFrom('messages').select('sent_at').orderBy('id').executeTakeFirstOrThrow()).sent_at;
    const shownIn = (timeZone: string) => {
      const day = (at: number) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(at);
      const options: Intl.DateTimeFormatOptions =
        day(sentAt) === day(Date.now()) ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
      return new Intl.DateTimeFormat('en-GB', { ...options, timeZone }).format(sentAt);
    };
    const messageTime = page.locator('.message-inbound time').first();
    await eventually(async () => ((await messageTime.textContent()) === shownIn('Europe/Rome') ? true : undefined), 10_000, 'the time in Rome');
    await page.getByRole('button', { name: tr('presence.timeZoneButton', { zone: 'Europe/Rome' }) }).click();
    const dialog = page.getByRole('dialog', { name: tr('presence.timeZoneTitle') });
    await dialog.getByLabel(tr('presence.timeZoneLabel')).selectOption('Asia/Tokyo');
    await dialog.getByRole('button', { name: tr('presence.timeZoneSave') }).click();
    await page.getByRole('button', { name: tr('presence.timeZoneButton', { zone: 'Asia/Tokyo' }) }).waitFor();
    await eventually(async () => ((await messageTime.textContent()) === shownIn('Asia/Tokyo') ? true : undefined), 10_000, 'the time in Tokyo');
    const settings = await stack.t.server.database.db.selectFrom('agent_settings').selectAll().where('agent_id', '=', agentId).executeTakeFirstOrThrow();
    expect(settings).toMatchObject({ time_zone: 'Asia/Tokyo', time_zone_chosen: 1 });
  });
});
