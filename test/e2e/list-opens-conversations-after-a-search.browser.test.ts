/**
 * Regression: once a search had been ended (Escape, or the box cleared), a click on a row of the
 * conversation list that came back opened nothing. The box kept the focus, so its hint showed
 * above the list; pressing a row took the focus and hid the hint, the list moved up a line, and
 * the button was released over the next row: the click landed on the list, not on a row. In Chromium against the real stack: the agent searches, ends the
 * search both ways, and each time opens another conversation from the list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer } from '../helpers/conversations.js';
import { conversationRow, heading, reachInbox, searchBox, searchHits } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { customerSays } from './harness/customer-activity.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

describe('the conversation list after a search', () => {
  let e2e: E2eEnvironment;
  let session: Session;

  beforeAll(async () => {
    e2e = await startE2e();
    session = await e2e.open('en', { server: { customers: 3 } });
    const { t } = session.stack;
    await reachInbox(session, { username: 'irene', displayName: 'Irene Costa', roles: ['supervisor'] });
    await customerSays(t, customer(t, 0), 'Il pacco è arrivato rotto');
    await customerSays(t, customer(t, 1), 'Quando arriva il mio ordine?');
    await customerSays(t, customer(t, 2), 'Vorrei cambiare indirizzo');
  }, 120_000);
  afterAll(async () => {
    const complaints = session?.app.complaints ?? [];
    await e2e?.close();
    expect(complaints).toEqual([]);
  });

  it('opens a conversation from the list after Escape ended the search', async () => {
    const { page } = session.app;
    const { t } = session.stack;
    await conversationRow(session, customer(t, 2).name).click();
    await heading(session, customer(t, 2).name).waitFor();
    await searchBox(session).fill('pacco');
    await searchHits(session, 'messages').filter({ hasText: 'pacco' }).click();
    await heading(session, customer(t, 0).name).waitFor();
    await searchBox(session).focus();
    await page.keyboard.press('Escape');
    await conversationRow(session, customer(t, 1).name).click();
    await heading(session, customer(t, 1).name).waitFor({ timeout: 5_000 });
  });

  it('opens a conversation from the list after the box was cleared', async () => {
    const { t } = session.stack;
    await searchBox(session).fill('ordine');
    await searchHits(session, 'messages').filter({ hasText: 'ordine' }).waitFor();
    await searchBox(session).fill('');
    await conversationRow(session, customer(t, 0).name).click();
    await heading(session, customer(t, 0).name).waitFor({ timeout: 5_000 });
  });
});
