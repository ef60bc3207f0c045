/**
 * Customers' numbers are masked for agents (issue 13), on every path, over a listening server.
 * The paths are found, not listed by hand: every client route whose answer can hold a customer
 * and every feed event kind that can (their zod schemas walked, masked-numbers/customer-schemas.ts)
 * must have a probe here, so a new one without a probe fails, named. Each probe asks the real
 * route and byte-searches the answer, and every frame the agent's and the supervisor's sockets
 * received, for the customer's raw number: it must be absent, and the masked form present (so no
 * probe passes by carrying no customer). Then the policy: supervisors see numbers of the teams
 * they supervise when `supervisorsSeeNumbers` is on (agents still do not), everybody when
 * `maskForAgents` is off. And the reveal: the number to the agent who asked, with a reason, audited
 * without the number, and never on the feed.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_API_ROUTES } from '../../common/api/client-api.js';
import { FeedEvent } from '../../common/api/events.js';
import type { ServerEvent } from '../../common/api/events.js';
import type { ConversationChanged, ConversationSummary } from '../../common/api/inbox.js';
import { maskPhoneNumber } from '../../common/numbers/masked-number.js';
import { DEFAULT_SAFETY_POLICY } from '../../common/safety/safety-policy.js';
import { cliActor } from '../../server/audit/actor.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, openEventSocket } from '../helpers/identity-setup.js';
import type { EnrolledAgent, EventSocket } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import { holdsCustomer } from './masked-numbers/customer-schemas.js';

let t: TestServer;
let device: TestDevice;
let anna: EnrolledAgent;
let bruno: EnrolledAgent;
let sara: EnrolledAgent;
let annaFeed: EventSocket;
let saraFeed: EventSocket;
let teamId: number;

/** Anna's conversation (claimed by her), and the customer's number as stored. */
let annas: number;
let number: string;
/** A customer's second conversation, after a resolved first: the earlier list has one. */
let later: number;
let laterNumber: string;

beforeAll(async () => {
  t = await startTestServer({ customers: 3 });
  device = await approvedDevice(t, 'masked-desk');
  anna = await enrolledAgent(t, device, 'anna', 'agent');
  bruno = await enrolledAgent(t, device, 'bruno', 'agent');
  sara = await enrolledAgent(t, device, 'sara', 'supervisor');
  teamId = (await t.server.database.db.selectFrom('teams').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
  annaFeed = await openEventSocket(t, device, anna.session.accessToken);
  saraFeed = await openEventSocket(t, device, sara.session.accessToken);
  annas = (await customerWrites(t, customer(t, 0), 'Buongiorno, ho un problema')).conversationId;
  number = customer(t, 0).waId;
  await toAnna(annas);
  // The second customer's first conversation is resolved; their next message starts another.
  const first = (await customerWrites(t, customer(t, 1), 'Prima domanda')).conversationId;
  await toAnna(first);
  expect((await post(`/v1/conversations/${first}/state`, { state: 'resolved' }, anna)).status).toBe(200);
  later = (await customerWrites(t, customer(t, 1), 'Seconda domanda')).conversationId;
  laterNumber = customer(t, 1).waId;
  expect(later).not.toBe(first);
}, 90_000);

afterAll(async () => {
  annaFeed?.close();
  saraFeed?.close();
  await t?.close();
});

/** Anna holds the conversation: routing gave it to her (she is online, with room), or she claims it. */
async function toAnna(id: number): Promise<void> {
  const row = await t.server.database.db.selectFrom('conversations').select('assigned_agent_id').where('id', '=', id).executeTakeFirstOrThrow();
  if (row.assigned_agent_id !== anna.agentId) expect((await post(`/v1/conversations/${id}/claim`, {}, anna)).status).toBe(200);
}

const call = <T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body: unknown, who: EnrolledAgent) =>
  device.call<T>(method, path, body, who.session.accessToken);
const post = <T = unknown>(path: string, body: unknown, who: EnrolledAgent) => call<T>('POST', path, body, who);
const get = <T = unknown>(path: string, who: EnrolledAgent) => call<T>('GET', path, undefined, who);

async function setNumbers(maskedNumbers: (typeof DEFAULT_SAFETY_POLICY)['maskedNumbers']): Promise<void> {
  const current = await t.server.safety.policies.current();
  await t.server.safety.policies.change({ version: current.version, policy: { ...current.policy, maskedNumbers } }, cliActor('test'));
}

/** The answer's bytes hold no raw number of the customers, and hold the masked form of `shown` (a customer was carried). */
function expectMasked(what: string, answer: { status: number; body: unknown }, shown = number): void {
  expect(answer.status, `${what}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
  const text = JSON.stringify(answer.body);
  for (const raw of [number, laterNumber]) expect(text.includes(raw), `${what} holds ${raw}`).toBe(false);
  expect(text, what).toContain(JSON.stringify(maskPhoneNumber(shown)));
  expect(text, what).toContain('"phoneMasked":true');
}

/** The feed event of that message (the feed may deliver later than the write answers: on PostgreSQL a stamping pass runs first). */
const isMessage = (messageId: number) => (event: ServerEvent) => event.type === 'message' && event.message.id === messageId;

type Probe = () => Promise<{ status: number; body: unknown }>;

let labelId = 0;
/** One probe per route whose answer can hold a customer, by route name. */
const ROUTE_PROBES: Record<string, { probe: Probe; shown?: () => string }> = {
  listConversations: { probe: () => get('/v1/conversations?filter=all&state=open', anna) },
  getConversation: { probe: () => get(`/v1/conversations/${annas}`, anna) },
  changeConversationState: {
    probe: async () => {
      expectMasked('pending', await post(`/v1/conversations/${annas}/state`, { state: 'pending' }, anna));
      return post(`/v1/conversations/${annas}/state`, { state: 'open' }, anna);
    },
  },
  listEarlierConversations: { probe: () => get(`/v1/conversations/${later}/earlier`, sara), shown: () => laterNumber },
  markRead: { probe: () => post(`/v1/conversations/${annas}/read`, {}, anna) },
  listMemberConversations: { probe: () => get(`/v1/supervision/teams/${teamId}/members/${anna.agentId}/conversations`, sara) },
  addConversationLabel: {
    probe: async () => {
      const label = await post<{ id: number }>('/v1/manage/labels', { teamId, name: 'Numeri', color: 'blue' }, sara);
      expect(label.status).toBe(201);
      labelId = label.body.id;
      return post(`/v1/conversations/${annas}/labels`, { labelId }, anna);
    },
  },
  removeConversationLabel: { probe: () => call('DELETE', `/v1/conversations/${annas}/labels/${labelId}`, undefined, anna) },
  // The supervisor moves it (she still sees it after, so the answer carries it), and back.
  transferConversation: { probe: () => post(`/v1/conversations/${annas}/transfer`, { agentId: bruno.agentId }, sara) },
  // Anna is away meanwhile: the conversation waits in the queue for her claim instead of routing back to her.
  unassignConversation: {
    probe: async () => {
      expect((await call('POST', '/v1/me/availability', { available: false }, anna)).status).toBeLessThan(300);
      return post(`/v1/conversations/${annas}/unassign`, { fromAgentId: bruno.agentId }, sara);
    },
  },
  claimConversation: {
    probe: async () => {
      const claimed = await post(`/v1/conversations/${annas}/claim`, {}, anna);
      expect((await call('POST', '/v1/me/availability', { available: true }, anna)).status).toBeLessThan(300);
      return claimed;
    },
  },
  blockCustomer: { probe: () => post(`/v1/conversations/${annas}/block`, { reason: 'Prova dei numeri' }, anna) },
  unblockCustomer: { probe: () => post(`/v1/conversations/${annas}/unblock`, {}, sara) },
};

/** Feed events that can hold a customer, and what makes one (the routes above make the others). */
const EVENT_KINDS_WITH_CUSTOMERS = ['message', 'conversation', 'mention', 'handover', 'reminder'];

describe('customer numbers are masked for agents', () => {
  it('has a probe for every route and feed event that can carry a customer, and for nothing else', () => {
    const carrying = CLIENT_API_ROUTES.filter((route) => 'response' in route && holdsCustomer(route.response)).map((route) => route.name);
    expect([...carrying].sort()).toEqual(Object.keys(ROUTE_PROBES).sort());
    const kinds = FeedEvent.options.filter((option) => holdsCustomer(option)).map((option) => option.shape.type.value);
    expect([...kinds].sort()).toEqual([...EVENT_KINDS_WITH_CUSTOMERS].sort());
  });

  it('masks the number in every answer that carries a customer, for the agent and for the supervisor', async () => {
    // The routes are asked in their order: each leaves the conversation where the next expects it.
    for (const [name, { probe, shown }] of Object.entries(ROUTE_PROBES)) expectMasked(name, await probe(), shown?.());
  });

  it('masks the number in every feed frame, of every kind that carries a customer', async () => {
    // A mention of Anna, a hand-over to her and a message: the kinds the routes did not make for her.
    expect((await post(`/v1/conversations/${annas}/transfer`, { agentId: bruno.agentId }, sara)).status).toBe(200);
    expect((await post(`/v1/conversations/${annas}/transfer`, { agentId: anna.agentId }, sara)).status).toBe(200);
    expect((await post(`/v1/conversations/${annas}/notes`, { clientNoteId: crypto.randomUUID(), body: 'Guarda @anna' }, sara)).status).toBe(201);
    // Anna's reminder of her conversation, due in a moment, comes to her socket with the conversation.
    const remindAt = new Date(Date.now() + 1500).toISOString();
    expect((await call('PUT', `/v1/conversations/${annas}/reminder`, { remindAt, timeZone: 'Europe/Rome' }, anna)).status).toBeLessThan(300);
    await customerWrites(t, customer(t, 0), 'Ancora io');
    for (const type of EVENT_KINDS_WITH_CUSTOMERS) await annaFeed.next((event) => event.type === type, 10_000);
    for (const type of ['message', 'conversation']) await saraFeed.next((event) => event.type === type, 10_000);
    for (const [who, feed] of [
      ['anna', annaFeed],
      ['sara', saraFeed],
    ] as const) {
      const text = JSON.stringify(feed.events);
      for (const raw of [number, laterNumber]) expect(text.includes(raw), `${who}'s frames hold ${raw}`).toBe(false);
      const carried = feed.events.filter((event) => EVENT_KINDS_WITH_CUSTOMERS.includes(event.type));
      expect(carried.length, who).toBeGreaterThan(0);
      for (const event of carried) {
        const summary = (event as { conversation: ConversationSummary }).conversation;
        expect(summary.customer.phoneMasked, `${who}: ${event.type}`).toBe(true);
        expect([maskPhoneNumber(number), maskPhoneNumber(laterNumber)], `${who}: ${event.type}`).toContain(summary.customer.phone);
      }
    }
  });

  it('shows supervisors the numbers of their teams when the policy says so, agents still masked; everybody when numbers are not masked', async () => {
    await setNumbers({ maskForAgents: true, supervisorsSeeNumbers: true });
    const seen = await get<ConversationSummary>(`/v1/conversations/${annas}`, sara);
    expect(seen.body.customer).toMatchObject({ phone: number, phoneMasked: false });
    expectMasked('anna, supervisors see numbers', await get(`/v1/conversations/${annas}`, anna));
    const annaBefore = annaFeed.events.length;
    const third = await customerWrites(t, customer(t, 0), 'Terzo messaggio');
    const sarasEvent = await saraFeed.next(isMessage(third.messageId), 10_000);
    expect((sarasEvent as { conversation: ConversationSummary }).conversation.customer.phone).toBe(number);
    await annaFeed.next(isMessage(third.messageId), 10_000);
    expect(JSON.stringify(annaFeed.events.slice(annaBefore)).includes(number)).toBe(false);

    await setNumbers({ maskForAgents: false, supervisorsSeeNumbers: false });
    expect((await get<ConversationSummary>(`/v1/conversations/${annas}`, anna)).body.customer).toMatchObject({ phone: number, phoneMasked: false });
    await setNumbers(DEFAULT_SAFETY_POLICY.maskedNumbers);
    expectMasked('anna, back at the defaults', await get(`/v1/conversations/${annas}`, anna));
  });

  it('reveals the number to the agent who asks with a reason, audits it without the number, and never puts it on the feed', async () => {
    const feedBefore = annaFeed.events.length;
    const saraBefore = saraFeed.events.length;
    const revealed = await post<ConversationChanged>(`/v1/conversations/${annas}/number/reveal`, { reason: 'Il cliente chiede di essere richiamato' }, anna);
    expect(revealed).toMatchObject({ status: 200, body: { conversationId: annas, phone: number } });
    const audit = await t.server.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('event', '=', 'safety.masked_numbers.revealed')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ outcome: 'ok', agent_id: anna.agentId });
    expect(JSON.parse(audit.details_json)).toEqual({ conversationId: annas, contactId: expect.any(Number), reason: 'Il cliente chiede di essere richiamato' });
    expect(JSON.stringify(audit).includes(number)).toBe(false);
    // Bad reasons change nothing and say why.
    for (const body of [{}, { reason: 'x' }, { reason: 'r'.repeat(201) }, { reason: `chiamare ${number}` }, { reason: 'valida', extra: 1 }]) {
      expect((await post(`/v1/conversations/${annas}/number/reveal`, body, anna)).body, JSON.stringify(body)).toMatchObject({
        error: { code: 'invalid_request' },
      });
    }
    expect((await t.server.database.db.selectFrom('audit_log').select('id').where('event', '=', 'safety.masked_numbers.revealed').execute()).length).toBe(1);
    // The next change of the conversation still reaches both feeds masked.
    const after = await customerWrites(t, customer(t, 0), 'Dopo la rivelazione');
    await annaFeed.next(isMessage(after.messageId), 10_000);
    await saraFeed.next(isMessage(after.messageId), 10_000);
    expect(JSON.stringify(annaFeed.events.slice(feedBefore)).includes(number)).toBe(false);
    expect(JSON.stringify(saraFeed.events.slice(saraBefore)).includes(number)).toBe(false);
    const metrics = await (await fetch(`${t.server.metricsUrl}/metrics`)).text();
    expect(metrics).toMatch(/sportello_safety_actions_total\{rule="masked_numbers",action="revealed"\} 1/);
  });
});
