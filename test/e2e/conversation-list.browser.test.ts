/**
 * The conversation list at scale, in Chromium against the real stack: a thousand customers'
 * conversations arrive through the feed, the list keeps only what is on screen in the DOM, pages
 * come in as the agent scrolls until the oldest is there, the keyboard walks it, and a customer
 * from the bottom who writes again comes to the top.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer } from '../helpers/conversations.js';
import { conversationRow, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { customerSays } from './harness/customer-activity.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

const CUSTOMERS = 1000;
/** Rows a virtualised list may hold in the DOM: a screenful and its overscan, never the thousand. */
const MOST_ROWS_IN_DOM = 40;

type Scrollable = { scrollTop: number; scrollHeight: number };

/**
 * Meta's timestamps are whole seconds and the list breaks ties by conversation id, so a message in
 * the same second as the newest ones could rank below them: the test writes in a later second.
 */
async function nextWholeSecond(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 1));
}

/** The sandbox's customers share a few dozen names; each one's message says which customer it is. */
const said = (index: number) => `Message ${index}.`;

describe('a conversation list of a thousand customers', () => {
  let e2e: E2eEnvironment;
  let session: Session;
  const rowsInDom = () => session.app.page.locator('.conversation-item').count();

  beforeAll(async () => {
    e2e = await startE2e();
    session = await e2e.open('en', { server: { customers: CUSTOMERS } });
    await reachInbox(session, { username: 'irene', displayName: 'Irene Costa', roles: ['supervisor'] });
    const { t } = session.stack;
    // Oldest first, so customer 0 ends up at the bottom of the list.
    for (let start = 0; start < CUSTOMERS; start += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, CUSTOMERS - start) }, (_, offset) => customerSays(t, customer(t, start + offset), said(start + offset))),
      );
    }
  }, 180_000);
  afterAll(async () => {
    // Closed first, so a complaint fails the file without leaving its browser and servers behind.
    const complaints = session?.app.complaints ?? [];
    await e2e?.close();
    expect(complaints).toEqual([]);
  });

  it('keeps a screenful of rows in the DOM and loads every page as the agent scrolls down', async () => {
    const { page } = session.app;
    const scroller = page.locator('.conversation-scroller');
    const oldest = conversationRow(session, said(0));
    await conversationRow(session, said(CUSTOMERS - 1)).waitFor();
    expect(await rowsInDom()).toBeLessThanOrEqual(MOST_ROWS_IN_DOM);
    while ((await oldest.count()) === 0) {
      await scroller.evaluate((element: Scrollable) => {
        element.scrollTop = element.scrollHeight;
      });
      await page.waitForTimeout(50);
      expect(await rowsInDom()).toBeLessThanOrEqual(MOST_ROWS_IN_DOM);
    }
    await oldest.waitFor();
    const lastItem = page.locator('.conversation-item').last();
    await expect(lastItem.getAttribute('aria-setsize')).resolves.toBe(String(CUSTOMERS));
    await expect(lastItem.getAttribute('aria-posinset')).resolves.toBe(String(CUSTOMERS));
  });

  it('moves through the list with the keyboard, one tab stop for the whole list', async () => {
    const { page } = session.app;
    const focused = page.locator('.conversation-button:focus');
    await conversationRow(session, said(0)).focus();
    await page.keyboard.press('Home');
    await focused.filter({ hasText: said(CUSTOMERS - 1) }).waitFor();
    await page.keyboard.press('ArrowDown');
    await focused.filter({ hasText: said(CUSTOMERS - 2) }).waitFor();
    await page.keyboard.press('End');
    await focused.filter({ hasText: said(0) }).waitFor();
    await expect(page.locator('.conversation-button[tabindex="0"]').count()).resolves.toBe(1);
  });

  it('brings a conversation from the bottom to the top when its customer writes again', async () => {
    const { page } = session.app;
    await page.keyboard.press('Home');
    await nextWholeSecond();
    await customerSays(session.stack.t, customer(session.stack.t, 0), 'Still waiting for an answer');
    const first = page.locator('.conversation-item[aria-posinset="1"]');
    await first.filter({ hasText: 'Still waiting for an answer' }).waitFor();
    expect(await conversationRow(session, said(0)).count()).toBe(0);
    expect(await page.locator('.conversation-item').count()).toBeLessThanOrEqual(MOST_ROWS_IN_DOM);
  });
});
