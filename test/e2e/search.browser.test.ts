/**
 * The inbox's search box, in Chromium against the real stack: customers write (accents and
 * capitals included); the agent finds a message typing without the accent, sees the matched word
 * marked, opens it and lands on that message even though it is older than the first page; finds
 * a customer by part of their name with the keyboard alone; is told when nothing matches; and
 * never sees a conversation another agent has taken.
 */
import crypto from 'node:crypto';
import { teamViewer } from '../helpers/cache-rows.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer, customerWrites } from '../helpers/conversations.js';
import { IT } from '../helpers/identity-setup.js';
import { heading, isFocused, isScrolledIntoView, reachInbox, searchBox, searchHits, searchResults } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { customerSays } from './harness/customer-activity.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

/** More than a page of messages (50) after the one searched for, so opening it must load earlier pages. */
const LATER_MESSAGES = 60;

describe('searching the inbox', () => {
  let e2e: E2eEnvironment;
  let session: Session;
  const parcel = 'Il pacco è arrivato ROTTO';
  const waiting = 'perché non arriva?';
  const refund = 'Vorrei un rimborso per il pacco';

  beforeAll(async () => {
    e2e = await startE2e();
    session = await e2e.open('en', { server: { customers: 4 } });
    const { t } = session.stack;
    // Before this workstation signs in, another agent takes a customer's conversation by answering it.
    const taken = await customerWrites(t, customer(t, 3), refund);
    const bruno = await t.server.identity.agents.create({ username: 'bruno', displayName: 'Bruno Rizzi', roles: ['agent'] }, IT);
    await t.server.sendService.send(
      { idempotencyKey: crypto.randomUUID(), conversationId: taken.conversationId, kind: 'text', text: 'Ci penso io.' },
      teamViewer(bruno.agent.id, 'agent'),
    );

    await reachInbox(session, { username: 'anna', displayName: 'Anna Ferri', roles: ['agent'] });
    await customerSays(t, customer(t, 0), parcel);
    await customerSays(t, customer(t, 1), waiting);
    for (let index = 1; index <= LATER_MESSAGES; index += 1) await customerSays(t, customer(t, 1), `Aggiornamento ${index}`);
    await customerSays(t, customer(t, 2), 'Buongiorno, avete novità sul mio ordine?');
  }, 120_000);
  afterAll(async () => {
    // Closed first, so a complaint fails the file without leaving its browser and servers behind.
    const complaints = session?.app.complaints ?? [];
    await e2e?.close();
    expect(complaints).toEqual([]);
  });

  it('finds a message typed without its accent, marks the word, and opens the conversation at that message', async () => {
    const { page } = session.app;
    const { t } = session.stack;
    await searchBox(session).fill('perche');
    const hit = searchHits(session, 'messages').filter({ hasText: waiting });
    await hit.waitFor();
    expect(await hit.locator('mark').allTextContents()).toEqual(['perché']);
    await expect(hit.textContent()).resolves.toContain(customer(t, 1).name);
    // The conversation list gives its place to the results while the query is there.
    expect(await page.getByRole('navigation', { name: session.tr('conversations.title') }).isHidden()).toBe(true);

    await hit.click();
    await heading(session, customer(t, 1).name).waitFor();
    const log = page.getByRole('log');
    const found = log.locator('.message-found').filter({ hasText: waiting });
    await found.waitFor();
    expect(await isScrolledIntoView(found, log)).toBe(true);
    // The newest message is far below: the log was scrolled to the one found, not left at the bottom.
    expect(await isScrolledIntoView(log.getByText(`Aggiornamento ${LATER_MESSAGES}`, { exact: true }), log)).toBe(false);
    await expect(hit.getAttribute('aria-current')).resolves.toBe('true');
  });

  it('finds a customer by part of their name with the keyboard, and Escape brings the list back', async () => {
    const { page } = session.app;
    const { t } = session.stack;
    const name = customer(t, 0).name;
    const surname = name.split(' ')[1] ?? name;
    await page.getByRole('log').focus();
    await page.keyboard.press('Control+K');
    expect(await isFocused(searchBox(session))).toBe(true);
    await page.keyboard.type(surname.slice(0, 4).toLowerCase());
    const contact = searchHits(session, 'contacts').filter({ hasText: name });
    await contact.waitFor();
    expect(await contact.locator('mark').allTextContents()).toContain(surname);

    await page.keyboard.press('ArrowDown');
    const focused = searchResults(session).locator('.search-hit:focus');
    await focused.waitFor();
    await page.keyboard.press('End');
    await page.keyboard.press('Home');
    expect(await isFocused(searchHits(session, 'contacts').first())).toBe(true);
    await contact.focus();
    await page.keyboard.press('Enter');
    await heading(session, name).waitFor();
    await page.getByRole('log').getByText(parcel).waitFor();

    await page.keyboard.press('Escape');
    await expect(searchBox(session).inputValue()).resolves.toBe('');
    await page.getByRole('navigation', { name: session.tr('conversations.title') }).waitFor();
    expect(await searchResults(session).count()).toBe(0);
    // "/" from outside a text field goes back to the box.
    await page.getByRole('log').focus();
    await page.keyboard.press('/');
    expect(await isFocused(searchBox(session))).toBe(true);
    await page.keyboard.press('Escape');
    expect(await isFocused(page.getByRole('log'))).toBe(true);
  });

  it('says so when nothing matches', async () => {
    await searchBox(session).fill('zanzibar');
    await searchResults(session)
      .getByText(session.tr('search.noResults', { query: 'zanzibar' }))
      .waitFor();
    expect(await searchResults(session).getByRole('button').count()).toBe(0);
  });

  it('never shows a conversation another agent has taken, by its messages or its customer', async () => {
    const { t } = session.stack;
    await searchBox(session).fill('pacco');
    await searchHits(session, 'messages').filter({ hasText: parcel }).waitFor();
    expect(await searchHits(session, 'messages').count()).toBe(1);
    await searchBox(session).fill(customer(t, 3).name);
    await searchResults(session)
      .getByText(session.tr('search.noResults', { query: customer(t, 3).name }))
      .waitFor();
  });
});
