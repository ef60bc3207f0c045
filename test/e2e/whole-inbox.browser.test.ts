/**
 * A supervisor on a fresh workstation (an empty cache) signing in to an inbox bigger than the first
 * load, in Chromium against the real stack over a slow network: scrolling the list shows a loading
 * state while more comes from the server, and reaches every conversation; a long conversation
 * offers "Load earlier" when it opens and again when it is reopened, and says it is loading.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer } from '../helpers/conversations.js';
import type { TcpProxy } from '../helpers/tcp-proxy.js';
import { conversationRow, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { translator } from './harness/catalogue.js';
import { customerSays } from './harness/customer-activity.js';
import { screenshot } from '../helpers/browser-screenshot.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

/** More than the 200 the cache loads after sign-in, and more than three of the list's pages of 100. */
const CUSTOMERS = 320;
/** More than the conversation's page of 50. */
const LONG_CONVERSATION = 80;
/** Long enough to see the loading state and take its picture, short enough for the test. */
const SLOW_ANSWER_MS = 1500;

type Scrollable = { scrollTop: number; scrollHeight: number };

/** Runs `work` with the server's answers slowed down, and the network back to normal after, whatever happens. */
async function overSlowNetwork<T>(network: TcpProxy | undefined, work: () => Promise<T>): Promise<T> {
  if (network === undefined) throw new Error('the stack runs without its proxy');
  network.delayAnswers(SLOW_ANSWER_MS);
  try {
    return await work();
  } finally {
    network.delayAnswers(0);
  }
}

const said = (index: number) => `Conversation ${index}.`;
const saidAgain = (index: number) => `Long conversation, message ${index}.`;

describe('the whole inbox on a fresh workstation', () => {
  let e2e: E2eEnvironment;
  let session: Session;

  beforeAll(async () => {
    e2e = await startE2e();
    session = await e2e.open('en', { server: { customers: CUSTOMERS }, throughProxy: true });
    const { t } = session.stack;
    // The inbox exists before the workstation signs in: it starts from pages, not from the feed.
    for (let start = 0; start < CUSTOMERS; start += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, CUSTOMERS - start) }, (_, offset) => customerSays(t, customer(t, start + offset), said(start + offset))),
      );
    }
    // Customer 0 writes on, one message at a time (so they stay in order), and tops the list: Meta's
    // timestamps are whole seconds and ties go by conversation id, so from the next second on.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 1));
    for (let index = 1; index < LONG_CONVERSATION; index += 1) await customerSays(t, customer(t, 0), saidAgain(index));
    await reachInbox(session, { username: 'irene', displayName: 'Irene Costa', roles: ['supervisor'] });
  }, 180_000);
  afterAll(async () => {
    // Closed first, so a complaint fails the file without leaving its browser and servers behind.
    const complaints = session?.app.complaints ?? [];
    await e2e?.close();
    expect(complaints).toEqual([]);
  });

  it('shows a loading state while the list fetches more, and lists every conversation to the bottom', async () => {
    const { page } = session.app;
    const { t, network } = session.stack;
    const bottom = await t.server.database.db
      .selectFrom('conversations')
      .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
      .select('contacts.wa_id')
      .orderBy('conversations.last_message_at', 'asc')
      .orderBy('conversations.id', 'asc')
      .executeTakeFirstOrThrow();
    const oldest = conversationRow(session, said(t.customers.customers.findIndex((candidate) => candidate.waId === bottom.wa_id)));
    await conversationRow(session, saidAgain(LONG_CONVERSATION - 1)).waitFor();

    const scroller = page.locator('.conversation-scroller');
    const loading = page.getByRole('status').filter({ hasText: session.tr('conversations.loading') });
    const sawLoading = await overSlowNetwork(network, async () => {
      let seen = false;
      const deadline = Date.now() + 30_000;
      while ((await oldest.count()) === 0) {
        if (Date.now() > deadline) throw new Error('the list ended before its oldest conversation');
        await scroller.evaluate((element: Scrollable) => {
          element.scrollTop = element.scrollHeight;
        });
        if (!seen && (await loading.count()) > 0) {
          seen = true;
          await screenshot(page, 'whole-inbox-list-loading');
        }
        await page.waitForTimeout(50);
      }
      return seen;
    });
    expect(sawLoading).toBe(true);
    const lastItem = page.locator('.conversation-item').last();
    await expect(lastItem.getAttribute('aria-setsize')).resolves.toBe(String(CUSTOMERS));
    await expect(lastItem.getAttribute('aria-posinset')).resolves.toBe(String(CUSTOMERS));
    await screenshot(page, 'whole-inbox-list-bottom');
  }, 60_000);

  it('offers earlier messages when a long conversation opens and when it is reopened, and says it is loading them', async () => {
    const { page } = session.app;
    const { network } = session.stack;
    await page.locator('.conversation-scroller').evaluate((element: Scrollable) => {
      element.scrollTop = 0;
    });
    const long = conversationRow(session, saidAgain(LONG_CONVERSATION - 1));
    // The conversation's log, whichever language labels it.
    const log = page.getByRole('log');
    // A loaded CI machine (the whole suite in parallel) can take past the harness's 10 s to open 80 messages.
    const opening = { timeout: 30_000 };
    await long.click();
    await log.getByText(saidAgain(LONG_CONVERSATION - 1)).waitFor(opening);
    await page.getByRole('button', { name: session.tr('conversation.loadEarlier') }).waitFor();

    // Another conversation, then back: the earlier messages are still on offer.
    await page.locator('.conversation-item[aria-posinset="2"] button').click();
    await log.getByText(saidAgain(LONG_CONVERSATION - 1)).waitFor({ state: 'detached' });
    await long.click();
    await log.getByText(saidAgain(LONG_CONVERSATION - 1)).waitFor(opening);

    // In Italian this time, over the slow network: the button says it is loading, then the start is there.
    const it = translator('it');
    await page.getByLabel(session.tr('language.label')).selectOption('it');
    const earlier = page.getByRole('button', { name: it('conversation.loadEarlier') });
    await earlier.waitFor();
    await overSlowNetwork(network, async () => {
      await earlier.click();
      await page.getByRole('button', { name: it('conversation.loadingEarlier') }).waitFor();
      await screenshot(page, 'whole-inbox-load-earlier-loading');
      await log.getByText(said(0), { exact: true }).waitFor();
    });
    await expect(page.getByRole('button', { name: it('conversation.loadEarlier') }).count()).resolves.toBe(0);
    await expect(log.getByText(saidAgain(1), { exact: true }).count()).resolves.toBe(1);
  });
});
