/**
 * Scheduled messages and reminders on the workstation, over a listening server with a
 * controllable clock and a real client core with its encrypted cache: the feed's
 * `scheduled_message` (scheduled, edited, gone) and `reminder` (come due) change what the
 * workstation holds without the conversation's lists being read again, so offline it answers
 * what the server last said; a reminder come due is a desktop notification in the system's words;
 * and once the conversation leaves the agent, nothing of its schedule stays in the cache.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { IpcEventPayload } from '../../common/ipc/contract.js';
import type { ReminderList, ScheduledMessageChanged, ScheduledMessageList } from '../../common/schedule/scheduled-message.js';
import type { z } from 'zod';
import { customer, customerWrites } from '../helpers/conversations.js';
import { startCoreBehindProxy } from '../helpers/core-behind-proxy.js';
import { pairAndEnroll } from '../helpers/core-enrollment.js';
import { IT } from '../helpers/identity-setup.js';
import { eventually, until } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Changed = z.infer<typeof ScheduledMessageChanged>;

describe('scheduled messages and reminders on the workstation', () => {
  it('follow the feed into the cache, tell a reminder come due, and leave with the conversation', async () => {
    let offset = 0;
    const clock = { now: () => Date.now() + offset, advance: (ms: number) => (offset += ms) };
    const t = await startTestServer({ tls: true, now: clock.now });
    cleanups.push(() => t.close());
    const anna = await startCoreBehindProxy(t, cleanups);
    const events: Array<IpcEventPayload<'inbox'>> = [];
    anna.core.onEvent((event, payload) => {
      if (event === 'inbox') events.push(payload as IpcEventPayload<'inbox'>);
    });
    await pairAndEnroll(t, anna.call, anna.waitFor, 'anna', 'agent', { displayName: 'Anna' });
    await anna.untilFirstLoad();
    const someone = customer(t, 0);
    const { conversationId } = await customerWrites(t, someone, 'Mi richiamate domani?');
    await until('Anna sees the conversation', async () => (await anna.listed()).includes(conversationId));
    const heard = (what: string, match: (event: IpcEventPayload<'inbox'>) => boolean) =>
      eventually(() => Promise.resolve(events.some(match) || undefined), 10_000, what);
    const iso = (at: number) => new Date(at).toISOString();

    // Scheduled, then edited: each change reaches the cache through the feed alone.
    const { scheduled } = await anna.call<Changed>('scheduleMessage', {
      conversationId,
      idempotencyKey: crypto.randomUUID(),
      content: { kind: 'text', text: 'Buongiorno, la richiamo alle dieci' },
      sendAt: iso(clock.now() + 60 * 60 * 1000),
      timeZone: 'Europe/Rome',
    });
    const edited = await anna.call<Changed>('editScheduledMessage', {
      scheduledId: scheduled.id,
      change: { content: { kind: 'text', text: 'Buongiorno, la richiamo alle undici' }, sendAt: iso(clock.now() + 60_000), timeZone: 'Europe/Rome' },
    });
    await heard('the edit on the feed', (event) => event.type === 'scheduled_message' && event.scheduled.updatedAt === edited.scheduled.updatedAt);
    const offline = await anna.whileOffline(() => anna.call<ScheduledMessageList>('listScheduledMessages', { conversationId }));
    expect(offline.items).toEqual([edited.scheduled]);

    // It goes when its time comes: the feed says so, and the cache answers it sent.
    clock.advance(61_000);
    await heard('it went', (event) => event.type === 'scheduled_message' && event.scheduled.id === scheduled.id && event.scheduled.state === 'sent');
    const afterSent = await anna.whileOffline(() => anna.call<ScheduledMessageList>('listScheduledMessages', { conversationId }));
    expect(afterSent.items).toMatchObject([{ id: scheduled.id, state: 'sent', messageId: expect.any(Number), content: edited.scheduled.content }]);

    // Her reminder: listed while pending (offline too), notified when it comes due, then no longer pending.
    const reminder = await anna.call<{ remindAt: number }>('setReminder', { conversationId, remindAt: iso(clock.now() + 60_000), timeZone: 'Europe/Rome' });
    expect((await anna.call<ReminderList>('listReminders', { conversationId })).items).toMatchObject([{ remindAt: reminder.remindAt, state: 'pending' }]);
    expect((await anna.whileOffline(() => anna.call<ReminderList>('listReminders', { conversationId }))).items).toMatchObject([{ state: 'pending' }]);
    const notifiedBefore = anna.platform.desktop.notifications.length;
    clock.advance(61_000);
    await heard('the reminder come due', (event) => event.type === 'reminder' && event.reminder.state === 'due' && event.conversation.id === conversationId);
    await until('Anna is notified', () => Promise.resolve(anna.platform.desktop.notifications.length > notifiedBefore));
    expect(anna.platform.desktop.notifications.slice(notifiedBefore)).toEqual([
      { title: `Reminder · ${someone.name}`, body: 'You asked to be reminded of this conversation now.' },
    ]);
    expect((await anna.whileOffline(() => anna.call<ReminderList>('listReminders', { conversationId }))).items).toEqual([]);

    // Handed to a colleague she does not share it with: nothing of its schedule stays here.
    const { scheduled: another } = await anna.call<Changed>('scheduleMessage', {
      conversationId,
      idempotencyKey: crypto.randomUUID(),
      content: { kind: 'text', text: 'Ci sentiamo la settimana prossima' },
      sendAt: iso(clock.now() + 7 * 24 * 60 * 60 * 1000),
      timeZone: 'Europe/Rome',
    });
    await heard('the second one on the feed', (event) => event.type === 'scheduled_message' && event.scheduled.id === another.id);
    const sales = await t.server.identity.teams.create({ name: 'Vendite' }, IT);
    await anna.call('transferConversation', { conversationId, transfer: { teamId: sales.id } });
    await heard('the conversation leaving her', (event) => event.type === 'conversation_hidden' && event.conversationId === conversationId);
    const gone = await anna.whileOffline(() => anna.call('listScheduledMessages', { conversationId }).catch((error: Error) => error.message));
    expect(gone).toMatch(/conversation_not_cached/);
    expect(await anna.whileOffline(() => anna.call('listReminders', { conversationId }).catch((error: Error) => error.message))).toMatch(
      /conversation_not_cached/,
    );
  }, 90_000);
});
