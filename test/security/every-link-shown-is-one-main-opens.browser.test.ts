/**
 * The renderer made a button of every `http://` or `https://` link in a customer's message (and of
 * any URL a shared location carried), while main's openLink opens only https: an agent clicking an
 * http link got a refusal, and the two sides each kept a rule of their own. Now both follow
 * common/links: a message's http, ftp and mailto links stay text, every link shown as a button is
 * one main opens, and the host main asks about is where the link really goes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer } from '../helpers/conversations.js';
import { conversationRow, heading, reachInbox } from '../e2e/harness/app-driver.js';
import type { Session } from '../e2e/harness/app-driver.js';
import { customerSays, customerSendsAsIs } from '../e2e/harness/customer-activity.js';
import { startE2e } from '../e2e/e2e-setup.js';
import type { E2eEnvironment } from '../e2e/e2e-setup.js';

const MESSAGE =
  'Tracking: http://track.example.com/1042 or https://track.example.com/1042. Old site ftp://files.example.com/x, ' +
  'mail mailto:help@example.com, and pay at https://bank.example@pay.evil.example/checkout (quick!)';

describe('links in customers’ messages', () => {
  let e2e: E2eEnvironment;
  let session: Session;

  beforeAll(async () => {
    e2e = await startE2e();
    session = await e2e.open('en');
    await reachInbox(session, { username: 'irene', displayName: 'Irene Costa', roles: ['supervisor'] });
  }, 120_000);
  afterAll(async () => {
    const complaints = session?.app.complaints ?? [];
    await e2e?.close();
    expect(complaints).toEqual([]);
  });

  it('are buttons only when main opens them, and main asks about the real host', async () => {
    const { page } = session.app;
    const { stack, tr } = session;
    const writer = customer(stack.t, 0);
    await customerSays(stack.t, writer, MESSAGE);
    await customerSendsAsIs(stack.t, writer, {
      type: 'location',
      location: { latitude: 45.4642, longitude: 9.19, name: 'Old shop', url: 'http://shop.example.com/where' },
    });
    await conversationRow(session, writer.name).click();
    await heading(session, writer.name).waitFor();
    const log = page.getByRole('log');
    await log.getByText('Old shop').waitFor();
    await log.getByText(/Tracking: http:\/\/track\.example\.com\/1042/).waitFor();

    const links = log.locator('.message-link');
    const names = await links.allTextContents();
    expect(names).toEqual(['https://track.example.com/1042', 'https://bank.example@pay.evil.example/checkout', tr('location.openMap')]);
    // What is not a link is still there to read.
    expect(await log.getByText('http://shop.example.com/where').count()).toBe(1);

    stack.platform.desktop.confirmLinks = false;
    for (let index = 0; index < names.length; index += 1) await links.nth(index).click();
    await expect
      .poll(() => stack.platform.desktop.linkPrompts.map((prompt) => prompt.url))
      .toEqual([
        'https://track.example.com/1042',
        'https://pay.evil.example/checkout',
        'https://www.openstreetmap.org/?mlat=45.4642&mlon=9.19#map=17/45.4642/9.19',
      ]);
    expect(stack.platform.desktop.linkPrompts.map((prompt) => prompt.host)).toEqual(['track.example.com', 'pay.evil.example', 'www.openstreetmap.org']);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(stack.platform.desktop.opened).toEqual([]);
  });
});
