/**
 * A supervisor's bulk reassignment in Chromium, two workstations side by side against one server:
 * Anna is off sick holding four conversations; Sara, supervising General, opens "Reassign…" on
 * Anna's row of the Overview, leaves one out and sends the rest to Marco with a note. Anna had
 * moved one of them to Vendite meanwhile (a team Sara does not supervise): the server refuses the
 * whole move, the dialog marks that conversation, nothing has moved; Sara leaves it out and moves
 * the other two. Without a reload they are in Marco's "Mine", with the note and the system line,
 * and the Overview says what moved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, IT } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { openSecondAgent } from './harness/second-agent.js';
import type { SecondAgent } from './harness/second-agent.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

const NOTE = 'Anna is off sick this week: these customers are waiting for an answer today';

describe('a supervisor’s bulk reassignment', () => {
  let e2e: E2eEnvironment;
  let sara: Session;
  let marco: Session;
  let second: SecondAgent | undefined;
  let anna: EnrolledAgent;
  let annasDesk: TestDevice;
  let vendite: number;
  /** Anna's four conversations, customers 0–3, in the order they wrote. */
  let held: number[];

  beforeAll(async () => {
    e2e = await startE2e();
    sara = await e2e.open('en', { server: { customers: 4 } });
    await reachInbox(sara, { username: 'sara', displayName: 'Sara Conti', roles: ['supervisor'] });
    const { t } = sara.stack;
    second = await openSecondAgent(e2e, sara, { hostname: 'reception-04' });
    marco = second.session;
    await reachInbox(marco, { username: 'marco', displayName: 'Marco Neri', roles: ['agent'] });
    // Marco is away: routing gives him nothing, so what reaches him is Sara's doing.
    await dispatchIpc(second.workstation.core, 'setAvailability', { available: false });
    const general = (await t.server.identity.teams.list()).teams.find((team) => team.isDefault)?.id ?? 0;
    vendite = (await t.server.identity.teams.create({ name: 'Vendite' }, IT)).id;
    annasDesk = await approvedDevice(t, 'anna-desk');
    anna = await enrolledAgent(t, annasDesk, 'anna', 'agent', [general, vendite]);
    held = [];
    for (const index of [0, 1, 2, 3]) {
      const { conversationId } = await customerWrites(t, customer(t, index), `Question ${index} for the shop`);
      const claimed = await annasDesk.call('POST', `/v1/conversations/${conversationId}/claim`, {}, anna.session.accessToken);
      expect(claimed.status).toBe(200);
      held.push(conversationId);
    }
  }, 180_000);
  afterAll(async () => {
    const complaints = [...(sara?.app.complaints ?? []), ...(second?.app.complaints ?? [])];
    await second?.app.close();
    await second?.workstation.close();
    await e2e?.close();
    expect(complaints).toEqual([]);
  });

  const slow = { timeout: 20_000 };
  const name = (index: number) => customer(sara.stack.t, index).name;
  const holders = async () =>
    (
      await sara.stack.t.server.database.db.selectFrom('conversations').select(['assigned_agent_id', 'team_id']).where('id', 'in', held).orderBy('id').execute()
    ).map((row) => [row.assigned_agent_id, row.team_id]);

  it('moves what Sara picks of Anna’s conversations to Marco, after a refusal that named the one that had left her team', async () => {
    const { page } = sara.app;
    const { tr } = sara;
    await marco.app.page.getByRole('button', { name: marco.tr('conversations.filter.mine'), exact: true }).click();
    await page.getByRole('button', { name: tr('inbox.section.supervision') }).click();
    const team = page.getByRole('region', { name: 'General' });
    const annasRow = team.getByRole('row').filter({ hasText: 'Anna' });
    await annasRow.getByText(tr('desk.openOfCapacity', { open: 4, capacity: 10 })).waitFor(slow);
    await annasRow.getByRole('button', { name: tr('desk.reassign.openNamed', { name: 'Anna' }) }).click();

    const dialog = page.getByRole('dialog', { name: tr('desk.reassign.title', { name: 'Anna' }) });
    const item = (index: number) => dialog.getByRole('listitem').filter({ hasText: name(index) });
    for (const index of [0, 1, 2, 3]) await item(index).waitFor(slow);
    expect(await dialog.getByRole('checkbox', { name: tr('desk.reassign.all', { count: 4 }) }).isChecked()).toBe(true);
    // Customer 3's conversation stays with Anna.
    await item(3).getByRole('checkbox').uncheck();
    const to = dialog.getByLabel(tr('desk.reassign.to'), { exact: true });
    const marcosOption = await to.locator('option', { hasText: 'Marco Neri' }).getAttribute('value');
    await to.selectOption(marcosOption ?? '');
    await dialog.getByLabel(tr('desk.reassign.note'), { exact: true }).fill(NOTE);

    // Meanwhile Anna sends customer 1's to the queue of Vendite, which Sara does not supervise.
    const [, movedAway] = held as [number, number];
    expect((await annasDesk.call('POST', `/v1/conversations/${movedAway}/transfer`, { teamId: vendite }, anna.session.accessToken)).status).toBe(200);
    const before = await holders();
    await dialog.getByRole('button', { name: tr('desk.reassign.confirm_other', { count: 3 }) }).click();
    await dialog
      .getByRole('alert')
      .filter({ hasText: tr('errors.bulk_reassign_not_found') })
      .waitFor(slow);
    await item(1).getByText(tr('desk.reassign.refusedNotFound')).waitFor();
    expect(await dialog.locator('.reassign-refused').count()).toBe(1);
    // All or nothing: nothing moved.
    expect(await holders()).toEqual(before);

    await dialog.getByRole('button', { name: tr('desk.reassign.leaveOut_one', { count: 1 }) }).click();
    expect(await item(1).getByRole('checkbox').isChecked()).toBe(false);
    await dialog.getByRole('button', { name: tr('desk.reassign.confirm_other', { count: 2 }) }).click();
    await dialog.waitFor({ state: 'detached', ...slow });
    await team
      .getByRole('status')
      .filter({ hasText: tr('desk.reassign.doneToMember_other', { count: 2, from: 'Anna', to: 'Marco Neri' }) })
      .waitFor();

    // Marco's list has them without a reload; customer 3's is still Anna's, customer 1's waits in Vendite.
    for (const index of [0, 2]) await conversationRow(marco, name(index)).waitFor(slow);
    expect(await conversationRow(marco, name(3)).count()).toBe(0);
    expect(await conversationRow(marco, name(1)).count()).toBe(0);
    const marcoId = (await sara.stack.t.server.database.db.selectFrom('agents').select('id').where('username', '=', 'marco').executeTakeFirstOrThrow()).id;
    expect(await holders()).toEqual([
      [marcoId, before[0]?.[1]],
      [null, vendite],
      [marcoId, before[2]?.[1]],
      [anna.agentId, before[3]?.[1]],
    ]);
    await conversationRow(marco, name(0)).click();
    await heading(marco, name(0)).waitFor();
    await marco.app.page.getByText(NOTE).waitFor(slow);
    await marco.app.page
      .locator('.system-line')
      .getByText(marco.tr('lifecycle.system.assigned', { who: 'Sara Conti', assignee: 'Marco Neri' }), { exact: false })
      .waitFor(slow);
    // The Overview follows: Anna holds one now.
    await annasRow.getByText(tr('desk.openOfCapacity', { open: 1, capacity: 10 })).waitFor(slow);
  }, 120_000);
});
