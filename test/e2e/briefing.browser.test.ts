/**
 * The security briefing, in Chromium against the real stack, in English and in Italian: an agent
 * who has not acknowledged it sees the briefing screen, not the inbox, at their first sign-in; its
 * rules come one at a time, each with its checkbox, in the screen's language, and the inbox opens
 * once every rule is ticked (the server holds one acknowledgement row per rule). A new version an
 * admin publishes brings the screen back at once. An administrator edits and publishes a version
 * on the admin screen and sees who has acknowledged which version.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_BRIEFING } from '../../common/briefing/briefing.js';
import type { BriefingRule } from '../../common/briefing/briefing.js';
import { acknowledgeTheBriefing, IT } from '../helpers/identity-setup.js';
import { screenshot } from '../helpers/browser-screenshot.js';
import { runEvery } from '../helpers/run-every.js';
import type { UiLanguage } from './harness/catalogue.js';
import { askToPair, confirmAuthenticator, fillEnrollment, itApproves, reachInbox, submitEnrollment, waitForHeading } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

const NEW_RULE: BriefingRule = {
  id: 'report_incidents',
  title: { en: 'Report what looks wrong', it: 'Segnala ciò che non va' },
  text: { en: 'Tell IT at once about a message or file that looks wrong.', it: 'Avvisa subito l’IT di un messaggio o un file che sembra strano.' },
};

/** Ticks the briefing's rules one by one: each next rule shows only once the one before is ticked; the inbox button waits for the last. */
async function tickEveryRule(session: Session, rules: readonly BriefingRule[], language: UiLanguage): Promise<void> {
  const { page } = session.app;
  const { tr } = session;
  const boxes = page.getByRole('checkbox', { name: tr('briefing.acknowledgeRule') });
  const open = page.getByRole('button', { name: tr('briefing.openInbox') });
  for (const [index, rule] of rules.entries()) {
    await page.getByRole('heading', { name: tr('briefing.ruleTitle', { number: index + 1, title: rule.title[language] }) }).waitFor();
    expect(await boxes.count()).toBe(index + 1);
    expect(await open.isDisabled()).toBe(true);
    await boxes.nth(index).check();
  }
  expect(await open.isDisabled()).toBe(false);
  await open.click();
}

describe.each<UiLanguage>(['en', 'it'])('the security briefing (%s)', (language) => {
  let e2e: E2eEnvironment;
  let agent: Session;
  let admin: Session;

  beforeAll(async () => {
    e2e = await startE2e();
    agent = await e2e.open(language);
    admin = await e2e.open(language);
  }, 120_000);
  afterAll(async () => {
    const complaints = [...(agent?.app.complaints ?? []), ...(admin?.app.complaints ?? [])];
    await runEvery([() => e2e?.close()]);
    expect(complaints).toEqual([]);
  });

  it('shows the briefing rule by rule before the first inbox, and again for a new version', async () => {
    const { page } = agent.app;
    const { tr, stack } = agent;
    const pairing = await askToPair(agent);
    await itApproves(agent, pairing.code);
    await fillEnrollment(agent, { username: 'bruno', displayName: 'Bruno Rizzi', roles: ['agent'], briefingAcknowledged: false });
    await confirmAuthenticator(agent, await submitEnrollment(agent));
    await page.getByLabel(tr('recoveryCodes.saved')).check();
    await page.getByRole('button', { name: tr('recoveryCodes.continue') }).click();
    await waitForHeading(agent, tr('briefing.title'));
    expect(await page.locator('[data-screen="inbox"]').count()).toBe(0);
    await page.getByText(tr('briefing.why.first')).waitFor();
    // One rule shown, and its words in the screen's language.
    await page.getByText(BUILT_IN_BRIEFING[0]?.text[language] ?? '').waitFor();
    expect(await page.getByText(BUILT_IN_BRIEFING[1]?.text[language] ?? '').count()).toBe(0);
    await screenshot(page, `briefing-first-${language}`);

    await tickEveryRule(agent, BUILT_IN_BRIEFING, language);
    await page.locator('[data-screen="inbox"]').waitFor();
    const { db } = stack.t.server.database;
    const rows = await db.selectFrom('briefing_acknowledgements').select(['version', 'rule_id']).execute();
    expect(rows.map((row) => row.rule_id).sort()).toEqual(BUILT_IN_BRIEFING.map((rule) => rule.id).sort());

    // An admin publishes a new version: the inbox gives way to the briefing at once.
    const rules = [...BUILT_IN_BRIEFING.slice(0, 2), NEW_RULE];
    await stack.t.server.briefings.publish({ fromVersion: 1, rules }, IT);
    await waitForHeading(agent, tr('briefing.title'));
    await page.getByText(tr('briefing.why.new_version')).waitFor();
    await tickEveryRule(agent, rules, language);
    await page.locator('[data-screen="inbox"]').waitFor();
    const second = await db.selectFrom('briefing_acknowledgements').select('rule_id').where('version', '=', 2).execute();
    expect(second.map((row) => row.rule_id).sort()).toEqual(rules.map((rule) => rule.id).sort());
  });

  it('lets an administrator edit and publish a version, and see who acknowledged which', async () => {
    const { page } = admin.app;
    const { tr, stack } = admin;
    await reachInbox(admin, { username: 'irene', displayName: 'Irene Costa', roles: ['admin'] });
    const carla = await stack.t.server.identity.agents.create({ username: 'carla', displayName: 'Carla Bini', roles: ['agent'] }, IT);
    await acknowledgeTheBriefing(stack.t, { agentId: carla.agent.id, username: 'carla' });
    await stack.t.server.identity.agents.create({ username: 'dario', displayName: 'Dario Galli', roles: ['agent'] }, IT);

    await page.getByRole('button', { name: tr('inbox.section.briefing') }).click();
    await page.getByText(tr('briefing.admin.builtIn')).waitFor();
    const acks = page.getByRole('table');
    await acks
      .getByRole('row')
      .filter({ hasText: 'Carla Bini' })
      .filter({ hasText: tr('briefing.admin.yes') })
      .waitFor();
    await acks
      .getByRole('row')
      .filter({ hasText: 'Dario Galli' })
      .filter({ hasText: tr('briefing.admin.never') })
      .waitFor();

    const form = page.getByRole('form', { name: tr('briefing.admin.formLabel') });
    await form.getByRole('button', { name: tr('briefing.admin.addRule') }).click();
    const added = form.getByRole('group', { name: tr('briefing.admin.rule', { number: BUILT_IN_BRIEFING.length + 1 }) });
    await added.getByLabel(tr('briefing.admin.ruleId')).fill(NEW_RULE.id);
    await added.getByLabel(tr('briefing.admin.titleEn')).fill(NEW_RULE.title.en);
    await added.getByLabel(tr('briefing.admin.textEn')).fill(NEW_RULE.text.en);
    await added.getByLabel(tr('briefing.admin.titleIt')).fill(NEW_RULE.title.it);
    // Italian text left empty: refused, nothing published.
    await form.getByRole('button', { name: tr('briefing.admin.publish', { version: 2 }) }).click();
    await form.getByRole('alert').waitFor();
    expect((await stack.t.server.briefings.current()).version).toBe(1);

    await added.getByLabel(tr('briefing.admin.textIt')).fill(NEW_RULE.text.it);
    await form.getByRole('button', { name: tr('briefing.admin.publish', { version: 2 }) }).click();
    await form
      .getByRole('status')
      .filter({ hasText: tr('briefing.admin.published', { version: 2 }) })
      .waitFor();
    const current = await stack.t.server.briefings.current();
    expect(current).toMatchObject({ version: 2, publishedBy: expect.stringMatching(/^agent:\d+:irene$/) as unknown });
    expect(current.rules).toEqual([...BUILT_IN_BRIEFING, NEW_RULE]);
    await acks
      .getByRole('row')
      .filter({ hasText: 'Carla Bini' })
      .filter({ hasText: tr('briefing.admin.no') })
      .waitFor();
    await screenshot(page, `briefing-admin-${language}`, { fullPage: true });
  });
});
