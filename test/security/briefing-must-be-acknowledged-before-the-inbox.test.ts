/**
 * The security briefing is acknowledged before the inbox opens (issue 13), over a listening server
 * with a clock the test moves: an agent who never acknowledged the version in force is refused by
 * the inbox routes (the list, a send) and the event feed with `briefing_acknowledgement_required`
 * (403), while sign-in, GET /v1/briefing and the acknowledgement stay open. An acknowledgement
 * names every rule of the version in force (one missing, an unknown one or another version is
 * refused and stores nothing), then the inbox opens; a new version an admin publishes asks again
 * (and every socket hears `briefing_published`), and so does the end of the renewal period. Each
 * refusal, acknowledgement and publication leaves its audit row, without the rules' text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentBriefingView, BriefingAcknowledgementsView, BriefingRule, BriefingVersionView } from '../../common/briefing/briefing.js';
import { BUILT_IN_BRIEFING } from '../../common/briefing/briefing.js';
import { approvedDevice, enrolledAgent, enrollWithCode, IT, openEventSocket, totpNow } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const DAY_MS = 24 * 60 * 60 * 1000;
let offsetMs = 0;
const clock = () => Date.now() + offsetMs;

let t: TestServer;
let device: TestDevice;
let admin: EnrolledAgent;
/** Never acknowledged anything: enrolled without the harness's acknowledgement. */
let agent: Omit<EnrolledAgent, 'agentId'> & { agentId: number };
let token: string;

type Refusal = { error: { code: string; message: string; details?: Record<string, unknown> } };

const inboxRefusal = async () => {
  const list = await device.call<Refusal>('GET', '/v1/conversations', undefined, token);
  const send = await device.call<Refusal>('POST', '/v1/messages', { conversationId: 1, kind: 'text', text: 'Buongiorno', idempotencyKey: 'b1' }, token);
  return { list: [list.status, list.body.error?.code], send: [send.status, send.body.error?.code] };
};
const REFUSED = { list: [403, 'briefing_acknowledgement_required'], send: [403, 'briefing_acknowledgement_required'] };

const briefing = async () => (await device.call<AgentBriefingView>('GET', '/v1/briefing', undefined, token)).body;
const acknowledge = (version: number, ruleIds: string[]) =>
  device.call<AgentBriefingView & Refusal>('POST', '/v1/briefing/acknowledgements', { version, ruleIds }, token);

async function auditRows(event: string) {
  const rows = await t.server.database.db.selectFrom('audit_log').selectAll().where('event', '=', event).orderBy('id').execute();
  return rows.map((row) => ({ agentId: row.agent_id, outcome: row.outcome, details: JSON.parse(row.details_json) as Record<string, unknown> }));
}

async function feedRefusal(): Promise<string> {
  try {
    const socket = await openEventSocket(t, device, token);
    socket.close();
    return 'opened';
  } catch (error) {
    return (error as Error).message;
  }
}

const SECOND_VERSION: BriefingRule[] = [
  ...BUILT_IN_BRIEFING.slice(0, 3),
  {
    id: 'report_incidents',
    title: { en: 'Report what looks wrong', it: 'Segnala ciò che non va' },
    text: { en: 'Tell IT at once about a message or file that looks wrong.', it: 'Avvisa subito l’IT di un messaggio o un file che sembra strano.' },
  },
];

beforeAll(async () => {
  t = await startTestServer({ now: clock });
  device = await approvedDevice(t, 'briefing-desk');
  admin = await enrolledAgent(t, device, 'irene', ['admin', 'agent']);
  const issued = await t.server.identity.agents.create({ username: 'bruno', displayName: 'Bruno', roles: ['agent'] }, IT);
  agent = { agentId: issued.agent.id, ...(await enrollWithCode(device, 'bruno', issued.enrollmentCode)) };
  token = agent.session.accessToken;
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('the security briefing before the inbox', () => {
  it('refuses the inbox and the feed to an agent who never acknowledged it, and keeps the briefing itself open', async () => {
    expect(await inboxRefusal()).toEqual(REFUSED);
    expect(await feedRefusal()).toMatch(/HTTP 403/);
    const view = await briefing();
    expect(view).toMatchObject({ required: true, acknowledgedVersion: null, renewAfterDays: 365, briefing: { version: 1, publishedBy: null } });
    expect(view.briefing.rules.map((rule) => rule.id)).toEqual(BUILT_IN_BRIEFING.map((rule) => rule.id));
    // Session routes that are not the inbox stay open.
    expect((await device.call('GET', '/v1/safety-policy', undefined, token)).status).toBe(200);
    const refused = await auditRows('safety.briefing.refused');
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect(refused.every((row) => row.agentId === agent.agentId && row.outcome === 'refused')).toBe(true);
  });

  it('refuses an acknowledgement that leaves a rule out, names one it does not have, or is of another version, and stores nothing', async () => {
    const ids = BUILT_IN_BRIEFING.map((rule) => rule.id);
    const missing = await acknowledge(1, ids.slice(1));
    expect([missing.status, missing.body.error.code, missing.body.error.details]).toEqual([400, 'briefing_rules_missing', { missing: [ids[0]], unknown: [] }]);
    const unknown = await acknowledge(1, [...ids, 'made_up']);
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'briefing_rules_missing']);
    const other = await acknowledge(2, ids);
    expect([other.status, other.body.error.code]).toEqual([409, 'briefing_version_not_current']);
    const shape = await device.call<Refusal>('POST', '/v1/briefing/acknowledgements', { version: 1, ruleIds: ids, everything: true }, token);
    expect([shape.status, shape.body.error.code]).toEqual([400, 'invalid_request']);
    expect(await t.server.database.db.selectFrom('briefing_acknowledgements').selectAll().where('agent_id', '=', agent.agentId).execute()).toEqual([]);
    expect(await auditRows('safety.briefing.acknowledged')).not.toContainEqual(expect.objectContaining({ agentId: agent.agentId }));
    expect(await inboxRefusal()).toEqual(REFUSED);
  });

  it('opens the inbox once every rule is acknowledged, one row per rule, audited', async () => {
    const ids = BUILT_IN_BRIEFING.map((rule) => rule.id);
    const done = await acknowledge(1, [...ids].reverse());
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ required: false, acknowledgedVersion: 1 });
    expect(done.body.renewBy).toBe((done.body.acknowledgedAt ?? 0) + 365 * DAY_MS);
    const rows = await t.server.database.db.selectFrom('briefing_acknowledgements').select('rule_id').where('agent_id', '=', agent.agentId).execute();
    expect(rows.map((row) => row.rule_id).sort()).toEqual([...ids].sort());
    expect((await device.call('GET', '/v1/conversations', undefined, token)).status).toBe(200);
    expect(await feedRefusal()).toBe('opened');
    expect(await auditRows('safety.briefing.acknowledged')).toContainEqual({
      agentId: agent.agentId,
      outcome: 'ok',
      details: { version: 1, rules: ids.length },
    });
  });

  it('asks again for a new version an admin publishes, told to every socket; a stale or non-admin publication is refused', async () => {
    const feed = await openEventSocket(t, device, token);
    const notAdmin = await device.call<Refusal>('PUT', '/v1/admin/briefing', { fromVersion: 1, rules: SECOND_VERSION }, token);
    expect([notAdmin.status, notAdmin.body.error.code]).toEqual([403, 'forbidden_role']);
    const twice = await device.call<Refusal>(
      'PUT',
      '/v1/admin/briefing',
      { fromVersion: 1, rules: [SECOND_VERSION[0], SECOND_VERSION[0]] },
      admin.session.accessToken,
    );
    expect([twice.status, twice.body.error.code]).toEqual([400, 'invalid_request']);
    const published = await device.call<BriefingVersionView>('PUT', '/v1/admin/briefing', { fromVersion: 1, rules: SECOND_VERSION }, admin.session.accessToken);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ version: 2, publishedBy: `agent:${admin.agentId}:irene`, rules: SECOND_VERSION });
    await feed.next((event) => event.type === 'briefing_published' && event.version === 2);
    feed.close();
    const stale = await device.call<Refusal>('PUT', '/v1/admin/briefing', { fromVersion: 1, rules: SECOND_VERSION }, admin.session.accessToken);
    expect([stale.status, stale.body.error.code, stale.body.error.details]).toEqual([409, 'briefing_changed', { version: 2 }]);
    expect(await auditRows('briefing.published')).toEqual([{ agentId: admin.agentId, outcome: 'ok', details: { fromVersion: 1, version: 2, rules: 4 } }]);

    expect(await inboxRefusal()).toEqual(REFUSED);
    expect(await briefing()).toMatchObject({ required: true, acknowledgedVersion: 1, briefing: { version: 2 } });
    const acks = await device.call<BriefingAcknowledgementsView>('GET', '/v1/admin/briefing/acknowledgements', undefined, admin.session.accessToken);
    expect(acks.body.agents.find((row) => row.username === 'bruno')).toMatchObject({ acknowledgedVersion: 1, current: false });

    expect(
      (
        await acknowledge(
          1,
          BUILT_IN_BRIEFING.map((rule) => rule.id),
        )
      ).body.error.code,
    ).toBe('briefing_version_not_current');
    expect(
      (
        await acknowledge(
          2,
          SECOND_VERSION.map((rule) => rule.id),
        )
      ).status,
    ).toBe(201);
    expect((await device.call('GET', '/v1/conversations', undefined, token)).status).toBe(200);
    const after = await device.call<BriefingAcknowledgementsView>('GET', '/v1/admin/briefing/acknowledgements', undefined, admin.session.accessToken);
    expect(after.body.agents.find((row) => row.username === 'bruno')).toMatchObject({ acknowledgedVersion: 2, current: true });
  });

  it('asks again once the renewal period has passed since the acknowledgement', async () => {
    offsetMs = 366 * DAY_MS;
    // A year on, the agent signs in again (the old session's tokens have long expired).
    const login = await device.login<{ accessToken: string }>(agent.username, agent.password, { kind: 'totp', code: await totpNow(agent.secret, clock()) });
    expect(login.status).toBe(201);
    token = login.body.accessToken;
    const list = await device.call<Refusal>('GET', '/v1/conversations', undefined, token);
    expect([list.status, list.body.error.code, list.body.error.details]).toEqual([403, 'briefing_acknowledgement_required', { version: 2, reason: 'renewal' }]);
    expect(await briefing()).toMatchObject({ required: true, acknowledgedVersion: 2 });
    expect(
      (
        await acknowledge(
          2,
          SECOND_VERSION.map((rule) => rule.id),
        )
      ).body,
    ).toMatchObject({ required: false });
    expect((await device.call('GET', '/v1/conversations', undefined, token)).status).toBe(200);
    expect((await auditRows('safety.briefing.acknowledged')).filter((row) => row.agentId === agent.agentId)).toHaveLength(3);
  });
});
