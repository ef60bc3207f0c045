/**
 * A long conversation in Chromium against the real stack: three hundred messages from one
 * customer, more than the log renders whole. Earlier pages come in with the messages on screen
 * staying where they were; however many are loaded, only a screenful and a few either side are in
 * the DOM; the keyboard reaches both ends and keeps its focus; a new message is followed at the bottom and leaves an
 * agent reading history where they are; a search opens the conversation at a message far back;
 * and the times follow the date when the day changes.
 */
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/browser-screenshot.js';
import { customer } from '../helpers/conversations.js';
import { conversationRow, heading, isFocused, isScrolledIntoView, reachInbox, searchBox, searchHits } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { translator } from './harness/catalogue.js';
import { customerSays } from './harness/customer-activity.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

const MESSAGES = 300;
/** Messages a virtualised log may hold in the DOM: a screenful and its overscan, never the three hundred. */
const MOST_MESSAGES_IN_DOM = 40;
/** Far enough back that opening it from a search loads several earlier pages. */
const SEARCHED = 20;
const SEARCHED_WORD = 'ombrellone';

/** Every message starts with its number, so one is found by it alone; some run to a paragraph, so heights differ. */
function said(index: number): string {
  if (index === SEARCHED) return `Message ${index}. The ${SEARCHED_WORD} I ordered never arrived.`;
  if (index % 7 === 3) return `Message ${index}. ${'I have been waiting for the parcel since last week and nobody answers the phone. '.repeat(3)}`;
  return `Message ${index}.`;
}

type Scrollable = { scrollTop: number };

describe('a long conversation', () => {
  let e2e: E2eEnvironment;
  let session: Session;
  const log = () => session.app.page.getByRole('log');
  const messageAt = (index: number): Locator =>
    log()
      .locator('.message')
      .filter({ hasText: `Message ${index}.` });
  const messagesInDom = () => log().locator('.message').count();
  const inView = (locator: Locator) => expect.poll(() => isScrolledIntoView(locator, log()), { timeout: 10_000 }).toBe(true);
  const loadEarlier = () => session.app.page.getByRole('button', { name: session.tr('conversation.loadEarlier') });

  beforeAll(async () => {
    e2e = await startE2e();
    session = await e2e.open('en', { server: { customers: 2 } });
    const { t } = session.stack;
    // One at a time, so they stay in order (Meta's timestamps are whole seconds; ties go by id).
    for (let index = 0; index < MESSAGES; index += 1) await customerSays(t, customer(t, 0), said(index));
    await customerSays(t, customer(t, 1), 'A short conversation beside the long one.');
    await reachInbox(session, { username: 'irene', displayName: 'Irene Costa', roles: ['supervisor'] });
  }, 180_000);
  afterAll(async () => {
    // Closed first, so a complaint fails the file without leaving its browser and servers behind.
    const complaints = session?.app.complaints ?? [];
    await e2e?.close();
    expect(complaints).toEqual([]);
  });

  it('opens at the newest message, with the earlier ones on offer', async () => {
    await conversationRow(session, `Message ${MESSAGES - 1}.`).click();
    await heading(session, customer(session.stack.t, 0).name).waitFor();
    await inView(messageAt(MESSAGES - 1));
    await loadEarlier().waitFor();
  });

  it('keeps the messages on screen where they were as each earlier page comes in', async () => {
    const { page } = session.app;
    let oldest = MESSAGES - 50;
    while ((await loadEarlier().count()) > 0) {
      await log().evaluate((element: Scrollable) => {
        element.scrollTop = 0;
      });
      const anchor = messageAt(oldest);
      await inView(anchor);
      const before = (await anchor.boundingBox())?.y ?? Number.NaN;
      await loadEarlier().click();
      // The message just above it is the newest of the page that came in.
      await messageAt(oldest - 1).waitFor({ state: 'attached' });
      await expect.poll(async () => Math.abs(((await anchor.boundingBox())?.y ?? Number.NaN) - before), { timeout: 10_000 }).toBeLessThanOrEqual(1);
      oldest = Math.max(0, oldest - 50);
    }
    expect(oldest).toBe(0);
    await page.getByRole('button', { name: session.tr('conversation.loadingEarlier') }).waitFor({ state: 'detached' });
  });

  it('keeps only a screenful of messages in the DOM, and the keyboard reaches both ends', async () => {
    const { page } = session.app;
    expect(await messagesInDom()).toBeLessThanOrEqual(MOST_MESSAGES_IN_DOM);
    await log().focus();
    await page.keyboard.press('End');
    await inView(messageAt(MESSAGES - 1));
    expect(await messagesInDom()).toBeLessThanOrEqual(MOST_MESSAGES_IN_DOM);
    await page.keyboard.press('Home');
    await inView(messageAt(0));
    expect(await messagesInDom()).toBeLessThanOrEqual(MOST_MESSAGES_IN_DOM);
    await page.keyboard.press('PageDown');
    await expect.poll(() => isScrolledIntoView(messageAt(0), log())).toBe(false);
    await page.keyboard.press('Home');
    await inView(messageAt(0));
    await screenshot(page, 'long-conversation-top');

    // Tab goes on to the first message's Reply; the focus stays there however far the log scrolls.
    await page.keyboard.press('Tab');
    const reply = messageAt(0).getByRole('button', { name: session.tr('message.reply') });
    expect(await isFocused(reply)).toBe(true);
    await log().evaluate((element: Scrollable & { scrollHeight: number }) => {
      element.scrollTop = element.scrollHeight;
    });
    await inView(messageAt(MESSAGES - 1));
    expect(await isFocused(reply)).toBe(true);
    expect(await messagesInDom()).toBeLessThanOrEqual(MOST_MESSAGES_IN_DOM);
  });

  // Regression (keyboard-scroll-stopped-short): the browser's smooth scroll was stopped short by the
  // virtualizer's first adjustment for a message measured on the way, now and then leaving Home or
  // End in the middle of the log; the log now takes its keys at once.
  it('takes Home, End, PageUp and PageDown at once, without an animation a measurement could stop', async () => {
    const { page } = session.app;
    await log().focus();
    const scrollTopAfter = async (key: string) => {
      await page.keyboard.press(key);
      return log().evaluate(
        (element: Scrollable) =>
          new Promise<number>((resolve) => {
            const { requestAnimationFrame: nextFrame } = globalThis as unknown as { requestAnimationFrame: (then: () => void) => void };
            nextFrame(() => nextFrame(() => resolve(element.scrollTop)));
          }),
      );
    };
    const bottom = () => log().evaluate((element: Scrollable & { scrollHeight: number; clientHeight: number }) => element.scrollHeight - element.clientHeight);
    expect(await scrollTopAfter('Home')).toBe(0);
    const pageDown = await scrollTopAfter('PageDown');
    expect(pageDown).toBeGreaterThan(0);
    expect(await scrollTopAfter('PageUp')).toBe(0);
    expect(Math.abs((await scrollTopAfter('End')) - (await bottom()))).toBeLessThanOrEqual(1);
  });

  it('follows a new message while the agent is at the bottom, and leaves them where they are when reading history', async () => {
    const { page } = session.app;
    const { t } = session.stack;
    await log().focus();
    await page.keyboard.press('End');
    await inView(messageAt(MESSAGES - 1));
    await customerSays(t, customer(t, 0), 'Are you still there?');
    await inView(log().getByText('Are you still there?', { exact: true }));

    await page.keyboard.press('Home');
    const reading = messageAt(0);
    await inView(reading);
    const before = (await reading.boundingBox())?.y ?? Number.NaN;
    await customerSays(t, customer(t, 0), 'Hello again?');
    await conversationRow(session, 'Hello again?').waitFor();
    expect(Math.abs(((await reading.boundingBox())?.y ?? Number.NaN) - before)).toBeLessThanOrEqual(1);
    expect(await log().getByText('Hello again?', { exact: true }).count()).toBe(0);
    await page.keyboard.press('End');
    await inView(log().getByText('Hello again?', { exact: true }));
    await screenshot(page, 'long-conversation-bottom');
  });

  it('opens the conversation at a message far back when a search finds it', async () => {
    const { page } = session.app;
    await conversationRow(session, 'A short conversation beside the long one.').click();
    await heading(session, customer(session.stack.t, 1).name).waitFor();
    await searchBox(session).fill(SEARCHED_WORD);
    const hit = searchHits(session, 'messages').filter({ hasText: SEARCHED_WORD });
    await hit.click();
    await heading(session, customer(session.stack.t, 0).name).waitFor();
    const found = log()
      .locator('.message-found')
      .filter({ hasText: `Message ${SEARCHED}.` });
    await inView(found);
    expect(await messagesInDom()).toBeLessThanOrEqual(MOST_MESSAGES_IN_DOM);
    await page.keyboard.press('Escape');

    // The same log in Italian, for a person to look at.
    await page.getByLabel(session.tr('language.label')).selectOption('it');
    await page.getByRole('log', { name: translator('it')('conversation.messagesLabel') }).waitFor();
    await screenshot(page, 'long-conversation-found-it');
    await page.getByLabel(translator('it')('language.label')).selectOption('en');
    await page.getByRole('log', { name: session.tr('conversation.messagesLabel') }).waitFor();
  });

  it('shows the date on its messages once their day has passed', async () => {
    const { page } = session.app;
    // The page's clock from now on, and a fresh renderer to run on it (main keeps the agent signed in).
    await page.clock.install();
    await page.reload();
    await conversationRow(session, 'Hello again?').click();
    const time = log().locator('.message').filter({ hasText: 'Hello again?' }).locator('time');
    await time.waitFor();
    const today = await time.textContent();
    expect(today).toMatch(/^\d{2}:\d{2}$/);
    await page.clock.fastForward('24:00:00');
    await expect.poll(() => time.textContent(), { timeout: 10_000 }).not.toBe(today);
    expect(await time.textContent()).toMatch(/[A-Za-z]{3}/);
  });
});
