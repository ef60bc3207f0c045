/**
 * Routing rules over the real webhook path: an admin sets rules through the admin routes, sandbox
 * customers write signed webhooks, and each new conversation lands in the team of the first
 * enabled rule that matches — by keyword, language, ad referral (Meta's click-to-WhatsApp
 * fixture) or business number — else in the number's own team. Moving a rule changes which wins;
 * a rule whose team was deleted is skipped. Bad input (a bad keyword, an unknown team, number or
 * rule, a caller who is not an admin) is refused with a coded error and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoutingRuleList, RoutingRuleView } from '../../common/api/routing.js';
import type { TeamView } from '../../common/api/teams.js';
import type { SandboxBusiness, SandboxCustomer } from '../../server/sandbox/webhook-builder.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { readWebhookFixture } from '../helpers/fixtures.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import type { ApiResponse, TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer;
let device: TestDevice;
let admin: EnrolledAgent;
let agent: EnrolledAgent;
const teams: Record<string, number> = {};

const call = <T>(method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown, token = admin.session.accessToken): Promise<ApiResponse<T>> =>
  device.call<T>(method, url, body, token);

const first = (): SandboxBusiness => t.sandbox.businesses[0] as SandboxBusiness;
const second = (): SandboxBusiness => t.sandbox.businesses[1] as SandboxBusiness;

async function teamOf(conversationId: number): Promise<number | null> {
  const row = await t.server.database.db.selectFrom('conversations').select('team_id').where('id', '=', conversationId).executeTakeFirstOrThrow();
  return row.team_id;
}

/** Meta's click-to-WhatsApp webhook (the fixture as recorded), addressed to this sandbox's number and customer. */
async function customerWritesFromAd(who: SandboxCustomer, text: string): Promise<number> {
  const body = JSON.parse(readWebhookFixture('pywa__inbound_referral_ctwa.json').toString('utf8')) as {
    entry: [
      { id: string; changes: [{ value: { metadata: Record<string, string>; contacts: [Record<string, unknown>]; messages: [Record<string, unknown>] } }] },
    ];
  };
  const wamid = `wamid.routing-ad-${Date.now()}`;
  const entry = body.entry[0];
  const value = entry.changes[0].value;
  entry.id = first().wabaId;
  value.metadata = { display_phone_number: first().displayPhoneNumber, phone_number_id: first().phoneNumberId };
  value.contacts = [{ profile: { name: who.name }, wa_id: who.waId }];
  Object.assign(value.messages[0], { from: who.waId, id: wamid, timestamp: String(Math.floor(Date.now() / 1000)), text: { body: text } });
  expect((await t.postWebhook(JSON.stringify(body))).status).toBe(200);
  const row = await t.server.database.db.selectFrom('messages').select('conversation_id').where('wamid', '=', wamid).executeTakeFirstOrThrow();
  return row.conversation_id;
}

async function stored() {
  const db = t.server.database.db;
  return {
    rules: await db.selectFrom('routing_rules').selectAll().orderBy('id').execute(),
    audit: (await db.selectFrom('audit_log').select('id').execute()).length,
  };
}

beforeAll(async () => {
  t = await startTestServer({ customers: 8 });
  device = await approvedDevice(t, 'routing-desk');
  admin = await enrolledAgent(t, device, 'irene', 'admin');
  agent = await enrolledAgent(t, device, 'bruno', 'agent');
  for (const name of ['Rimborsi', 'Italiano', 'Annunci', 'Secondo numero', 'Urgenze']) {
    teams[name] = (await call<TeamView>('POST', '/v1/admin/teams', { name })).body.id;
  }
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('routing rules on the webhook path', () => {
  const rules: Record<string, RoutingRuleView> = {};

  it('send each new conversation to the team of the first rule that matches: keyword, referral, language, number, else the number’s team', async () => {
    const add = async (name: string, condition: unknown, team: string) => {
      const created = await call<RoutingRuleView>('POST', '/v1/admin/routing-rules', { condition, teamId: teams[team] });
      expect(created.status).toBe(201);
      rules[name] = created.body;
    };
    await add('keyword', { kind: 'keyword', keywords: ['rimbors*', 'refund'] }, 'Rimborsi');
    await add('referral', { kind: 'referral' }, 'Annunci');
    await add('language', { kind: 'language', languages: ['it'] }, 'Italiano');
    await add('number', { kind: 'number', phoneNumberId: second().phoneNumberId }, 'Secondo numero');
    const list = (await call<RoutingRuleList>('GET', '/v1/admin/routing-rules')).body.rules;
    expect(list.map((rule) => [rule.position, rule.condition.kind, rule.teamName])).toEqual([
      [1, 'keyword', 'Rimborsi'],
      [2, 'referral', 'Annunci'],
      [3, 'language', 'Italiano'],
      [4, 'number', 'Secondo numero'],
    ]);

    // Italian too, but the keyword rule comes first; accents and case do not matter.
    const refund = await customerWrites(t, customer(t, 0), 'Vorrei un RIMBORSÒ per il mio ordine, grazie');
    expect(await teamOf(refund.conversationId)).toBe(teams.Rimborsi);
    const italian = await customerWrites(t, customer(t, 1), 'Buongiorno, vorrei sapere quando arriva il mio ordine');
    expect(await teamOf(italian.conversationId)).toBe(teams.Italiano);
    // "rimborsabile"? a whole word "rimbors…" matches by prefix; "unrefundable" does not contain the word "refund".
    const english = await customerWrites(t, customer(t, 2), 'Hello, this item is unrefundable, what can I do about it?');
    const general = (await t.server.identity.teams.list()).teams.find((team) => team.isDefault)?.id;
    expect(await teamOf(english.conversationId)).toBe(general);
    expect(await teamOf(await customerWritesFromAd(customer(t, 3), 'Hello, I saw your advertisement and want to know more'))).toBe(teams.Annunci);
    const onSecond = await customerWrites(t, customer(t, 4), 'Hello, I need help with my order', second());
    expect(await teamOf(onSecond.conversationId)).toBe(teams['Secondo numero']);
    // A message in an existing conversation is not routed again.
    const again = await customerWrites(t, customer(t, 2), 'Vorrei un rimborso');
    expect(again.conversationId).toBe(english.conversationId);
    expect(await teamOf(english.conversationId)).toBe(general);
  });

  it('follow the order: the language rule moved first wins over the keyword rule', async () => {
    const moved = await call<RoutingRuleList>('POST', `/v1/admin/routing-rules/${rules.language?.id}/position`, { position: 1 });
    expect(moved.status).toBe(200);
    expect(moved.body.rules.map((rule) => rule.condition.kind)).toEqual(['language', 'keyword', 'referral', 'number']);
    expect(moved.body.rules.map((rule) => rule.position)).toEqual([1, 2, 3, 4]);
    const refund = await customerWrites(t, customer(t, 5), 'Vorrei un rimborso per il mio ordine, grazie mille');
    expect(await teamOf(refund.conversationId)).toBe(teams.Italiano);
  });

  it('skip a disabled rule and a rule whose team was deleted', async () => {
    const urgent = await call<RoutingRuleView>('POST', '/v1/admin/routing-rules', {
      condition: { kind: 'keyword', keywords: ['urgente'] },
      teamId: teams.Urgenze,
      position: 1,
    });
    expect(urgent.body.position).toBe(1);
    expect((await call('POST', `/v1/admin/routing-rules/${rules.language?.id}`, { enabled: false })).status).toBe(200);
    expect((await call('DELETE', `/v1/admin/teams/${teams.Urgenze}`)).status).toBe(200);
    const listed = (await call<RoutingRuleList>('GET', '/v1/admin/routing-rules')).body.rules;
    expect(listed[0]).toMatchObject({ id: urgent.body.id, teamName: null });
    const written = await customerWrites(t, customer(t, 6), 'Urgente: vorrei un rimborso per il mio ordine');
    expect(await teamOf(written.conversationId)).toBe(teams.Rimborsi);
  });

  it('refuse a bad keyword, an unknown team, number or rule, and a caller who is not an admin, changing nothing', async () => {
    const before = await stored();
    const badKeyword = await call<{ error: { code: string; message: string } }>('POST', '/v1/admin/routing-rules', {
      condition: { kind: 'keyword', keywords: ['rim*borso'] },
      teamId: teams.Rimborsi,
    });
    expect(badKeyword.status).toBe(400);
    expect(badKeyword.body.error.code).toBe('invalid_request');
    expect(badKeyword.body.error.message).toMatch(/\* that is not at its end/);
    const unknownTeam = await call<{ error: { code: string } }>('POST', '/v1/admin/routing-rules', {
      condition: { kind: 'keyword', keywords: ['fattura'] },
      teamId: 99_999,
    });
    expect([unknownTeam.status, unknownTeam.body.error.code]).toEqual([404, 'team_not_found']);
    const unknownNumber = await call<{ error: { code: string } }>('POST', '/v1/admin/routing-rules', {
      condition: { kind: 'number', phoneNumberId: '999999999999' },
      teamId: teams.Rimborsi,
    });
    expect([unknownNumber.status, unknownNumber.body.error.code]).toEqual([404, 'number_unknown']);
    const badLanguage = await call('POST', '/v1/admin/routing-rules', { condition: { kind: 'language', languages: ['xx'] }, teamId: teams.Rimborsi });
    expect(badLanguage.status).toBe(400);
    const retarget = await call<{ error: { code: string } }>('POST', `/v1/admin/routing-rules/${rules.keyword?.id}`, { teamId: 99_999 });
    expect([retarget.status, retarget.body.error.code]).toEqual([404, 'team_not_found']);
    const missing = await call<{ error: { code: string } }>('DELETE', '/v1/admin/routing-rules/99999');
    expect([missing.status, missing.body.error.code]).toEqual([404, 'routing_rule_not_found']);
    const notAdmin = await call('POST', '/v1/admin/routing-rules', { condition: { kind: 'referral' }, teamId: teams.Rimborsi }, agent.session.accessToken);
    expect(notAdmin.status).toBe(403);
    expect(await stored()).toEqual(before);
  });

  it('audit every change under the admin who made it, and remove a rule closing the gap', async () => {
    expect((await call('DELETE', `/v1/admin/routing-rules/${rules.referral?.id}`)).status).toBe(200);
    const listed = (await call<RoutingRuleList>('GET', '/v1/admin/routing-rules')).body.rules;
    expect(listed.map((rule) => rule.position)).toEqual([1, 2, 3, 4]);
    expect(listed.some((rule) => rule.id === rules.referral?.id)).toBe(false);
    const audit = await t.server.database.db.selectFrom('audit_log').select(['event', 'agent_id']).where('event', 'like', 'routing.%').orderBy('id').execute();
    expect(audit.map((row) => row.event)).toEqual([
      'routing.rule_created',
      'routing.rule_created',
      'routing.rule_created',
      'routing.rule_created',
      'routing.rule_moved',
      'routing.rule_created',
      'routing.rule_updated',
      'routing.rule_removed',
    ]);
    expect(new Set(audit.map((row) => row.agent_id))).toEqual(new Set([admin.agentId]));
  });
});
