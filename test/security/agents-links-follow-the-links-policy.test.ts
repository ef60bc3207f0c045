/**
 * A link an agent writes must open (https) and, when the policy keeps agents to its allow list, go
 * to a host on it: a message, a quick reply and an away message with another link are refused
 * with link_not_allowed_outbound (the answer names the reason and the host, never the text),
 * nothing is stored and nothing reaches the sandbox's Graph endpoint; the refusal is counted and
 * audited by ids, without the link.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SafetyPolicy } from '../../common/safety/safety-policy.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, IT } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import { rowCounts } from '../helpers/store-queries.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer;
let desk: TestDevice;
let anna: EnrolledAgent;
let sara: EnrolledAgent;
let conversationId: number;
let teamId: number;

beforeAll(async () => {
  // No delivery statuses: they would add events while a refusal is checked for changing nothing.
  t = await startTestServer({ statusDelaysMs: {} });
  desk = await approvedDevice(t);
  teamId = (await t.server.identity.teams.list()).teams.find((team) => team.isDefault)?.id ?? 0;
  anna = await enrolledAgent(t, desk, 'anna');
  sara = await enrolledAgent(t, desk, 'sara', 'supervisor');
  ({ conversationId } = await customerWrites(t, customer(t, 0), 'Where do I pay?'));
});
afterAll(async () => {
  await t.close();
});

const counts = () => rowCounts(t.server.database.db, ['messages', 'quick_replies', 'team_hours', 'events', 'audit_log']);
const post = (who: EnrolledAgent, path: string, body: unknown) => desk.call('POST', path, body, who.session.accessToken);
const send = (text: string) => post(anna, '/v1/messages', { idempotencyKey: crypto.randomUUID(), conversationId, kind: 'text', text });

const refusals = async () =>
  Number((await t.server.metrics.safetyActions.get()).values.find((value) => value.labels.rule === 'links' && value.labels.action === 'refused')?.value ?? 0);

async function setLinks(change: Partial<SafetyPolicy['links']>) {
  const policies = t.server.safety.policies;
  const { version, policy } = await policies.current();
  await policies.change({ version, policy: { ...policy, links: { ...policy.links, ...change } } }, IT);
}

async function refused(place: string, ask: () => Promise<{ status: number; body: unknown }>, link: string, reason: string, host: string) {
  const before = await counts();
  const counted = await refusals();
  const answer = await ask();
  expect(answer, `${place}: ${link}`).toMatchObject({
    status: 422,
    body: { error: { code: 'link_not_allowed_outbound', details: { place, reason, host } } },
  });
  expect(JSON.stringify(answer.body)).not.toContain(link);
  // Nothing changed but the refusal's own audit row, which names ids only, and its count.
  expect(await counts(), `${place}: nothing changed`).toEqual({ ...before, audit_log: (before.audit_log ?? 0) + 1 });
  const row = await t.server.database.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  expect(row.event).toBe('safety.links.refused');
  expect(row.outcome).toBe('refused');
  expect(JSON.stringify(row)).not.toContain(host);
  expect(await refusals()).toBe(counted + 1);
}

describe('a link an agent writes', () => {
  it('is refused when it is not https, written out or bare, and nothing reaches Meta', async () => {
    await refused(
      'message',
      () => send('Track it at http://track.example.com/1042/secret'),
      'http://track.example.com/1042/secret',
      'not_https',
      'track.example.com',
    );
    await refused('message', () => send('See www.shop.example.com/order/77 for it'), 'www.shop.example.com/order/77', 'not_https', 'www.shop.example.com');
    await t.server.dispatcher.settled();
    expect(t.sandbox.graph.accepted).toEqual([]);

    // An https link to any host goes while the allow list is off.
    expect((await send('Track it at https://track.example.com/1042')).status).toBe(201);
    await t.server.dispatcher.settled();
    expect(t.sandbox.graph.accepted).toHaveLength(1);
  });

  it('goes only to the allowed hosts (and names under them) once the policy keeps agents to its list', async () => {
    await setLinks({ outboundAllowListOnly: true, allowedOutboundHosts: ['shop.example.com', 'pay.example'] });
    await refused(
      'message',
      () => send('Pay at https://pay.evil.example/checkout/123'),
      'https://pay.evil.example/checkout/123',
      'host_not_allowed',
      'pay.evil.example',
    );
    await t.server.dispatcher.settled();
    expect(t.sandbox.graph.accepted).toHaveLength(1);
    expect((await send('Pay at https://checkout.pay.example/123 or see https://shop.example.com/order')).status).toBe(201);
    await t.server.dispatcher.settled();
    expect(t.sandbox.graph.accepted).toHaveLength(2);

    // Off again: the same host goes.
    await setLinks({ outboundAllowListOnly: false });
    expect((await send('Pay at https://pay.evil.example/checkout/123')).status).toBe(201);
    await t.server.dispatcher.settled();
    expect(t.sandbox.graph.accepted).toHaveLength(3);
  });

  it('is refused in a quick reply and an away message, which are kept without it', async () => {
    await refused(
      'quick_reply',
      () => post(sara, '/v1/manage/quick-replies', { teamId, shortcut: 'track', texts: { en: 'ok', it: 'Segui http://track.example.com/x' } }),
      'http://track.example.com/x',
      'not_https',
      'track.example.com',
    );
    await refused(
      'away_message',
      () => post(sara, `/v1/teams/${teamId}/hours`, { hours: null, awayMessage: 'Closed; see http://status.example.com/today' }),
      'http://status.example.com/today',
      'not_https',
      'status.example.com',
    );
    expect((await post(sara, '/v1/manage/quick-replies', { teamId, shortcut: 'track', texts: { en: 'https://track.example.com/x', it: 'ok' } })).status).toBe(
      201,
    );
    // A variable is no site, though `business.name` reads like one: the reply is kept.
    expect((await post(sara, '/v1/manage/quick-replies', { teamId, shortcut: 'shop', texts: { en: 'Thanks from {{business.name}}', it: null } })).status).toBe(
      201,
    );
    expect((await post(sara, `/v1/teams/${teamId}/hours`, { hours: null, awayMessage: 'Closed; see https://status.example.com/today' })).status).toBe(200);
  });
});
