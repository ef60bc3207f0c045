/**
 * A supervisor who is not an admin sets their own team's business hours and away message from the
 * Overview, in Chromium against the real stack, in Italian: no admin section is offered, the team
 * they supervise shows its hours and saves new ones (in the store, audited as theirs), and a team
 * they do not supervise is neither shown nor settable through their workstation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { runEvery } from '../helpers/run-every.js';
import { IT } from '../helpers/identity-setup.js';
import { reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

describe('a supervisor’s own teams’ hours', () => {
  let e2e: E2eEnvironment;
  let session: Session;
  let vendite: number;

  beforeAll(async () => {
    e2e = await startE2e();
    session = await e2e.open('it');
    await reachInbox(session, { username: 'sara', displayName: 'Sara Conti', roles: ['supervisor'] });
    vendite = (await session.stack.t.server.identity.teams.create({ name: 'Vendite' }, IT)).id;
  }, 120_000);
  afterAll(async () => {
    const complaints = session?.app.complaints ?? [];
    await runEvery([() => e2e?.close()]);
    expect(complaints).toEqual([]);
  });

  it('sets the hours of the team she supervises from the Overview, and cannot reach another team’s', async () => {
    const { page } = session.app;
    const { tr, stack } = session;
    const { db } = stack.t.server.database;
    const nav = page.getByRole('navigation', { name: tr('inbox.sectionsLabel') });
    await nav.getByRole('button', { name: tr('inbox.section.supervision') }).click();
    expect(await nav.getByRole('button', { name: tr('inbox.section.teams') }).count()).toBe(0);
    const card = page.getByRole('region', { name: 'General' });
    await card.getByText(tr('hours.alwaysOpen')).waitFor();
    expect(await page.getByRole('region', { name: 'Vendite' }).count()).toBe(0);

    await card.getByRole('button', { name: tr('hours.editNamed', { name: 'General' }) }).click();
    const form = card.getByRole('form', { name: tr('hours.formLabel', { name: 'General' }) });
    await form.getByLabel(tr('hours.timeZone')).fill('Europe/Rome');
    await form.getByLabel(tr('hours.day.mon'), { exact: true }).fill('09:00–13:00, 14:00–18:00');
    await form.getByLabel(tr('hours.awayMessage')).fill('Siamo chiusi: vi rispondiamo lunedì dalle 9.');
    await form.getByRole('button', { name: tr('hours.save') }).click();
    await card
      .getByRole('status')
      .filter({ hasText: tr('hours.saved', { name: 'General' }) })
      .waitFor();
    const sara = await db.selectFrom('agents').select('id').where('username', '=', 'sara').executeTakeFirstOrThrow();
    const rows = await db.selectFrom('team_hours').selectAll().execute();
    expect(rows.map((row) => [row.time_zone, row.away_message, row.updated_by_agent_id])).toEqual([
      ['Europe/Rome', 'Siamo chiusi: vi rispondiamo lunedì dalle 9.', sara.id],
    ]);
    expect(JSON.parse(rows[0]?.week_json ?? '{}')).toMatchObject({
      mon: [
        { from: '09:00', to: '13:00' },
        { from: '14:00', to: '18:00' },
      ],
      tue: [],
    });
    const audited = await db.selectFrom('audit_log').select(['agent_id']).where('event', '=', 'team.hours_set').execute();
    expect(audited).toEqual([{ agent_id: sara.id }]);

    // Vendite is not hers: her workstation is refused it, and nothing is stored for it.
    for (const call of [
      dispatchIpc(stack.core, 'getTeamHours', { teamId: vendite }),
      dispatchIpc(stack.core, 'setTeamHours', { teamId: vendite, hours: null, awayMessage: 'Chiusi' }),
    ])
      expect(await call).toMatchObject({ ok: false, code: 'forbidden_role' });
    expect(await db.selectFrom('team_hours').select('team_id').execute()).toEqual([{ team_id: rows[0]?.team_id }]);
  }, 60_000);
});
