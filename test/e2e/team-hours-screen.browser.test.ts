/**
 * A team's business hours and away message on the teams screen, in Chromium against the real
 * stack, in Italian, signed in as an admin who also supervises: an unknown zone and overlapping
 * intervals are refused in the screen's language and change nothing, a day's text that cannot be
 * read is named before anything is sent; the hours saved are in the store and the card says
 * whether the team is open. With the team closed all week, a customer who writes gets the away
 * message, shown in the conversation as sent automatically.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer, customerWrites } from '../helpers/conversations.js';
import { runEvery } from '../helpers/run-every.js';
import { eventually } from '../helpers/store-queries.js';
import { conversationRow, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

describe('the business hours of a team', () => {
  let e2e: E2eEnvironment;
  let session: Session;

  beforeAll(async () => {
    e2e = await startE2e();
    session = await e2e.open('it');
    await reachInbox(session, { username: 'irene', displayName: 'Irene Costa', roles: ['admin', 'supervisor'] });
  }, 120_000);
  afterAll(async () => {
    const complaints = session?.app.complaints ?? [];
    await runEvery([() => e2e?.close()]);
    expect(complaints).toEqual([]);
  });

  const stored = () => session.stack.t.server.database.db.selectFrom('team_hours').selectAll().execute();

  it('refuses a zone and hours that make no sense in Italian, changing nothing, then saves good ones', async () => {
    const { page } = session.app;
    const { tr } = session;
    await page.getByRole('button', { name: tr('inbox.section.teams') }).click();
    const card = page.getByRole('region', { name: 'General' });
    await card.getByText(tr('hours.alwaysOpen')).waitFor();
    await card.getByRole('button', { name: tr('hours.editNamed', { name: 'General' }) }).click();
    const form = card.getByRole('form', { name: tr('hours.formLabel', { name: 'General' }) });
    const day = (key: string) => form.getByLabel(tr(`hours.day.${key}`), { exact: true });

    await form.getByLabel(tr('hours.timeZone')).fill('Europe/Atlantide');
    await day('mon').fill('09:00–13:00, 14:00–18:00');
    await form.getByLabel(tr('hours.awayMessage')).fill('Siamo chiusi: vi rispondiamo dalle 9.');
    await form.getByRole('button', { name: tr('hours.save') }).click();
    await form
      .getByRole('alert')
      .filter({ hasText: tr('errors.hours_time_zone_unknown') })
      .waitFor();
    expect(await stored()).toEqual([]);

    await form.getByLabel(tr('hours.timeZone')).fill('Europe/Rome');
    await day('tue').fill('09:00–13:00, 12:00–18:00');
    await form.getByRole('button', { name: tr('hours.save') }).click();
    await form
      .getByRole('alert')
      .filter({ hasText: tr('errors.hours_intervals_overlap') })
      .waitFor();
    expect(await stored()).toEqual([]);

    await day('tue').fill('nove-tredici');
    await form.getByRole('button', { name: tr('hours.save') }).click();
    await form
      .getByRole('alert')
      .filter({ hasText: tr('hours.unreadableDay', { day: tr('hours.day.tue') }) })
      .waitFor();

    await day('tue').fill('9:00-13:00');
    await form.getByLabel(tr('hours.holidays')).fill('2026-12-25 Natale\n2026-12-26');
    await form.getByRole('button', { name: tr('hours.save') }).click();
    await card
      .getByRole('status')
      .filter({ hasText: tr('hours.saved', { name: 'General' }) })
      .waitFor();
    const [row] = await stored();
    expect(row).toMatchObject({ time_zone: 'Europe/Rome', away_message: 'Siamo chiusi: vi rispondiamo dalle 9.' });
    expect(JSON.parse(row?.week_json ?? '{}')).toMatchObject({
      mon: [
        { from: '09:00', to: '13:00' },
        { from: '14:00', to: '18:00' },
      ],
      tue: [{ from: '09:00', to: '13:00' }],
      wed: [],
    });
    expect(JSON.parse(row?.holidays_json ?? '[]')).toEqual([{ date: '2026-12-25', name: 'Natale' }, { date: '2026-12-26' }]);
    await card
      .getByText(new RegExp(`${tr('hours.openNow', { zone: 'Europe/Rome' })}|${tr('hours.closedNow', { zone: 'Europe/Rome' })}`.replace(/[()]/g, '\\$&')))
      .waitFor();
  });

  it('shows the away message a customer got while the team was closed as sent automatically', async () => {
    const { page } = session.app;
    const { tr, stack } = session;
    // Closed all week: whoever writes now is outside the hours.
    const card = page.getByRole('region', { name: 'General' });
    await card.getByRole('button', { name: tr('hours.editNamed', { name: 'General' }) }).click();
    const form = card.getByRole('form', { name: tr('hours.formLabel', { name: 'General' }) });
    for (const key of ['mon', 'tue']) await form.getByLabel(tr(`hours.day.${key}`), { exact: true }).fill('');
    await form.getByRole('button', { name: tr('hours.save') }).click();
    await card.getByText(tr('hours.closedNow', { zone: 'Europe/Rome' })).waitFor();

    const who = customer(stack.t, 0);
    const { conversationId } = await customerWrites(stack.t, who, 'C’è qualcuno?');
    const { db } = stack.t.server.database;
    const away = () =>
      db.selectFrom('messages').select('status').where('conversation_id', '=', conversationId).where('origin', '=', 'automatic').executeTakeFirst();
    await eventually(
      async () => (['accepted', 'sent', 'delivered', 'read'].includes((await away())?.status ?? '') ? true : undefined),
      10_000,
      'the away message accepted',
    );
    await page.getByRole('button', { name: tr('inbox.section.conversations') }).click();
    await conversationRow(session, who.name).click();
    const bubble = page.locator('.message-outbound').filter({ hasText: 'Siamo chiusi: vi rispondiamo dalle 9.' });
    await bubble.getByText(tr('message.automatic')).waitFor();
  });
});
