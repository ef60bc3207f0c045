/**
 * The routing rules on the teams screen, in Chromium against the real stack, in English and in
 * Italian: an administrator adds a keyword rule (a keyword with a * inside refused in the
 * screen's language before anything is sent) and a language rule, moves the second above the
 * first, and a customer's new conversation then goes to the team of the rule now first; the
 * admin edits a rule's team, switches one off and removes one, and the store holds each change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UiLanguage } from './harness/catalogue.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { IT } from '../helpers/identity-setup.js';
import { runEvery } from '../helpers/run-every.js';
import { eventually } from '../helpers/store-queries.js';
import { reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

describe.each<UiLanguage>(['en', 'it'])('the routing rules screen (%s)', (language) => {
  let e2e: E2eEnvironment;
  let session: Session;
  const teams: Record<string, number> = {};

  beforeAll(async () => {
    e2e = await startE2e();
    session = await e2e.open(language);
    await reachInbox(session, { username: 'irene', displayName: 'Irene Costa', roles: ['admin'] });
    for (const name of ['Rimborsi', 'Italiano']) teams[name] = (await session.stack.t.server.identity.teams.create({ name }, IT)).id;
  }, 120_000);
  afterAll(async () => {
    const complaints = session?.app.complaints ?? [];
    await runEvery([() => e2e?.close()]);
    expect(complaints).toEqual([]);
  });

  const storedRules = () =>
    session.stack.t.server.database.db
      .selectFrom('routing_rules')
      .select(['id', 'position', 'enabled', 'condition_kind', 'team_id'])
      .orderBy('position')
      .execute();

  it('adds rules (a bad keyword refused in the screen’s language), moves one up, and routes a new conversation by the new order', async () => {
    const { page } = session.app;
    const { tr, stack } = session;
    await page.getByRole('button', { name: tr('inbox.section.teams') }).click();
    const section = page.getByRole('region', { name: tr('routing.title') });
    await section.getByText(tr('routing.none')).waitFor();
    const form = section.locator('form.routing-form');

    await form.getByLabel(tr('routing.keywords')).fill('rim*borso');
    await form.getByLabel(tr('routing.team')).selectOption({ label: 'Rimborsi' });
    await form.getByRole('button', { name: tr('routing.add') }).click();
    await form
      .getByRole('alert')
      .filter({ hasText: tr('routing.problem.keyword') })
      .waitFor();
    expect(await storedRules()).toEqual([]);

    await form.getByLabel(tr('routing.keywords')).fill('rimbors*, refund');
    await form.getByRole('button', { name: tr('routing.add') }).click();
    await section
      .getByRole('status')
      .filter({ hasText: tr('routing.added') })
      .waitFor();
    const list = section.getByRole('list', { name: tr('routing.title') });
    await list.getByText(tr('routing.when.keyword', { keywords: '“rimbors*”, “refund”' })).waitFor();

    const fresh = section.locator('form.routing-form').last();
    await fresh.getByLabel(tr('routing.kind')).selectOption({ label: tr('routing.kinds.language') });
    const italian = new Intl.DisplayNames([language], { type: 'language' }).of('it') ?? 'it';
    await fresh.getByLabel(italian, { exact: true }).check();
    await fresh.getByLabel(tr('routing.team')).selectOption({ label: 'Italiano' });
    await fresh.getByRole('button', { name: tr('routing.add') }).click();
    await list.getByText(tr('routing.when.language', { languages: italian })).waitFor();
    expect((await storedRules()).map((rule) => [rule.condition_kind, rule.team_id])).toEqual([
      ['keyword', teams.Rimborsi],
      ['language', teams.Italiano],
    ]);

    await list.getByRole('button', { name: tr('routing.moveUpRule', { position: 2 }) }).click();
    await section
      .getByRole('status')
      .filter({ hasText: tr('routing.moved', { position: 2 }) })
      .waitFor();
    await eventually(async () => ((await storedRules())[0]?.condition_kind === 'language' ? true : undefined), 5000, 'the language rule first');
    expect(await list.locator('.routing-when').allTextContents()).toEqual([
      tr('routing.when.language', { languages: italian }),
      tr('routing.when.keyword', { keywords: '“rimbors*”, “refund”' }),
    ]);

    const written = await customerWrites(stack.t, customer(stack.t, 0), 'Buongiorno, vorrei un rimborso per il mio ordine di ieri');
    const row = await stack.t.server.database.db
      .selectFrom('conversations')
      .select('team_id')
      .where('id', '=', written.conversationId)
      .executeTakeFirstOrThrow();
    expect(row.team_id).toBe(teams.Italiano);
  });

  it('edits a rule’s team, switches one off and removes one', async () => {
    const { page } = session.app;
    const { tr } = session;
    const section = page.getByRole('region', { name: tr('routing.title') });
    const list = section.getByRole('list', { name: tr('routing.title') });
    await list.getByRole('button', { name: tr('routing.editRule', { position: 2 }) }).click();
    const editing = list.locator('form.routing-form');
    await editing.getByLabel(tr('routing.team')).selectOption({ label: 'Italiano' });
    await editing.getByRole('button', { name: tr('routing.save') }).click();
    await section
      .getByRole('status')
      .filter({ hasText: tr('routing.saved', { position: 2 }) })
      .waitFor();
    expect((await storedRules())[1]?.team_id).toBe(teams.Italiano);

    await list
      .locator('li')
      .first()
      .getByRole('button', { name: tr('routing.disable') })
      .click();
    await section
      .getByRole('status')
      .filter({ hasText: tr('routing.switchedOff', { position: 1 }) })
      .waitFor();
    expect((await storedRules())[0]?.enabled).toBe(0);
    await list.getByText(tr('routing.disabled')).waitFor();

    await list.getByRole('button', { name: tr('routing.removeRule', { position: 1 }) }).click();
    await section
      .getByRole('status')
      .filter({ hasText: tr('routing.removed', { position: 1 }) })
      .waitFor();
    expect((await storedRules()).map((rule) => [rule.position, rule.condition_kind])).toEqual([[1, 'keyword']]);
    expect(await list.locator('li').count()).toBe(1);
  });
});
