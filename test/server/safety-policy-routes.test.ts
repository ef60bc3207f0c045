/**
 * The safety policy over a listening server: an admin reads the defaults (version 0) and changes
 * the policy from the version read; a change made from an older version is refused
 * `safety_policy_changed` (409), a host list entry that is not a host `host_list_invalid`, an
 * unknown field `invalid_request`, a caller who is not an admin `forbidden_role`, and each leaves
 * the stored policy and the audit log as they were. Every signed-in agent reads the policy
 * (GET /v1/safety-policy) and hears `safety_policy_changed` on the event feed, for a change made
 * through the API and for one another process made (found by the poll). The change's audit row
 * names the sections that changed, never their values; a rule's action is counted in /metrics
 * and audited by ids alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminSafetyPolicyView, SafetyPolicy, SafetyPolicyView } from '../../common/safety/safety-policy.js';
import { DEFAULT_SAFETY_POLICY } from '../../common/safety/safety-policy.js';
import { SafetyPolicies } from '../../server/safety/safety-policies.js';
import { approvedDevice, enrolledAgent, IT, openEventSocket } from '../helpers/identity-setup.js';
import type { EnrolledAgent, EventSocket } from '../helpers/identity-setup.js';
import type { ApiResponse, TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer;
let device: TestDevice;
let admin: EnrolledAgent;
let agent: EnrolledAgent;
let agentFeed: EventSocket;

type Refusal = { error: { code: string; message: string; details?: Record<string, unknown> } };
const call = <T>(method: 'GET' | 'PUT', url: string, body?: unknown, token = admin.session.accessToken): Promise<ApiResponse<T>> =>
  device.call<T>(method, url, body, token);

async function stored() {
  const { db } = t.server.database;
  return {
    row: await db.selectFrom('safety_policy').selectAll().execute(),
    audit: (await db.selectFrom('audit_log').select('id').execute()).length,
  };
}

const withLinks = (links: Partial<SafetyPolicy['links']>, from: SafetyPolicy = DEFAULT_SAFETY_POLICY): SafetyPolicy => ({
  ...from,
  links: { ...from.links, ...links },
});

beforeAll(async () => {
  t = await startTestServer({ eventFeed: { pollMs: 50 } });
  device = await approvedDevice(t, 'safety-desk');
  admin = await enrolledAgent(t, device, 'irene', 'admin');
  agent = await enrolledAgent(t, device, 'bruno', 'agent');
  agentFeed = await openEventSocket(t, device, agent.session.accessToken);
}, 60_000);

afterAll(async () => {
  agentFeed?.close();
  await t?.close();
});

describe('the safety policy', () => {
  it('starts at its defaults, version 0, never changed; every agent reads the same', async () => {
    const read = await call<AdminSafetyPolicyView>('GET', '/v1/admin/safety-policy');
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ version: 0, policy: DEFAULT_SAFETY_POLICY, changedAt: null, changedBy: null });
    const forAgent = await call<SafetyPolicyView>('GET', '/v1/safety-policy', undefined, agent.session.accessToken);
    expect(forAgent.body).toEqual({ version: 0, policy: DEFAULT_SAFETY_POLICY });
  });

  it('takes an admin’s change made from the stored version: hosts written as hosts, audited by section, every agent told', async () => {
    const before = await stored();
    const policy = withLinks({ blockedHosts: ['Evil.Example.', '*.phish.example', 'пример.рф'], allowedOutboundHosts: ['https://shop.example/pay'] });
    const changed = await call<AdminSafetyPolicyView>('PUT', '/v1/admin/safety-policy', {
      version: 0,
      policy: { ...policy, cards: { refuseOutbound: true }, codes: { ...policy.codes, holdOutboundCodes: false } },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ version: 1, changedBy: `agent:${admin.agentId}:irene` });
    expect(changed.body.policy.links.blockedHosts).toEqual(['evil.example', 'phish.example', 'xn--e1afmkfd.xn--p1ai']);
    expect(changed.body.policy.links.allowedOutboundHosts).toEqual(['shop.example']);
    expect(changed.body.policy.codes.holdOutboundCodes).toBe(false);
    await agentFeed.next((event) => event.type === 'safety_policy_changed' && event.version === 1);
    const forAgent = await call<SafetyPolicyView>('GET', '/v1/safety-policy', undefined, agent.session.accessToken);
    expect(forAgent.body).toEqual({ version: 1, policy: changed.body.policy });

    const after = await stored();
    expect(after.audit).toBe(before.audit + 1);
    const row = await t.server.database.db
      .selectFrom('audit_log')
      .select(['event', 'outcome', 'agent_id', 'details_json'])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ event: 'safety.policy_changed', outcome: 'ok', agent_id: admin.agentId });
    expect(JSON.parse(row.details_json)).toEqual({ fromVersion: 0, version: 1, sections: 'links,codes' });
    // The sections, never what they hold.
    expect(row.details_json).not.toContain('evil');
  });

  it('refuses a change made from an older version with safety_policy_changed, and keeps the stored one', async () => {
    const before = await stored();
    const stale = await call<Refusal>('PUT', '/v1/admin/safety-policy', { version: 0, policy: withLinks({ blockedHosts: [] }) });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'safety_policy_changed', details: { version: 1 } });
    expect(await stored()).toEqual(before);
  });

  it('refuses a host list entry that is not a host, and an unknown field, changing nothing', async () => {
    const before = await stored();
    const current = (await call<AdminSafetyPolicyView>('GET', '/v1/admin/safety-policy')).body;
    for (const bad of ['co.uk', 'https://', 'not a host']) {
      const refused = await call<Refusal>('PUT', '/v1/admin/safety-policy', {
        version: 1,
        policy: withLinks({ blockedHosts: ['ok.example', bad] }, current.policy),
      });
      expect(refused.status, bad).toBe(422);
      expect(refused.body.error.code, bad).toBe('host_list_invalid');
    }
    const unknown = await call<Refusal>('PUT', '/v1/admin/safety-policy', {
      version: 1,
      policy: { ...current.policy, cards: { refuseOutbound: true, also: 1 } },
    });
    expect(unknown.body.error.code).toBe('invalid_request');
    const groups = await call<Refusal>('PUT', '/v1/admin/safety-policy', {
      version: 1,
      policy: { ...current.policy, groups: { refuseGroupRecipients: false } },
    });
    expect(groups.body.error.code).toBe('invalid_request');
    expect(await stored()).toEqual(before);
  });

  it('refuses an agent who is not an admin, changing nothing', async () => {
    const before = await stored();
    const read = await call<Refusal>('GET', '/v1/admin/safety-policy', undefined, agent.session.accessToken);
    expect(read.body.error.code).toBe('forbidden_role');
    const change = await call<Refusal>('PUT', '/v1/admin/safety-policy', { version: 1, policy: DEFAULT_SAFETY_POLICY }, agent.session.accessToken);
    expect(change.status).toBe(403);
    expect(change.body.error.code).toBe('forbidden_role');
    expect(await stored()).toEqual(before);
  });

  it('tells every agent of a change another process made (the admin CLI), found by the poll', async () => {
    // Another process's SafetyPolicies on the same store: nothing tells this server's feed but the row.
    const elsewhere = new SafetyPolicies({ db: t.server.database.db, committer: t.server.committer, log: t.server.log, now: Date.now });
    const changed = await elsewhere.change({ version: 1, policy: withLinks({ shorteners: 'refuse' }, (await elsewhere.current()).policy) }, IT);
    expect(changed).toMatchObject({ version: 2, changedBy: 'cli:it-admin' });
    await agentFeed.next((event) => event.type === 'safety_policy_changed' && event.version === 2);
    expect((await t.server.safety.policies.policy()).links.shorteners).toBe('refuse');
  });

  it('reads a stored policy it can only partly read: those sections at their defaults, the rest and the version kept', async () => {
    const { db } = t.server.database;
    const [row] = await db.selectFrom('safety_policy').select(['version', 'policy_json']).execute();
    const document = JSON.parse(row?.policy_json ?? '{}') as Record<string, unknown>;
    // As a later version might have written it: a section changed shape, another added.
    const written = { ...document, cards: { refuseOutbound: 'only on weekdays' }, payments: { provider: 'stripe' } };
    await db
      .updateTable('safety_policy')
      .set({ policy_json: JSON.stringify(written) })
      .execute();
    const read = await call<SafetyPolicyView>('GET', '/v1/safety-policy', undefined, agent.session.accessToken);
    expect(read.body.version).toBe(row?.version);
    expect(read.body.policy.cards).toEqual(DEFAULT_SAFETY_POLICY.cards);
    expect(read.body.policy.links.shorteners).toBe('refuse');
    expect(read.body.policy.links.blockedHosts).toEqual(['evil.example', 'phish.example', 'xn--e1afmkfd.xn--p1ai']);
  });

  it('counts a rule’s action in /metrics and audits it by ids alone', async () => {
    await t.server.safety.actions.record({ rule: 'cards', action: 'refused', conversationId: 42, agentId: agent.agentId });
    await t.server.safety.actions.record({ rule: 'links', action: 'warned', conversationId: 42 });
    const metrics = await (await fetch(`${t.server.metricsUrl}/metrics`)).text();
    expect(metrics).toContain('sportello_safety_actions_total{rule="cards",action="refused"} 1');
    expect(metrics).toContain('sportello_safety_actions_total{rule="links",action="warned"} 1');
    const rows = await t.server.database.db
      .selectFrom('audit_log')
      .select(['event', 'outcome', 'actor', 'agent_id', 'details_json'])
      .where('event', 'like', 'safety.%')
      // The policy's own changes, and the briefing the harness acknowledged for each agent, are not a rule's action.
      .where('event', 'not in', ['safety.policy_changed', 'safety.briefing.acknowledged'])
      .orderBy('id')
      .execute();
    expect(rows.map((row) => ({ ...row, details: JSON.parse(row.details_json) as unknown, details_json: undefined }))).toEqual([
      {
        event: 'safety.cards.refused',
        outcome: 'refused',
        actor: `agent:${agent.agentId}`,
        agent_id: agent.agentId,
        details: { conversationId: 42 },
        details_json: undefined,
      },
      { event: 'safety.links.warned', outcome: 'ok', actor: 'system', agent_id: null, details: { conversationId: 42 }, details_json: undefined },
    ]);
  });
});
