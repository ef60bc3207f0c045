/**
 * The teams screen in Chromium against the real stack, signed in as an administrator who is
 * neither agent nor supervisor: the inbox offers the admin screens only (no conversation list,
 * whatever customers write). The admin creates a team (a duplicate name refused in the screen's
 * language), adds a member with a capacity and a supervisor, changes the capacity, sends a
 * number's new conversations to it, and removes a team that holds a conversation only by naming
 * where it goes; the store holds each change, and
 * the agent's workstation sees the team's conversation once they join it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationPage } from '../../common/api/inbox.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { startCoreBehindProxy } from '../helpers/core-behind-proxy.js';
import type { CoreBehindProxy } from '../helpers/core-behind-proxy.js';
import { pairAndEnroll } from '../helpers/core-enrollment.js';
import { IT } from '../helpers/identity-setup.js';
import { runEvery } from '../helpers/run-every.js';
import { eventually } from '../helpers/store-queries.js';
import { reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

describe('the teams screen', () => {
  let e2e: E2eEnvironment;
  let session: Session;
  let bruno: CoreBehindProxy;
  let brunoId: number;
  const cleanups: Array<() => Promise<void> | void> = [];

  beforeAll(async () => {
    e2e = await startE2e();
    session = await e2e.open('it');
    await reachInbox(session, { username: 'irene', displayName: 'Irene Costa', roles: ['admin'] });
    const { t } = session.stack;
    bruno = await startCoreBehindProxy(t, cleanups);
    brunoId = (await pairAndEnroll(t, bruno.call, bruno.waitFor, 'bruno', 'agent', { teamIds: [] })).agentId;
    await t.server.identity.agents.create({ username: 'sara', displayName: 'Sara Neri', roles: ['supervisor'], teamIds: [] }, IT);
  }, 120_000);
  afterAll(async () => {
    const complaints = session?.app.complaints ?? [];
    await runEvery([...cleanups.splice(0).reverse(), () => e2e?.close()]);
    expect(complaints).toEqual([]);
  });

  it('offers an administrator who reads no conversation the admin screens only', async () => {
    const { page } = session.app;
    const { tr, stack } = session;
    await customerWrites(stack.t, customer(stack.t, 0), 'Buongiorno, chi mi risponde?');
    const sections = page.getByRole('navigation', { name: tr('inbox.sectionsLabel') });
    await sections.getByRole('button', { name: tr('inbox.section.teams') }).waitFor();
    // The administrator keeps the global quick replies and labels too (renderer/admin/RepliesSection.tsx), and the templates synced from Meta;
    // the analytics come first: figures of every team, without a conversation (docs/analytics.md).
    expect(await sections.getByRole('button').allTextContents()).toEqual([
      ...['analytics', 'devices', 'agents', 'teams', 'sessions', 'audit', 'numbers', 'safety', 'briefing', 'replies'].map((section) =>
        tr(`inbox.section.${section}`),
      ),
      tr('templates.section'),
    ]);
    expect(await page.getByRole('list', { name: tr('conversations.listLabel') }).count()).toBe(0);
    expect(await page.getByText('Buongiorno, chi mi risponde?').count()).toBe(0);
    // Nothing to be available for: no availability to set, only the time zone times are shown in.
    await page.locator('.time-zone-button').waitFor();
    expect(await page.getByLabel(tr('presence.availabilityLabel')).count()).toBe(0);
  });

  it('creates a team, refuses a duplicate name in the screen’s language, and fills it', async () => {
    const { page } = session.app;
    const { tr, stack } = session;
    await page.getByRole('button', { name: tr('inbox.section.teams') }).click();
    await page.getByRole('region', { name: 'General' }).waitFor();
    await page.getByLabel(tr('teams.name'), { exact: true }).fill('general');
    await page.getByRole('button', { name: tr('teams.create'), exact: true }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: tr('errors.team_name_taken') })
      .waitFor();
    expect((await stack.t.server.identity.teams.list()).teams.map((team) => team.name)).toEqual(['General']);

    await page.getByLabel(tr('teams.name'), { exact: true }).fill('Vendite');
    await page.getByRole('button', { name: tr('teams.create'), exact: true }).click();
    const card = page.getByRole('region', { name: 'Vendite' });
    await card.waitFor();
    await card.getByLabel(tr('teams.addMember')).selectOption({ label: 'bruno (bruno)' });
    await card.getByLabel(tr('teams.capacity'), { exact: true }).fill('3');
    await card
      .getByRole('button', { name: tr('teams.add') })
      .first()
      .click();
    const member = card.getByRole('row').filter({ hasText: 'bruno' });
    await member.waitFor();
    await card.getByLabel(tr('teams.addSupervisor')).selectOption({ label: 'Sara Neri (sara)' });
    await card
      .getByRole('button', { name: tr('teams.add') })
      .last()
      .click();
    await card.getByText('(sara)', { exact: true }).waitFor();

    await member.getByLabel(tr('teams.capacityOf', { name: 'bruno' })).fill('5');
    await member.getByRole('button', { name: tr('teams.setCapacity') }).click();
    await page
      .getByRole('status')
      .filter({ hasText: tr('teams.capacitySet', { name: 'bruno', capacity: '5' }) })
      .waitFor();
    const vendite = (await stack.t.server.identity.teams.list()).teams.find((team) => team.name === 'Vendite');
    expect(vendite?.members).toEqual([expect.objectContaining({ agentId: brunoId, capacity: 5 })]);
    expect(vendite?.supervisors.map((supervisor) => supervisor.username)).toEqual(['sara']);

    // The team's offline requeue time, in minutes on the screen, seconds in the store; a negative one is not sent, nothing changed.
    const requeue = card.getByLabel(tr('teams.offlineRequeue'));
    await requeue.fill('-1');
    await requeue
      .locator('xpath=ancestor::form')
      .getByRole('button', { name: tr('teams.setCapacity') })
      .click();
    expect(await requeue.evaluate((input) => (input as unknown as { validity: { rangeUnderflow: boolean } }).validity.rangeUnderflow)).toBe(true);
    expect((await stack.t.server.identity.teams.list()).teams.find((team) => team.name === 'Vendite')?.offlineRequeueAfterSeconds).toBeNull();
    await requeue.fill('5');
    await requeue
      .locator('xpath=ancestor::form')
      .getByRole('button', { name: tr('teams.setCapacity') })
      .click();
    await page
      .getByRole('status')
      .filter({ hasText: tr('teams.offlineRequeueSet', { minutes: '5' }) })
      .waitFor();
    expect((await stack.t.server.identity.teams.list()).teams.find((team) => team.name === 'Vendite')?.offlineRequeueAfterSeconds).toBe(300);
  });

  it('removes a team holding a conversation only by naming where it goes; the member sees it while it is theirs to see', async () => {
    const { page } = session.app;
    const { tr, stack } = session;
    const { t } = stack;
    const vendite = (await t.server.identity.teams.list()).teams.find((team) => team.name === 'Vendite');
    if (vendite === undefined) throw new Error('the team was not created');
    const second = t.sandbox.businesses[1];
    if (second === undefined) throw new Error('the sandbox serves two numbers');
    // The second number sends its new conversations to Vendite, chosen on the screen.
    const numbers = page.getByRole('region', { name: tr('teams.numbersTitle') });
    const named = await t.server.database.db
      .selectFrom('business_numbers')
      .select('display_name')
      .where('phone_number_id', '=', second.phoneNumberId)
      .executeTakeFirstOrThrow();
    await numbers.getByLabel(`${named.display_name} ${second.phoneNumberId}`).selectOption({ label: 'Vendite' });
    await page
      .getByRole('status')
      .filter({ hasText: tr('teams.numberTeamSet', { number: named.display_name, team: 'Vendite' }) })
      .waitFor();
    const routed = await t.server.database.db
      .selectFrom('business_numbers')
      .select('default_team_id')
      .where('phone_number_id', '=', second.phoneNumberId)
      .executeTakeFirstOrThrow();
    expect(routed.default_team_id).toBe(vendite.id);
    // Bruno away: the quote waits in Vendite's queue (routing would give it to him).
    await dispatchIpc(bruno.core, 'setAvailability', { available: false });
    const quote = await customerWrites(t, customer(t, 1), 'Vorrei un preventivo', second);
    const listed = async () =>
      ((await dispatchIpc(bruno.core, 'listConversations', { filter: 'all' })) as { value?: ConversationPage }).value?.items.map((item) => item.id) ?? [];
    await eventually(
      async () => ((await listed()).includes(quote.conversationId) ? true : undefined),
      15_000,
      'the team’s conversation on Bruno’s workstation',
    );

    await page.getByRole('button', { name: tr('inbox.section.devices') }).click();
    await page.getByRole('button', { name: tr('inbox.section.teams') }).click();
    const card = page.getByRole('region', { name: 'Vendite' });
    await card.getByRole('button', { name: `${tr('teams.remove')}: Vendite` }).click();
    const dialog = page.getByRole('dialog', { name: tr('teams.removeTitle', { name: 'Vendite' }) });
    await dialog.getByText(tr('teams.removeMove_one', { count: 1 })).waitFor();
    await dialog.getByLabel(tr('teams.moveTo')).selectOption({ label: 'General' });
    await dialog.getByRole('button', { name: tr('teams.remove') }).click();
    await page
      .getByRole('status')
      .filter({ hasText: tr('teams.removedMoved_one', { name: 'Vendite', count: 1 }) })
      .waitFor();
    await card.waitFor({ state: 'detached' });
    const row = await t.server.database.db.selectFrom('conversations').select('team_id').where('id', '=', quote.conversationId).executeTakeFirstOrThrow();
    const general = (await t.server.identity.teams.list()).teams[0];
    expect(row.team_id).toBe(general?.id);
    // Bruno was only in Vendite: the conversation left his workstation with the team.
    await eventually(
      async () => (!(await listed()).includes(quote.conversationId) ? true : undefined),
      15_000,
      'the conversation gone from Bruno’s workstation',
    );
  });
});
