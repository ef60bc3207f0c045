/**
 * Quick replies and labels through the client API, over a listening server on either store:
 * administrators keep the global ones, supervisors their teams', agents use the global ones and
 * their teams' only; a reply naming an unknown variable, a scope the caller does not manage and
 * bad input are each refused with their code, nothing changed. A label put on a conversation
 * travels in its summary (lists, by id, the feed), filters the list, and is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationPage, ConversationSummary } from '../../common/api/inbox.js';
import type { LabelList, LabelView, ManagedLabels, ManagedQuickReplies, QuickReplyList, QuickReplyView } from '../../common/api/replies.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, IT, openEventSocket } from '../helpers/identity-setup.js';
import type { EnrolledAgent, EventSocket } from '../helpers/identity-setup.js';
import { rowCounts } from '../helpers/store-queries.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer;
let desk: TestDevice;
let anna: EnrolledAgent;
let sara: EnrolledAgent;
let dario: EnrolledAgent;
let carla: EnrolledAgent;
let teamA: number;
let teamB: number;
/** A conversation waiting in team A's queue. */
let waiting: number;
const sockets: EventSocket[] = [];

const token = (agent: EnrolledAgent) => agent.session.accessToken;
const counts = () => rowCounts(t.server.database.db, ['quick_replies', 'labels', 'conversation_labels', 'audit_log', 'events']);
const call = <T>(agent: EnrolledAgent, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => desk.call<T>(method, path, body, token(agent));
const createReply = (agent: EnrolledAgent, body: unknown) => call<QuickReplyView>(agent, 'POST', '/v1/manage/quick-replies', body);
const createLabel = (agent: EnrolledAgent, body: unknown) => call<LabelView>(agent, 'POST', '/v1/manage/labels', body);
const errorCode = (answer: { body: unknown }) => (answer.body as { error?: { code?: string } }).error?.code;

beforeAll(async () => {
  t = await startTestServer({ customers: 2 });
  desk = await approvedDevice(t);
  teamA = (await t.server.identity.teams.list()).teams.find((team) => team.isDefault)?.id ?? 0;
  teamB = (await t.server.identity.teams.create({ name: 'Vendite' }, IT)).id;
  anna = await enrolledAgent(t, desk, 'anna');
  sara = await enrolledAgent(t, desk, 'sara', 'supervisor');
  dario = await enrolledAgent(t, desk, 'dario', 'admin', []);
  carla = await enrolledAgent(t, desk, 'carla', 'agent', [teamB]);
  waiting = (await customerWrites(t, customer(t, 0), 'Where is my parcel?')).conversationId;
}, 60_000);
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await t?.close();
});

describe('quick replies', () => {
  it('are kept globally by administrators and per team by its supervisors, and each agent uses the global ones and their teams’ only', async () => {
    const global = await createReply(dario, {
      teamId: null,
      shortcut: 'Hello',
      texts: { en: 'Hello {{customer.first_name}}, I am {{agent.first_name}}.', it: 'Ciao {{customer.first_name}}, sono {{agent.first_name}}.' },
    });
    expect(global.status, JSON.stringify(global.body)).toBe(201);
    expect(global.body).toMatchObject({ teamId: null, shortcut: 'hello', texts: { it: 'Ciao {{customer.first_name}}, sono {{agent.first_name}}.' } });
    const ofA = await createReply(sara, { teamId: teamA, shortcut: 'refund', texts: { en: 'Your refund from {{business.name}} is on its way.' } });
    expect(ofA.status, JSON.stringify(ofA.body)).toBe(201);
    expect(ofA.body).toMatchObject({ teamId: teamA, teamName: 'General', texts: { en: 'Your refund from {{business.name}} is on its way.', it: null } });
    const ofB = await createReply(dario, { teamId: teamB, shortcut: 'quote', texts: { it: 'Preventivo in arrivo' } });
    // An administrator who supervises no team keeps only the global replies.
    expect([ofB.status, errorCode(ofB)]).toEqual([403, 'reply_scope_forbidden']);

    const shortcuts = async (agent: EnrolledAgent) =>
      (await call<QuickReplyList>(agent, 'GET', '/v1/quick-replies')).body.replies.map((reply) => reply.shortcut);
    expect(await shortcuts(anna)).toEqual(['hello', 'refund']);
    expect(await shortcuts(sara)).toEqual(['hello', 'refund']);
    // Team A's reply is not shown to team B.
    expect(await shortcuts(carla)).toEqual(['hello']);
    // An administrator alone reads no conversation, so inserts no reply.
    expect((await call(dario, 'GET', '/v1/quick-replies')).status).toBe(403);

    const managed = async (agent: EnrolledAgent) => (await call<ManagedQuickReplies>(agent, 'GET', '/v1/manage/quick-replies')).body;
    expect((await managed(sara)).replies.map((reply) => reply.shortcut)).toEqual(['refund']);
    expect((await managed(sara)).scopes).toEqual([{ teamId: teamA, teamName: 'General' }]);
    expect((await managed(dario)).scopes).toEqual([{ teamId: null, teamName: null }]);
    expect((await managed(anna)).scopes).toEqual([]);
    expect((await managed(anna)).replies).toEqual([]);
  });

  it('refuses a reply naming an unknown variable, with the names, and changes nothing', async () => {
    const before = await counts();
    const refused = await createReply(sara, {
      teamId: teamA,
      shortcut: 'bye',
      texts: { en: 'Bye {{customer.first_name}}', it: 'Ciao {{cliente.nome}} e {{ agent.surname }}' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: { code: 'quick_reply_variable_unknown', details: { unknown: 'cliente.nome,agent.surname' } } });
    expect((refused.body as unknown as { error: { message: string } }).error.message).toContain('{{cliente.nome}}');
    const existing = (await call<QuickReplyList>(sara, 'GET', '/v1/quick-replies')).body.replies.find((reply) => reply.shortcut === 'refund');
    const changed = await call(sara, 'POST', `/v1/manage/quick-replies/${existing?.id}`, { teamId: teamA, shortcut: 'refund', texts: { en: '{{order.id}}' } });
    expect(errorCode(changed)).toBe('quick_reply_variable_unknown');
    expect(await counts()).toEqual(before);
    expect((await call<QuickReplyList>(sara, 'GET', '/v1/quick-replies')).body.replies.find((reply) => reply.id === existing?.id)?.texts.en).toBe(
      'Your refund from {{business.name}} is on its way.',
    );
  });

  it('refuses bad input, another scope’s reply and a taken shortcut, each with its code, and changes nothing', async () => {
    const before = await counts();
    const refusals = [
      await createReply(sara, { teamId: teamA, shortcut: 'has space', texts: { en: 'x' } }),
      await createReply(sara, { teamId: teamA, shortcut: 'empty', texts: { en: '', it: '  ' } }),
      await createReply(sara, { teamId: teamA, shortcut: 'long', texts: { en: 'x'.repeat(5000) } }),
      await createReply(sara, { teamId: 'A', shortcut: 'x', texts: { en: 'x' } }),
      await createReply(sara, { shortcut: 'x', texts: { en: 'x' } }),
      // A field it does not know is refused, not dropped: a French text would silently be lost.
      await createReply(sara, { teamId: teamA, shortcut: 'x', texts: { en: 'x', fr: 'salut' } }),
      await createReply(sara, { teamId: teamA, shortcut: 'x', texts: { en: 'x' }, team: teamB }),
    ];
    expect(refusals.map((answer) => [answer.status, errorCode(answer)])).toEqual(Array(7).fill([400, 'invalid_request']));
    expect(errorCode(await createReply(sara, { teamId: null, shortcut: 'x', texts: { en: 'x' } }))).toBe('reply_scope_forbidden');
    expect(errorCode(await createReply(sara, { teamId: teamB, shortcut: 'x', texts: { en: 'x' } }))).toBe('reply_scope_forbidden');
    expect(errorCode(await createReply(sara, { teamId: teamA, shortcut: 'REFUND', texts: { en: 'again' } }))).toBe('quick_reply_shortcut_taken');
    const globalReply = (await call<QuickReplyList>(anna, 'GET', '/v1/quick-replies')).body.replies.find((reply) => reply.teamId === null);
    // Sara may not change or remove the global reply: to her it is not there.
    expect(errorCode(await call(sara, 'DELETE', `/v1/manage/quick-replies/${globalReply?.id}`))).toBe('quick_reply_not_found');
    expect(errorCode(await call(anna, 'DELETE', `/v1/manage/quick-replies/${globalReply?.id}`))).toBe('quick_reply_not_found');
    expect(await counts()).toEqual(before);
  });

  it('are changed and removed by their managers, each act in the audit log without the texts', async () => {
    const created = await createReply(sara, { teamId: teamA, shortcut: 'later', texts: { en: 'I will write back later, {{customer.name}}.' } });
    const changed = await call<QuickReplyView>(sara, 'POST', `/v1/manage/quick-replies/${created.body.id}`, {
      teamId: teamA,
      shortcut: 'soon',
      texts: { it: 'A presto' },
    });
    expect(changed.body).toMatchObject({ shortcut: 'soon', texts: { en: null, it: 'A presto' } });
    expect((await call(sara, 'DELETE', `/v1/manage/quick-replies/${created.body.id}`)).status).toBe(204);
    const audit = await t.server.database.db
      .selectFrom('audit_log')
      .select(['event', 'actor', 'details_json'])
      .where('event', 'like', 'quick_reply.%')
      .orderBy('id')
      .execute();
    expect(audit.map((row) => row.event)).toEqual([
      'quick_reply.created',
      'quick_reply.created',
      'quick_reply.created',
      'quick_reply.updated',
      'quick_reply.removed',
    ]);
    expect(audit.at(-1)?.actor).toBe(`agent:${sara.agentId}:sara`);
    expect(audit.map((row) => row.details_json).join(' ')).not.toContain('write back');
  });
});

describe('labels', () => {
  let urgent: LabelView;
  let vip: LabelView;

  it('are kept globally by administrators and per team by its supervisors, in the palette’s colours', async () => {
    urgent = (await createLabel(sara, { teamId: teamA, name: 'Urgent', color: 'red' })).body;
    expect(urgent).toMatchObject({ teamId: teamA, name: 'Urgent', color: 'red' });
    vip = (await createLabel(dario, { teamId: null, name: 'VIP', color: 'purple' })).body;
    expect(vip).toMatchObject({ teamId: null, name: 'VIP' });
    const before = await counts();
    expect(errorCode(await createLabel(sara, { teamId: teamA, name: 'urgent', color: 'blue' }))).toBe('label_name_taken');
    expect(errorCode(await createLabel(sara, { teamId: teamA, name: 'Blue', color: '#0000ff' }))).toBe('invalid_request');
    expect(errorCode(await createLabel(sara, { teamId: teamA, name: '  ', color: 'blue' }))).toBe('invalid_request');
    expect(errorCode(await createLabel(anna, { teamId: teamA, name: 'Mine', color: 'blue' }))).toBe('reply_scope_forbidden');
    expect(errorCode(await call(sara, 'POST', `/v1/manage/labels/${urgent.id}`, { teamId: null, name: 'Urgent', color: 'red' }))).toBe('label_scope_fixed');
    expect(await counts()).toEqual(before);
    const names = async (agent: EnrolledAgent) => (await call<LabelList>(agent, 'GET', '/v1/labels')).body.labels.map((label) => label.name);
    expect(await names(anna)).toEqual(['Urgent', 'VIP']);
    expect(await names(carla)).toEqual(['VIP']);
    expect((await call<ManagedLabels>(sara, 'GET', '/v1/manage/labels')).body.labels.map((label) => label.name)).toEqual(['Urgent']);
  });

  it('go on a conversation by anyone who may see it, travel in its summary and the feed, and filter the list', async () => {
    const live = await openEventSocket(t, desk, token(anna), 0);
    sockets.push(live);
    await live.next((event) => event.type === 'ready');
    const added = await call<ConversationSummary>(anna, 'POST', `/v1/conversations/${waiting}/labels`, { labelId: urgent.id });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.labels).toEqual([{ id: urgent.id, name: 'Urgent', color: 'red' }]);
    const event = await live.next((next) => next.type === 'conversation' && next.conversation.id === waiting && next.conversation.labels.length === 1);
    expect(event.type === 'conversation' && event.conversation.labels[0]?.name).toBe('Urgent');
    // Again: nothing changes.
    expect((await call<ConversationSummary>(sara, 'POST', `/v1/conversations/${waiting}/labels`, { labelId: urgent.id })).body.labels).toHaveLength(1);
    await call(sara, 'POST', `/v1/conversations/${waiting}/labels`, { labelId: vip.id });

    const listed = async (agent: EnrolledAgent, label: number) =>
      (await call<ConversationPage>(agent, 'GET', `/v1/conversations?filter=all&label=${label}`)).body.items.map((item) => [
        item.id,
        item.labels.map((l) => l.name),
      ]);
    expect(await listed(anna, urgent.id)).toEqual([[waiting, ['Urgent', 'VIP']]]);
    expect(await listed(sara, vip.id)).toEqual([[waiting, ['Urgent', 'VIP']]]);
    const other = (await customerWrites(t, customer(t, 1), 'Second question')).conversationId;
    expect(await listed(anna, urgent.id)).not.toContainEqual([other, []]);
    expect((await call<ConversationPage>(anna, 'GET', '/v1/conversations?filter=all')).body.items.map((item) => item.id)).toContain(other);
    expect(errorCode(await call(anna, 'GET', '/v1/conversations?label=abc'))).toBe('invalid_request');

    // A rename reaches every viewer of a conversation carrying the label.
    await call(sara, 'POST', `/v1/manage/labels/${urgent.id}`, { teamId: teamA, name: 'Very urgent', color: 'orange' });
    const renamed = await live.next(
      (next) => next.type === 'conversation' && next.conversation.id === waiting && next.conversation.labels.some((l) => l.name === 'Very urgent'),
    );
    expect(renamed.type === 'conversation' && renamed.conversation.labels).toEqual([
      { id: urgent.id, name: 'Very urgent', color: 'orange' },
      { id: vip.id, name: 'VIP', color: 'purple' },
    ]);

    const taken = await call<ConversationSummary>(anna, 'DELETE', `/v1/conversations/${waiting}/labels/${vip.id}`);
    expect(taken.body.labels.map((label) => label.name)).toEqual(['Very urgent']);
    const audit = await t.server.database.db.selectFrom('audit_log').select('event').where('event', 'like', 'conversation.label_%').orderBy('id').execute();
    expect(audit.map((row) => row.event)).toEqual([
      'conversation.label_added',
      'conversation.label_added',
      'conversation.label_added',
      'conversation.label_removed',
    ]);
  });

  it('refuses a label for a conversation the caller may not see, another team’s label and bad input, each with its code, and changes nothing', async () => {
    const teamBLabel = (
      await t.server.database.db
        .insertInto('labels')
        .values({ team_id: teamB, scope_key: teamB, name: 'Preventivo', name_key: 'preventivo', color: 'green', created_at: 1, updated_at: 1 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const before = await counts();
    expect(errorCode(await call(carla, 'POST', `/v1/conversations/${waiting}/labels`, { labelId: vip.id }))).toBe('conversation_not_found');
    expect(errorCode(await call(carla, 'DELETE', `/v1/conversations/${waiting}/labels/${urgent.id}`))).toBe('conversation_not_found');
    expect(errorCode(await call(anna, 'POST', `/v1/conversations/${waiting}/labels`, { labelId: teamBLabel }))).toBe('label_not_found');
    expect(errorCode(await call(anna, 'POST', `/v1/conversations/${waiting}/labels`, { labelId: 999_999 }))).toBe('label_not_found');
    expect(errorCode(await call(anna, 'POST', `/v1/conversations/${waiting}/labels`, { labelId: 'urgent' }))).toBe('invalid_request');
    expect(errorCode(await call(anna, 'DELETE', `/v1/conversations/${waiting}/labels/${vip.id}`))).toBe('label_not_on_conversation');
    expect(errorCode(await call(dario, 'POST', `/v1/conversations/${waiting}/labels`, { labelId: vip.id }))).toBe('forbidden_role');
    expect(await counts()).toEqual(before);
  });

  it('removed, leave every conversation that carried them, its viewers told', async () => {
    const live = await openEventSocket(t, desk, token(sara), 0);
    sockets.push(live);
    await live.next((event) => event.type === 'ready');
    expect((await call(sara, 'DELETE', `/v1/manage/labels/${urgent.id}`)).status).toBe(204);
    await live.next((event) => event.type === 'conversation' && event.conversation.id === waiting && event.conversation.labels.length === 0);
    expect((await call<LabelList>(anna, 'GET', '/v1/labels')).body.labels.map((label) => label.name)).toEqual(['VIP']);
    expect((await call<ConversationPage>(anna, 'GET', `/v1/conversations?filter=all&label=${urgent.id}`)).body.items).toEqual([]);
  });
});
