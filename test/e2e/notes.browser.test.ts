/**
 * Internal notes in Chromium against the real stack: a supervisor switches the composer to Note
 * with the keyboard, mentions a colleague from the list of those who may see the conversation
 * (an agent who may not is not offered, and typed by hand is refused in the agent's words), and
 * the note shows in the history as a note, not a message; the colleague's feed tells them, the
 * customer gets nothing, and the search finds the note.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, openEventSocket } from '../helpers/identity-setup.js';
import type { EnrolledAgent, EventSocket } from '../helpers/identity-setup.js';
import { runEvery } from '../helpers/run-every.js';
import { conversationRow, heading, isFocused, reachInbox, searchBox, searchResults } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

describe('internal notes in the inbox', () => {
  let e2e: E2eEnvironment;
  let session: Session;
  let anna: EnrolledAgent;
  let annaLive: EventSocket;
  let conversationId: number;
  const customerName = () => customer(session.stack.t, 0).name;

  beforeAll(async () => {
    e2e = await startE2e();
    session = await e2e.open('en');
    await reachInbox(session, { username: 'sara', displayName: 'Sara Conti', roles: ['supervisor'] });
    const { t } = session.stack;
    const desk = await approvedDevice(t, 'desk-2');
    anna = await enrolledAgent(t, desk, 'anna');
    await enrolledAgent(t, desk, 'marco');
    conversationId = (await customerWrites(t, customer(t, 0), 'My parcel arrived broken')).conversationId;
    // Anna answers it: it is hers, so Marco (an agent) may not see it; Sara supervises.
    const reply = await desk.call(
      'POST',
      '/v1/messages',
      { idempotencyKey: crypto.randomUUID(), conversationId, kind: 'text', text: 'Sorry!' },
      anna.session.accessToken,
    );
    expect(reply.status).toBe(201);
    annaLive = await openEventSocket(t, desk, anna.session.accessToken, 0);
  }, 120_000);
  afterAll(async () => {
    const complaints = session?.app.complaints ?? [];
    annaLive?.close();
    await runEvery([() => e2e?.close()]);
    expect(complaints).toEqual([]);
  });

  it('switches the composer to a note with the keyboard, offers only who may see the conversation, and shows the note as a note', async () => {
    const { page } = session.app;
    const { tr, stack } = session;
    await conversationRow(session, customerName()).click();
    await heading(session, customerName()).waitFor();
    const reply = page.getByRole('radio', { name: tr('composer.mode.reply') });
    const note = page.getByRole('radio', { name: tr('composer.mode.note') });
    expect(await reply.isChecked()).toBe(true);
    await reply.focus();
    await page.keyboard.press('ArrowRight');
    expect(await note.isChecked()).toBe(true);
    expect(await isFocused(note)).toBe(true);

    const form = page.getByRole('form', { name: tr('notes.formLabel') });
    await form.getByText(tr('notes.composerHint')).waitFor();
    const box = form.getByRole('combobox', { name: tr('notes.textLabel') });
    await box.focus();
    await page.keyboard.type('Refund approved, @');
    const options = page.getByRole('listbox', { name: tr('notes.mentionListLabel') }).getByRole('option');
    await options.first().waitFor();
    // Anna may see it; Marco may not, and Sara is the one writing.
    expect(await options.allTextContents()).toEqual(['Anna @anna']);
    await page.keyboard.type('an');
    // Picked, and typed on at once: what follows goes after the name.
    await page.keyboard.press('Enter');
    await page.keyboard.type('please call the courier');
    expect(await box.inputValue()).toBe('Refund approved, @anna please call the courier');
    await page.keyboard.press('Enter');

    const card = page.getByRole('log').getByRole('article', { name: tr('notes.cardLabel', { name: 'Sara Conti' }) });
    await card.waitFor();
    expect(await card.getByText(tr('notes.label'), { exact: true }).isVisible()).toBe(true);
    expect(await card.locator('.note-mention').allTextContents()).toEqual(['@anna']);
    expect(await card.locator('.note-text').textContent()).toBe('Refund approved, @anna please call the courier');
    // A note, not a message: no bubble holds its text.
    expect(await page.locator('.bubble').filter({ hasText: 'call the courier' }).count()).toBe(0);
    expect(await box.inputValue()).toBe('');

    const mention = await annaLive.next((event) => event.type === 'mention', 10_000);
    expect(mention).toMatchObject({ note: { body: 'Refund approved, @anna please call the courier' }, conversation: { id: conversationId } });
    expect(JSON.stringify(stack.t.sandbox.graph.accepted)).not.toContain('courier');
  });

  it('refuses a note naming someone who may not see the conversation, in the agent’s words, keeping the text', async () => {
    const { page } = session.app;
    const { tr, stack } = session;
    const form = page.getByRole('form', { name: tr('notes.formLabel') });
    const box = form.getByRole('combobox', { name: tr('notes.textLabel') });
    await box.fill('Marco knows the courier: @marco');
    await box.press('Escape');
    await box.press('Enter');
    await form
      .getByRole('alert')
      .filter({ hasText: tr('errors.note_mention_not_permitted') })
      .waitFor();
    expect(await box.inputValue()).toBe('Marco knows the courier: @marco');
    const stored = await stack.t.server.database.db.selectFrom('notes').select('body').where('conversation_id', '=', conversationId).execute();
    expect(stored.map((row) => row.body)).toEqual(['Refund approved, @anna please call the courier']);
    await box.fill('');
  });

  it('finds the note by its words, as a note', async () => {
    const { tr } = session;
    await searchBox(session).fill('courier');
    const notes = searchResults(session)
      .getByRole('list', { name: tr('search.notes') })
      .getByRole('button');
    await notes.first().waitFor();
    expect(await notes.count()).toBe(1);
    expect(await notes.first().textContent()).toContain(tr('notes.label'));
    await notes.first().click();
    await heading(session, customerName()).waitFor();
    await searchBox(session).press('Escape');
  });
});
