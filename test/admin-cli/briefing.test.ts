/**
 * `briefing …` as an admin runs it beside the server: `show` the built-in version 1 and its rules,
 * `publish` a new version from a JSON file (what `show --json` printed, edited), audited as the
 * CLI's act and found by the running server, which tells every workstation's feed and refuses the
 * agent's inbox until they acknowledge it; `acks` lists who acknowledged which version. Each bad
 * input is one coded line that changes nothing (no file, not JSON, a rule without its Italian,
 * an unknown field, a stale version).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BriefingAcknowledgementsView, BriefingVersionView, BUILT_IN_BRIEFING } from '../../common/briefing/briefing.js';
import { approvedDevice, enrolledAgent, openEventSocket } from '../helpers/identity-setup.js';
import type { EnrolledAgent, EventSocket } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import { adminJson, expectOneLineFailure, runAdmin } from './admin-cli-process.js';

let t: TestServer;
let device: TestDevice;
let agent: EnrolledAgent;
let feed: EventSocket;
beforeAll(async () => {
  t = await startTestServer({ eventFeed: { pollMs: 50 } });
  device = await approvedDevice(t, 'briefing-cli-desk');
  agent = await enrolledAgent(t, device, 'bruno', 'agent');
  feed = await openEventSocket(t, device, agent.session.accessToken);
}, 60_000);
afterAll(async () => {
  feed?.close();
  await t?.close();
});

const stored = async () => ({
  versions: await t.server.database.db.selectFrom('briefing_versions').selectAll().execute(),
  audit: (await t.server.database.db.selectFrom('audit_log').select('id').execute()).length,
});
const file = (name: string, content: unknown) => {
  const written = path.join(t.dataDir, name);
  fs.writeFileSync(written, typeof content === 'string' ? content : JSON.stringify(content));
  return written;
};

describe('briefing', () => {
  it('shows the built-in version 1 and every rule in English and Italian', async () => {
    const text = await runAdmin(t.dataDir, ['briefing', 'show']);
    expect(text, text.stderr).toMatchObject({ code: 0 });
    expect(text.stdout).toMatch(/^Security briefing: version 1, built in, 10 rules/);
    expect(text.stdout).toContain(`1. company_computers\n   en: ${BUILT_IN_BRIEFING[0]?.title.en}`);
    expect(text.stdout).toContain(`   it: ${BUILT_IN_BRIEFING[0]?.title.it}`);
    expect(BriefingVersionView.parse(await adminJson(t.dataDir, ['briefing', 'show']))).toEqual({
      version: 1,
      rules: BUILT_IN_BRIEFING,
      publishedAt: null,
      publishedBy: null,
    });
  });

  it('publishes what show --json printed, edited: audited as the CLI’s act, told to the workstations, and asked of every agent', async () => {
    const shown = BriefingVersionView.parse(await adminJson(t.dataDir, ['briefing', 'show']));
    const rules = shown.rules.slice(0, 3).map((rule) => (rule.id === 'authenticator' ? { ...rule, title: { ...rule.title, en: 'Your authenticator' } } : rule));
    const published = BriefingVersionView.parse(await adminJson(t.dataDir, ['briefing', 'publish', file('next.json', { ...shown, rules })]));
    expect(published).toMatchObject({ version: 2, rules, publishedBy: expect.stringMatching(/^cli:/) as unknown });
    const [audit] = await t.server.database.db.selectFrom('audit_log').selectAll().where('event', '=', 'briefing.published').execute();
    expect(audit).toMatchObject({ actor: published.publishedBy, outcome: 'ok' });
    expect(JSON.parse(audit?.details_json ?? '{}')).toEqual({ fromVersion: 1, version: 2, rules: 3 });
    await feed.next((event) => event.type === 'briefing_published' && event.version === 2);
    const refused = await device.call<{ error: { code: string } }>('GET', '/v1/conversations', undefined, agent.session.accessToken);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'briefing_acknowledgement_required']);

    const acks = await runAdmin(t.dataDir, ['briefing', 'acks']);
    expect(acks.stdout).toMatch(/^Security briefing: version 2 in force, acknowledged again every 365 days/);
    expect(acks.stdout).toMatch(/bruno\s+Bruno\s+version 1\s+\S+\s+no, must acknowledge/);
    await t.server.briefings.acknowledge(
      { agentId: agent.agentId, username: 'bruno', deviceId: null, roles: ['agent'] },
      { version: 2, ruleIds: rules.map((rule) => rule.id) },
      null,
    );
    const after = BriefingAcknowledgementsView.parse(await adminJson(t.dataDir, ['briefing', 'acks']));
    expect(after.agents).toEqual([expect.objectContaining({ username: 'bruno', acknowledgedVersion: 2, current: true })]);
  });

  it('refuses bad input with one coded line, publishing nothing', async () => {
    const before = await stored();
    const [rule] = BUILT_IN_BRIEFING;
    const failures = [
      [['briefing', 'publish', path.join(t.dataDir, 'missing.json')], /invalid_argument.*cannot read/],
      [['briefing', 'publish', file('bad.json', '{ "rules": [')], /invalid_argument.*is not JSON/],
      [['briefing', 'publish', file('no-it.json', { rules: [{ ...rule, text: { en: 'Only English' } }] })], /invalid_argument.*<file>\.rules\.0\.text\.it/],
      [['briefing', 'publish', file('extra.json', { rules: [rule], colour: 'red' })], /invalid_argument.*<file>/],
      [['briefing', 'publish', file('twice.json', { rules: [rule, rule] })], /invalid_argument.*there twice/],
      [['briefing', 'publish', file('stale.json', { version: 1, rules: [rule] })], /briefing_changed.*version 2/],
    ] as const;
    for (const [args, expected] of failures) expect(expectOneLineFailure(await runAdmin(t.dataDir, args)), args.join(' ')).toMatch(expected);
    expect(await stored()).toEqual(before);
  }, 90_000);
});
