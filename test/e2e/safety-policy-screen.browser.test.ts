/**
 * The safety policy screen, in Chromium against the real stack, in English and in Italian: an
 * administrator sees the defaults, enters a host list with an entry that is not a host (refused in
 * the screen's language, nothing stored), corrects it and switches a rule off (stored, version 1,
 * the hosts written as hosts); then someone else changes the policy, and the admin's next save is
 * refused with the words for a change made meanwhile, until they load the current one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UiLanguage } from './harness/catalogue.js';
import { IT } from '../helpers/identity-setup.js';
import { runEvery } from '../helpers/run-every.js';
import { reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

describe.each<UiLanguage>(['en', 'it'])('the safety policy screen (%s)', (language) => {
  let e2e: E2eEnvironment;
  let session: Session;

  beforeAll(async () => {
    e2e = await startE2e();
    session = await e2e.open(language, { server: { safetyDefaults: true } });
    await reachInbox(session, { username: 'irene', displayName: 'Irene Costa', roles: ['admin'] });
  }, 120_000);
  afterAll(async () => {
    const complaints = session?.app.complaints ?? [];
    await runEvery([() => e2e?.close()]);
    expect(complaints).toEqual([]);
  });

  const storedRow = () => session.stack.t.server.database.db.selectFrom('safety_policy').select(['version', 'policy_json']).execute();

  it('saves the lists and switches, refuses a bad host and a stale version in the screen’s language, and changes nothing then', async () => {
    const { page } = session.app;
    const { tr, stack } = session;
    await page.getByRole('button', { name: tr('inbox.section.safety') }).click();
    await page.getByText(tr('safety.neverChanged')).waitFor();
    const form = page.getByRole('form', { name: tr('safety.formLabel') });
    const cards = form.getByLabel(tr('safety.cards.refuseOutbound'));
    expect(await cards.isChecked()).toBe(true);
    expect(await form.getByLabel(tr('safety.groups.refuseGroupRecipients')).isDisabled()).toBe(true);

    await form.getByLabel(tr('safety.links.blockedHosts')).fill('Evil.Example\nco.uk');
    await form.getByRole('button', { name: tr('safety.save') }).click();
    await form
      .getByRole('alert')
      .filter({ hasText: tr('errors.host_list_invalid') })
      .waitFor();
    expect(await storedRow()).toEqual([]);

    await form.getByLabel(tr('safety.links.blockedHosts')).fill('Evil.Example\n*.phish.example');
    await cards.uncheck();
    await form.getByLabel(tr('safety.links.shortener_refuse')).check();
    await form.getByRole('button', { name: tr('safety.save') }).click();
    await form
      .getByRole('status')
      .filter({ hasText: tr('safety.saved', { version: 1 }) })
      .waitFor();
    const [row] = await storedRow();
    expect(row?.version).toBe(1);
    const policy = await stack.t.server.safety.policies.policy();
    expect(policy.links).toMatchObject({ blockedHosts: ['evil.example', 'phish.example'], shorteners: 'refuse' });
    expect(policy.cards.refuseOutbound).toBe(false);
    expect(await form.getByLabel(tr('safety.links.blockedHosts')).inputValue()).toBe('evil.example\nphish.example');

    // Someone else changes it meanwhile: the admin's next save is refused, and nothing of it kept.
    await stack.t.server.safety.policies.change({ version: 1, policy: { ...policy, briefing: { renewAfterDays: 90 } } }, IT);
    await form.getByLabel(tr('safety.maskedNumbers.supervisorsSeeNumbers')).check();
    await form.getByRole('button', { name: tr('safety.save') }).click();
    await form
      .getByRole('alert')
      .filter({ hasText: tr('errors.safety_policy_changed') })
      .waitFor();
    expect((await storedRow())[0]?.version).toBe(2);
    expect((await stack.t.server.safety.policies.policy()).maskedNumbers.supervisorsSeeNumbers).toBe(false);

    await form.getByRole('button', { name: tr('safety.loadTheirs') }).click();
    const versionTwo = tr('safety.version', { version: 2, when: '', who: '' }).split(',')[0] ?? '';
    await page
      .getByTestId('safety-version')
      .filter({ hasText: new RegExp(`^${versionTwo},`) })
      .waitFor();
    expect(await form.getByLabel(tr('safety.briefing.renewAfterDays')).inputValue()).toBe('90');
    expect(await form.getByLabel(tr('safety.maskedNumbers.supervisorsSeeNumbers')).isChecked()).toBe(false);
  });
});
