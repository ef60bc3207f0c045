/**
 * `safety …` as an admin runs it beside the server: `show` the defaults and every setting, `set`
 * one setting (a list, a switch, a number), each audited as the CLI's act and found by the
 * running server, whose workstations' feeds are told the new version; each bad input one coded
 * line that changes nothing (an unknown setting, a value of the wrong kind, a host that is not
 * one, a stale --version, a group path).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminSafetyPolicyView, DEFAULT_SAFETY_POLICY } from '../../common/safety/safety-policy.js';
import { approvedDevice, enrolledAgent, openEventSocket } from '../helpers/identity-setup.js';
import type { EventSocket } from '../helpers/identity-setup.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import { adminJson, expectOneLineFailure, runAdmin } from './admin-cli-process.js';

let t: TestServer;
let feed: EventSocket;
beforeAll(async () => {
  t = await startTestServer({ eventFeed: { pollMs: 50 }, safetyDefaults: true });
  const device = await approvedDevice(t, 'safety-cli-desk');
  const agent = await enrolledAgent(t, device, 'bruno', 'agent');
  feed = await openEventSocket(t, device, agent.session.accessToken);
}, 60_000);
afterAll(async () => {
  feed?.close();
  await t?.close();
});

const stored = async () => ({
  row: await t.server.database.db.selectFrom('safety_policy').selectAll().execute(),
  audit: (await t.server.database.db.selectFrom('audit_log').select('id').execute()).length,
});

describe('safety', () => {
  it('shows the defaults, every setting on a line of its own', async () => {
    const text = await runAdmin(t.dataDir, ['safety', 'show']);
    expect(text, text.stderr).toMatchObject({ code: 0 });
    expect(text.stdout).toMatch(/^Safety policy: version 0, never changed: every setting at its default/);
    expect(text.stdout).toMatch(/links\.blockedHosts\s+\(none\)/);
    expect(text.stdout).toMatch(/cards\.refuseOutbound\s+true/);
    expect(AdminSafetyPolicyView.parse(await adminJson(t.dataDir, ['safety', 'show']))).toEqual({
      version: 0,
      policy: DEFAULT_SAFETY_POLICY,
      changedAt: null,
      changedBy: null,
    });
  });

  it('sets one setting at a time, audited as the CLI’s act; the running server uses it and tells the workstations', async () => {
    const set = AdminSafetyPolicyView.parse(await adminJson(t.dataDir, ['safety', 'set', 'links.blockedHosts', 'Evil.Example, *.phish.example']));
    expect(set).toMatchObject({ version: 1, changedBy: expect.stringMatching(/^cli:/) });
    expect(set.policy.links.blockedHosts).toEqual(['evil.example', 'phish.example']);
    const off = await runAdmin(t.dataDir, ['safety', 'set', 'codes.holdOutboundCodes', 'off', '--version', '1']);
    expect(off.stdout).toMatch(/^Changed the safety policy: version 2, changed .* by cli:/);
    expect((await runAdmin(t.dataDir, ['safety', 'set', 'briefing.renewAfterDays', '180'])).code).toBe(0);
    expect((await runAdmin(t.dataDir, ['safety', 'set', 'personalData.privacyNoticeUrl', 'https://shop.example/privacy'])).code).toBe(0);
    const policy = await t.server.safety.policies.policy();
    expect(policy).toEqual({
      ...DEFAULT_SAFETY_POLICY,
      links: { ...DEFAULT_SAFETY_POLICY.links, blockedHosts: ['evil.example', 'phish.example'] },
      codes: { ...DEFAULT_SAFETY_POLICY.codes, holdOutboundCodes: false },
      briefing: { renewAfterDays: 180 },
      personalData: { requirePurpose: true, privacyNoticeUrl: 'https://shop.example/privacy' },
    });
    await feed.next((event) => event.type === 'safety_policy_changed' && event.version === 4);
    const rows = await t.server.database.db
      .selectFrom('audit_log')
      .select(['event', 'actor', 'details_json'])
      .where('event', '=', 'safety.policy_changed')
      .orderBy('id')
      .execute();
    expect(rows.map((row) => JSON.parse(row.details_json) as unknown)).toEqual([
      { fromVersion: 0, version: 1, sections: 'links' },
      { fromVersion: 1, version: 2, sections: 'codes' },
      { fromVersion: 2, version: 3, sections: 'briefing' },
      { fromVersion: 3, version: 4, sections: 'personalData' },
    ]);
    expect(rows.every((row) => row.actor.startsWith('cli:'))).toBe(true);
  });

  it('refuses bad input with one coded line, changing nothing', async () => {
    const before = await stored();
    const failures = [
      [['safety', 'set', 'links.nothing', 'x'], /invalid_argument.*<setting>: a setting is one of/],
      [['safety', 'set', 'cards.refuseOutbound', 'maybe'], /invalid_argument.*on or off/],
      [['safety', 'set', 'briefing.renewAfterDays', 'soon'], /invalid_argument.*whole number/],
      [['safety', 'set', 'links.allowedOutboundHosts', 'shop.example,co.uk'], /host_list_invalid.*co\.uk/],
      [['safety', 'set', 'briefing.renewAfterDays', '0'], /safety_policy_invalid.*briefing\.renewAfterDays/],
      [['safety', 'set', 'groups.refuseGroupRecipients', 'off'], /safety_policy_invalid.*groups/],
      [['safety', 'set', 'cards.refuseOutbound', 'off', '--version', '1'], /safety_policy_changed.*version 4/],
    ] as const;
    for (const [args, expected] of failures) expect(expectOneLineFailure(await runAdmin(t.dataDir, args)), args.join(' ')).toMatch(expected);
    expect(await stored()).toEqual(before);
  });
});
