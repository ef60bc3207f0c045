/**
 * Every route the server serves, read from Fastify's own route table, classified: carrying
 * conversation data (with a probe that tells whether a viewer reached Anna's conversation through
 * it, and checks the refusal's shape when not), or carrying none (with the reason). A route added
 * to the server without a line here fails the test, named.
 */
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { maySeeConversation, readsConversations } from '../../../common/api/conversation-access.js';
import { CONVERSATION_STATES } from '../../../common/api/conversation-lifecycle.js';
import { CONVERSATION_FILTERS } from '../../../common/api/inbox.js';
import type { ConversationPage, HistoryPage, MessagePage } from '../../../common/api/inbox.js';
import type { JobPage } from '../../../common/api/presence.js';
import type { Role } from '../../../common/api/session.js';
import { customerWrites } from '../../helpers/conversations.js';
import type { ApiResponse } from '../../helpers/test-device.js';
import { carriesConversation, feedEventKind } from './feed.js';
import { addLabelProbe, removeLabelProbe } from './labels.js';
import { handoverProbes } from './handover-probes.js';
import { blockProbes } from './block-probes.js';
import { paymentProbes } from './payment-probes.js';
import { scheduleProbes } from './schedule-probes.js';
import { numberProbes } from './number-probes.js';
import { templateProbes } from './template-probes.js';
import { personalDataProbes } from './personal-data-probes.js';
import { annasHeldConversations } from './supervision-probes.js';
import { ANALYTICS_ROUTES } from './analytics-probes.js';
import type { NeedToKnowScene, UnkeyedSend, Viewer } from './scene.js';
import { ruleViewer } from './scene.js';

export interface ServedRoute {
  readonly method: string;
  readonly url: string;
}

const key = (route: ServedRoute) => `${route.method} ${route.url}`;

/**
 * The routes as Fastify holds them (printRoutes, one full path per node). HEAD, which Fastify
 * adds to every GET and answers with the GET's handler, counts as that GET.
 */
export function servedRoutes(app: FastifyInstance): ServedRoute[] {
  const prefixes: string[] = [];
  const routes: ServedRoute[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    if (line.trim() === '') continue;
    const node = /^((?:│ {3}| {4})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (node === null) throw new Error(`a line of Fastify's route table this test cannot read: ${JSON.stringify(line)}`);
    const depth = (node[1] ?? '').length / 4;
    const url = (depth === 0 ? '' : (prefixes[depth - 1] ?? '')) + (node[2] ?? '');
    prefixes.length = depth;
    prefixes[depth] = url;
    const methods = node[3]?.split(', ') ?? [];
    for (const method of methods) if (method !== 'HEAD' || !methods.includes('GET')) routes.push({ method, url });
  }
  return routes;
}

/** Whether the viewer reached Anna's conversation through the route; where it did not, the refusal is checked. */
export type RouteProbe = (scene: NeedToKnowScene, viewer: Viewer) => Promise<boolean>;

/**
 * `roles`: the route answers only these roles (others get `forbidden_role`): a viewer reaches the
 * conversation through it when the rule lets them see it and the route lets them in.
 */
export type RouteClass =
  { readonly carries: 'conversation'; readonly probe: RouteProbe; readonly roles?: readonly Role[] } | { readonly carries: 'nothing'; readonly reason: string };

const nothing = (reason: string): RouteClass => ({ carries: 'nothing', reason });
const conversation = (probe: RouteProbe, roles?: readonly Role[]): RouteClass => ({
  carries: 'conversation',
  probe,
  ...(roles === undefined ? {} : { roles }),
});

/** Whether the rule lets the viewer see Anna's conversation and the route lets them in. */
export function reachable(kind: Extract<RouteClass, { carries: 'conversation' }>, sees: boolean, viewer: Viewer): boolean {
  return sees && (kind.roles === undefined || kind.roles.some((role) => viewer.roles.includes(role)));
}

/** Text of Anna's conversation found in an answer. */
export function markersIn(scene: NeedToKnowScene, text: string): string[] {
  return scene.theirs.markers.filter((marker) => text.includes(marker));
}

const hidden = (scene: NeedToKnowScene, viewer: Viewer) => !maySeeConversation(ruleViewer(viewer), scene.theirs.place);

/** Her conversation and the customer's earlier one (E): a viewer reaches both or neither. */
export const theirIds = (scene: NeedToKnowScene): readonly number[] => [scene.theirs.id, scene.theirs.earlier.id];

/** Asks the same of X and of E: the rule (with its history exception) gives a viewer both or neither. */
async function bothOrNeither(scene: NeedToKnowScene, viewer: Viewer, ask: (conversationId: number) => Promise<boolean>): Promise<boolean> {
  const reached = [];
  for (const id of theirIds(scene)) reached.push(await ask(id));
  expect(new Set(reached).size, `${viewer.name} reached X and E alike (${reached.join(', ')})`).toBe(1);
  return reached[0] === true;
}

/**
 * A refusal that says "not found" (never "forbidden": that would tell the conversation exists) and
 * holds none of it; to a viewer who reads no conversation at all (an admin only), every inbox
 * route says so, whatever the conversation.
 */
export function expectNotFound(scene: NeedToKnowScene, viewer: Viewer, response: { status: number; body: unknown }, code: string, what: string): void {
  const reads = readsConversations(ruleViewer(viewer));
  expect(response.status, `${what}: ${JSON.stringify(response.body)}`).toBe(reads ? 404 : 403);
  expect(response.body, what).toMatchObject({ error: { code: reads ? code : 'forbidden_role' } });
  expect(markersIn(scene, JSON.stringify(response.body)), what).toEqual([]);
}

const messagesOf = async (scene: NeedToKnowScene) =>
  (await scene.t.server.database.db.selectFrom('messages').select('id').where('conversation_id', '=', scene.theirs.id).execute()).length;

/** Each list, in each state, whole and of the business number her conversation is on. */
const listConversations: RouteProbe = async (scene, viewer) => {
  let reached = false;
  for (const number of [undefined, scene.t.sandbox.business.phoneNumberId]) {
    for (const [filter, state] of CONVERSATION_FILTERS.flatMap((filter) => CONVERSATION_STATES.map((state) => [filter, state] as const))) {
      const what = `${viewer.name}, ${filter} ${state}${number === undefined ? '' : ` of ${number}`}`;
      let cursor: string | null = null;
      const ids: number[] = [];
      for (let page = 0; page < 20; page += 1) {
        const answer: ApiResponse<ConversationPage> = await scene.desk.call<ConversationPage>(
          'GET',
          `/v1/conversations?filter=${filter}&state=${state}&limit=2${number === undefined ? '' : `&number=${number}`}${cursor === null ? '' : `&cursor=${cursor}`}`,
          undefined,
          viewer.token,
        );
        if (answer.status === 403) {
          expect(answer.body, what).toMatchObject({ error: { code: 'forbidden_role' } });
          expect(readsConversations(ruleViewer(viewer)), `${what}: refused to a viewer who reads conversations`).toBe(false);
          break;
        }
        expect(answer.status, what).toBe(200);
        ids.push(...answer.body.items.map((item) => item.id));
        reached ||= markersIn(scene, JSON.stringify(answer.body)).length > 0;
        cursor = answer.body.nextCursor;
        if (cursor === null) break;
      }
      reached ||= ids.some((id) => theirIds(scene).includes(id));
      // The list itself works: whoever may see a conversation still waiting finds it, and nobody else.
      for (const other of [scene.waiting, scene.elsewhere]) {
        if (filter !== 'unassigned' || state !== 'open' || (number !== undefined && other === scene.elsewhere)) continue;
        expect(ids.includes(other.id), `${what}: the unassigned list, conversation ${other.id}`).toBe(maySeeConversation(ruleViewer(viewer), other.place));
      }
    }
  }
  return reached;
};

const getConversation: RouteProbe = (scene, viewer) =>
  bothOrNeither(scene, viewer, async (id) => {
    const answer = await scene.desk.call('GET', `/v1/conversations/${id}`, undefined, viewer.token);
    if (answer.status === 200) return true;
    expectNotFound(scene, viewer, answer, 'conversation_not_found', `${viewer.name} asking for ${id} by id`);
    return false;
  });

const listMessages: RouteProbe = (scene, viewer) =>
  bothOrNeither(scene, viewer, async (id) => {
    const answer = await scene.desk.call<MessagePage>('GET', `/v1/conversations/${id}/messages?limit=200`, undefined, viewer.token);
    if (answer.status === 200) return answer.body.items.length > 0;
    expectNotFound(scene, viewer, answer, 'conversation_not_found', `${viewer.name} asking for the messages of ${id}`);
    return false;
  });

const listHistory: RouteProbe = (scene, viewer) =>
  bothOrNeither(scene, viewer, async (id) => {
    const answer = await scene.desk.call<HistoryPage>('GET', `/v1/conversations/${id}/history?limit=200`, undefined, viewer.token);
    if (answer.status === 200) return answer.body.items.length > 0;
    expectNotFound(scene, viewer, answer, 'conversation_not_found', `${viewer.name} asking for the history of ${id}`);
    return false;
  });

/** Asked of X, the earlier conversations hold E; asked of E, none (nothing came before it). */
const listEarlier: RouteProbe = (scene, viewer) =>
  bothOrNeither(scene, viewer, async (id) => {
    const answer = await scene.desk.call<ConversationPage>('GET', `/v1/conversations/${id}/earlier`, undefined, viewer.token);
    if (answer.status === 200) {
      expect(answer.body.items.map((item) => item.id)).toEqual(id === scene.theirs.id ? [scene.theirs.earlier.id] : []);
      return true;
    }
    expectNotFound(scene, viewer, answer, 'conversation_not_found', `${viewer.name} asking for what came before ${id}`);
    return false;
  });

/** Marks X pending and opens it again; to Bruno neither X nor E exists, and nothing of either changes. */
const changeState: RouteProbe = async (scene, viewer) => {
  const { db } = scene.t.server.database;
  const rowsOf = () => db.selectFrom('conversations').selectAll().where('id', 'in', theirIds(scene)).orderBy('id').execute();
  const entries = async () => (await db.selectFrom('conversation_history').select('id').where('conversation_id', 'in', theirIds(scene)).execute()).length;
  const change = (id: number, body: unknown) => scene.desk.call('POST', `/v1/conversations/${id}/state`, body, viewer.token);
  const [rowsBefore, entriesBefore] = [await rowsOf(), await entries()];
  const pending = await change(scene.theirs.id, { state: 'pending' });
  if (pending.status === 200) {
    expect((await change(scene.theirs.id, { state: 'open' })).status).toBe(200);
    return true;
  }
  expectNotFound(scene, viewer, pending, 'conversation_not_found', `${viewer.name} marking it pending`);
  for (const body of [{ state: 'resolved' }, { state: 'snoozed', until: Date.now() + 3_600_000 }]) {
    expectNotFound(scene, viewer, await change(scene.theirs.id, body), 'conversation_not_found', `${viewer.name} changing it to ${body.state}`);
  }
  expectNotFound(scene, viewer, await change(scene.theirs.earlier.id, { state: 'open' }), 'conversation_not_found', `${viewer.name} reopening E`);
  expect(await rowsOf()).toEqual(rowsBefore);
  expect(await entries()).toBe(entriesBefore);
  return false;
};

const markRead: RouteProbe = async (scene, viewer) => {
  const db = scene.t.server.database.db;
  const unread = async () =>
    (await db.selectFrom('conversations').select('unread_count').where('id', '=', scene.theirs.id).executeTakeFirstOrThrow()).unread_count;
  // Something to read, so a read that got through would show.
  await customerWrites(scene.t, scene.theirs.customer, 'One more question');
  const before = await unread();
  expect(before).toBeGreaterThan(0);
  const answer = await scene.desk.call('POST', `/v1/conversations/${scene.theirs.id}/read`, {}, viewer.token);
  if (answer.status === 200) return true;
  expectNotFound(scene, viewer, answer, 'conversation_not_found', `${viewer.name} marking it read`);
  expect(await unread()).toBe(before);
  return false;
};

const sendMessage: RouteProbe = async (scene, viewer) => {
  const { theirs, brunos } = scene;
  const send = (body: UnkeyedSend & { idempotencyKey?: string }) =>
    scene.desk.call<{ message?: unknown }>('POST', '/v1/messages', { idempotencyKey: crypto.randomUUID(), ...body }, viewer.token);
  const before = await messagesOf(scene);
  const text = await send({ conversationId: theirs.id, kind: 'text', text: 'Posso aiutare io?' });
  if (text.status === 201) return true;
  expectNotFound(scene, viewer, text, 'conversation_not_found', `${viewer.name} sending to it`);
  if (!hidden(scene, viewer) || viewer.agentId !== scene.bruno.agentId) return false;
  // From his own conversation, nothing of hers can be used either: not her messages, not her files, not her keys.
  const [herMessage] = theirs.messageIds;
  if (herMessage === undefined) throw new Error('her conversation has no message');
  const refusals: Array<[string, UnkeyedSend & { idempotencyKey?: string }, string]> = [
    ['a reaction in it', { conversationId: theirs.id, kind: 'reaction', targetMessageId: herMessage, emoji: '👍' }, 'conversation_not_found'],
    ['a reply to one of its messages', { conversationId: brunos.id, kind: 'text', text: 'Come dicevi', replyToMessageId: herMessage }, 'message_not_found'],
    ['a reaction to one of its messages', { conversationId: brunos.id, kind: 'reaction', targetMessageId: herMessage, emoji: '👍' }, 'message_not_found'],
    ...theirs.media.map((file): [string, UnkeyedSend, string] => [
      `its ${file.direction} file`,
      { conversationId: brunos.id, kind: 'media', mediaId: file.mediaId },
      'media_not_found',
    ]),
    ['her send again, key and all', { ...theirs.annasSend }, 'conversation_not_found'],
  ];
  for (const [what, body, code] of refusals) expectNotFound(scene, viewer, await send(body), code, `${viewer.name} sending ${what}`);
  const reusedKey = await send({ idempotencyKey: theirs.annasSend.idempotencyKey, conversationId: brunos.id, kind: 'text', text: 'Salve' });
  expect(reusedKey.status).toBe(409);
  expect(markersIn(scene, JSON.stringify(reusedKey.body))).toEqual([]);
  expect(await messagesOf(scene)).toBe(before);
  // The same sends with his own conversation's message and file go through: the refusals above were about hers.
  const replied = await send({
    conversationId: brunos.id,
    kind: 'media',
    mediaId: brunos.media.mediaId,
    replyToMessageId: brunos.messageId,
    caption: 'Questa?',
  });
  expect(replied.status, JSON.stringify(replied.body)).toBe(201);
  return false;
};

const downloadMedia: RouteProbe = async (scene, viewer) => {
  let reached = false;
  const get = (query: string) => scene.desk.request('GET', `/v1/media/${query}`, { token: viewer.token });
  for (const file of scene.theirs.media) {
    for (const query of [`${file.mediaId}`, `${file.mediaId}?messageId=${file.messageId}`, `${file.mediaId}?messageId=${scene.brunos.messageId}`]) {
      const answer = await get(query);
      const carried = !query.endsWith(`=${scene.brunos.messageId}`);
      if (answer.status === 200 && carried) {
        reached = true;
        continue;
      }
      expectNotFound(
        scene,
        viewer,
        { status: answer.status, body: JSON.parse(answer.bytes.toString('utf8')) as unknown },
        'media_not_found',
        `${viewer.name} downloading ${file.direction} file ${query}`,
      );
    }
  }
  return reached;
};

const notesOf = async (scene: NeedToKnowScene) =>
  (await scene.t.server.database.db.selectFrom('notes').select('id').where('conversation_id', '=', scene.theirs.id).execute()).length;

const listNotes: RouteProbe = async (scene, viewer) => {
  const answer = await scene.desk.call<{ items: unknown[] }>('GET', `/v1/conversations/${scene.theirs.id}/notes?limit=200`, undefined, viewer.token);
  if (answer.status === 200) return answer.body.items.length > 0;
  expectNotFound(scene, viewer, answer, 'conversation_not_found', `${viewer.name} asking for its notes`);
  return false;
};

const addNote: RouteProbe = async (scene, viewer) => {
  const before = await notesOf(scene);
  const answer = await scene.desk.call(
    'POST',
    `/v1/conversations/${scene.theirs.id}/notes`,
    { clientNoteId: crypto.randomUUID(), body: 'Posso aiutare io?' },
    viewer.token,
  );
  if (answer.status === 201) return true;
  expectNotFound(scene, viewer, answer, 'conversation_not_found', `${viewer.name} adding a note to it`);
  expect(await notesOf(scene)).toBe(before);
  return false;
};

const getNote: RouteProbe = async (scene, viewer) => {
  let reached = false;
  for (const noteId of scene.theirs.noteIds) {
    const answer = await scene.desk.call('GET', `/v1/notes/${noteId}`, undefined, viewer.token);
    if (answer.status === 200) reached = true;
    else expectNotFound(scene, viewer, answer, 'note_not_found', `${viewer.name} asking for note ${noteId}`);
  }
  // His own note answers him: the refusals were about hers.
  if (viewer.agentId === scene.bruno.agentId)
    expect((await scene.desk.call('GET', `/v1/notes/${scene.brunos.noteId}`, undefined, viewer.token)).status).toBe(200);
  return reached;
};

const listMentionable: RouteProbe = async (scene, viewer) => {
  const answer = await scene.desk.call('GET', `/v1/conversations/${scene.theirs.id}/mentionable`, undefined, viewer.token);
  if (answer.status === 200) return true;
  expectNotFound(scene, viewer, answer, 'conversation_not_found', `${viewer.name} asking whom a note of it may mention`);
  return false;
};

const eventFeed: RouteProbe = async (scene, viewer) => {
  const replay = await scene.socket(viewer, 0);
  return replay.events.some(
    (event) =>
      theirIds(scene).includes(carriesConversation(event) ?? 0) ||
      (feedEventKind(event).carries !== 'notice' && markersIn(scene, JSON.stringify(event)).length > 0),
  );
};

/** Reporting being in her conversation: refused ("not found") to whoever may not see it, so nobody is told they are there. */
const reportPresence: RouteProbe = async (scene, viewer) => {
  const answer = await scene.desk.call('POST', '/v1/presence', { conversationId: scene.theirs.id, typing: false }, viewer.token);
  // Leaves it again, so the presence the scene set up stays as it was.
  await scene.desk.call('POST', '/v1/presence', { conversationId: null, typing: false }, viewer.token);
  if (answer.status === 204) return true;
  expectNotFound(scene, viewer, answer, 'conversation_not_found', `${viewer.name} reporting presence in it`);
  return false;
};

/** The supervisors' list of jobs: hers only to who may see it; the others (the waiting one's, one of no conversation) to every supervisor. */
const listJobs: RouteProbe = async (scene, viewer) => {
  const answer = await scene.desk.call<JobPage>('GET', '/v1/supervision/jobs?limit=500', undefined, viewer.token);
  if (answer.status === 403) {
    expect(answer.body, viewer.name).toMatchObject({ error: { code: 'forbidden_role' } });
    return false;
  }
  expect(answer.status, viewer.name).toBe(200);
  const concerning = answer.body.items.map((item) => item.conversationId);
  expect(concerning, `${viewer.name}: the controls`).toEqual(expect.arrayContaining([scene.waiting.id, null]));
  expect(markersIn(scene, JSON.stringify(answer.body))).toEqual([]);
  return concerning.includes(scene.theirs.id);
};

const identity = 'identity: nonces, pairings, enrollment, sessions and device status, never an inbox';
const teamsAnswer = 'answers with teams: names, members with capacities, supervisors, numbers, how many conversations (never which)';
const routingAnswer = 'answers with routing rules: the conditions an admin wrote and the team each sends to, never a conversation or a message';

/** Every route, by "METHOD /path" as Fastify names it. */
export const ROUTES: Readonly<Record<string, RouteClass>> = {
  'GET /healthz': nothing('the store’s, the channel’s and the virus scanner’s health (a state, never its address), for load balancers'),
  'GET /webhooks/whatsapp': nothing('Meta’s subscription check: echoes the challenge to whoever knows the verify token'),
  'POST /webhooks/whatsapp': nothing('Meta delivers here; the answer is an empty 200'),
  'GET /v1/openapi.json': nothing('the API’s description, written from the route declarations'),
  'POST /v1/auth/nonce': nothing(identity),
  'POST /v1/pairings': nothing(identity),
  'POST /v1/pairings/:id/code': nothing(identity),
  'POST /v1/pairings/:id/status': nothing(identity),
  'POST /v1/device/status': nothing(identity),
  'POST /v1/enrollment': nothing(identity),
  'POST /v1/enrollment/confirm': nothing(identity),
  'POST /v1/sessions': nothing(identity),
  'POST /v1/sessions/refresh': nothing(identity),
  'POST /v1/sessions/current/unlock': nothing(identity),
  'DELETE /v1/sessions/current': nothing(identity),
  'GET /v1/conversations': conversation(listConversations),
  'GET /v1/conversations/:id': conversation(getConversation),
  'GET /v1/numbers': nothing('the business numbers served, by name: what the list can be filtered by, no conversation'),
  'GET /v1/conversations/:id/messages': conversation(listMessages),
  'GET /v1/conversations/:id/history': conversation(listHistory),
  'GET /v1/conversations/:id/earlier': conversation(listEarlier),
  'POST /v1/conversations/:id/state': conversation(changeState),
  'POST /v1/conversations/:id/read': conversation(markRead),
  'POST /v1/messages': conversation(sendMessage),
  'POST /v1/media': nothing('an upload answers with the id of the uploader’s own file, usable by them alone until sent'),
  'GET /v1/media/:id': conversation(downloadMedia),
  'GET /v1/conversations/:id/notes': conversation(listNotes),
  'POST /v1/conversations/:id/notes': conversation(addNote),
  'GET /v1/notes/:id': conversation(getNote),
  'GET /v1/conversations/:id/mentionable': conversation(listMentionable),
  'GET /v1/events': conversation(eventFeed),
  'GET /v1/admin/devices': nothing('workstations: machine IDs, hostnames, keys, statuses'),
  'GET /v1/admin/numbers': nothing(
    'business numbers, their health and how many conversations each has; webhooks from numbers not served, by number; never a conversation, a customer or a token',
  ),
  'POST /v1/admin/numbers': nothing('answers with the added number’s public record: never its token or app secret, never a conversation'),
  'POST /v1/admin/numbers/:phoneNumberId/token': nothing('answers with the number’s public record, never the token'),
  'DELETE /v1/admin/numbers/:phoneNumberId': nothing('answers with how many conversations moved, not which'),
  'POST /v1/admin/devices/:id/revoke': nothing('answers with the device'),
  'POST /v1/admin/devices/:id/unrevoke': nothing('answers with the device'),
  'POST /v1/admin/allowlist': nothing('machine IDs IT registers'),
  'POST /v1/admin/allowlist/import': nothing('machine IDs IT registers'),
  'GET /v1/admin/pairings/lookup': nothing('a pending pairing’s workstation'),
  'POST /v1/admin/pairings/approve': nothing('answers with the device'),
  'POST /v1/admin/pairings/reject': nothing('answers with the device'),
  'GET /v1/admin/agents': nothing('accounts: usernames, roles, statuses'),
  'POST /v1/admin/agents': nothing('answers with the account and its enrollment code'),
  'POST /v1/admin/agents/:id/disable': nothing('answers with the account'),
  'POST /v1/admin/agents/:id/unlock': nothing('answers with the account'),
  'POST /v1/admin/agents/:id/reset-totp': nothing('answers with the account and a new enrollment code'),
  'POST /v1/admin/agents/:id/recovery-codes': nothing('answers with the account’s new recovery codes'),
  'POST /v1/admin/numbers/:phoneNumberId/team': nothing('answers with the number’s public record (its team’s id), never a conversation'),
  'GET /v1/admin/teams': nothing(teamsAnswer),
  'POST /v1/admin/teams': nothing(teamsAnswer),
  'POST /v1/admin/teams/:id': nothing(teamsAnswer),
  'DELETE /v1/admin/teams/:id': nothing('answers with how many conversations moved and where, not which'),
  'POST /v1/admin/teams/:id/members': nothing(teamsAnswer),
  'POST /v1/admin/teams/:id/members/:agentId': nothing(teamsAnswer),
  'DELETE /v1/admin/teams/:id/members/:agentId': nothing(teamsAnswer),
  'POST /v1/admin/teams/:id/supervisors': nothing(teamsAnswer),
  'DELETE /v1/admin/teams/:id/supervisors/:agentId': nothing(teamsAnswer),
  'POST /v1/admin/agents/:id/roles': nothing('answers with the account'),
  'GET /v1/admin/routing-rules': nothing(routingAnswer),
  'POST /v1/admin/routing-rules': nothing(routingAnswer),
  'POST /v1/admin/routing-rules/:id': nothing(routingAnswer),
  'POST /v1/admin/routing-rules/:id/position': nothing(routingAnswer),
  'DELETE /v1/admin/routing-rules/:id': nothing('answers with the removed rule’s id'),
  'GET /v1/admin/sessions': nothing('who is signed in where: accounts, workstations, addresses and times; never a conversation'),
  'POST /v1/admin/sessions/:id/end': nothing('answers with the ended session: its account and workstation'),
  'GET /v1/admin/audit': nothing('security events: who signed in, paired, was revoked; never a message or a customer'),
  'GET /v1/admin/audit/verify': nothing('whether the audit chain holds'),
  'GET /v1/teams/:id/hours': nothing('a team’s weekly hours, zone, holidays and away message, for admins and its supervisors; never a conversation'),
  'POST /v1/teams/:id/hours': nothing('answers with the team’s hours and away message; never a conversation'),
  'GET /v1/safety-policy': nothing('the safety policy: settings and host lists, no customer data'),
  'GET /v1/admin/safety-policy': nothing('the safety policy and who changed it last (an actor name): no customer data'),
  'PUT /v1/admin/safety-policy': nothing('answers with the safety policy as stored: settings and host lists, no customer data'),
  'GET /v1/briefing': nothing('the security briefing’s rules and the caller’s own acknowledgement: no customer data'),
  'POST /v1/briefing/acknowledgements': nothing('the caller acknowledges the briefing’s rules; answers with their own standing, no customer data'),
  'GET /v1/admin/briefing': nothing('the briefing in force and who published it (an actor name): no customer data'),
  'PUT /v1/admin/briefing': nothing('answers with the briefing as published: rules, no customer data'),
  'GET /v1/admin/briefing/acknowledgements': nothing('agents’ names and which briefing version each acknowledged when: no customer data'),
  'GET /v1/me/status': nothing('the caller’s own availability and time zone'),
  'POST /v1/me/availability': nothing('the caller’s own availability'),
  'POST /v1/me/time-zone': nothing('the caller’s own time zone'),
  'POST /v1/me/screen': nothing('the caller’s workstation locked or unlocked; answers nothing'),
  'POST /v1/presence': conversation(reportPresence),
  'GET /v1/supervision/agents': nothing(
    'the name of each agent of the teams the caller supervises (no other: who-is-online-keeps-to-the-supervisors-teams) and whether they are connected, locked, available and online; no conversation',
  ),
  'GET /v1/supervision/teams': nothing(
    'for each team the caller supervises (no other: supervisor-view): how many conversations wait and since when, each member’s count of open conversations, capacity and whether online; never a conversation, a customer or a message',
  ),
  'GET /v1/supervision/jobs': conversation(listJobs, ['supervisor']),
  'GET /v1/supervision/teams/:id/members/:agentId/conversations': conversation(annasHeldConversations, ['supervisor']),
  'GET /v1/quick-replies': nothing(
    'the global quick replies and those of the caller’s teams (another team’s: see “keeps each team’s quick replies and labels”); no conversation',
  ),
  'GET /v1/labels': nothing('the global labels and those of the caller’s teams; no conversation'),
  'POST /v1/conversations/:id/labels': conversation(addLabelProbe((scene) => scene.theirs.id)),
  'DELETE /v1/conversations/:id/labels/:labelId': conversation(removeLabelProbe((scene) => scene.theirs.id)),
  ...Object.fromEntries(Object.entries(templateProbes({ id: (scene) => scene.theirs.id, markersIn })).map(([name, probe]) => [name, conversation(probe)])),
  'GET /v1/manage/templates': nothing(
    'every company template as Meta describes it (texts, status, category, quality) and each account’s last sync, for admins and supervisors: no customer data',
  ),
  'POST /v1/manage/templates/sync': nothing('answers with each account’s last sync (counts, time, error): no customer data'),
  'GET /v1/manage/quick-replies': nothing('the quick replies of the scopes the caller manages: shortcuts and texts, never a conversation'),
  'POST /v1/manage/quick-replies': nothing('answers with the quick reply made'),
  'POST /v1/manage/quick-replies/:id': nothing('answers with the quick reply changed'),
  'DELETE /v1/manage/quick-replies/:id': nothing('answers nothing'),
  'GET /v1/manage/labels': nothing('the labels of the scopes the caller manages: names and colours, never a conversation'),
  'POST /v1/manage/labels': nothing('answers with the label made'),
  'POST /v1/manage/labels/:id': nothing('answers with the label changed (which conversations carry it is told to their viewers by the feed)'),
  'DELETE /v1/manage/labels/:id': nothing('answers nothing'),
  ...handoverRoutes(),
  ...Object.fromEntries(Object.entries(blockProbes({ id: (scene) => scene.theirs.id, markersIn })).map(([name, probe]) => [name, conversation(probe)])),
  ...Object.fromEntries(Object.entries(paymentProbes({ id: (scene) => scene.theirs.id, markersIn })).map(([name, probe]) => [name, conversation(probe)])),
  ...Object.fromEntries(
    Object.entries(scheduleProbes({ id: (scene) => scene.theirs.id, markersIn })).map(([name, probe]) => [
      name,
      conversation(probe, name.includes('/supervision/') ? ['supervisor'] : undefined),
    ]),
  ),
  'GET /v1/payment-provider': nothing('which payment provider is set and whether it is available: no secret, no customer data'),
  'GET /v1/admin/payment-provider': nothing('the payment provider, its fixed page and who changed it last; never the Stripe key, no customer data'),
  'PUT /v1/admin/payment-provider': nothing('answers with the payment provider as stored, never the Stripe key; no customer data'),
  ...Object.fromEntries(Object.entries(numberProbes({ id: (scene) => scene.theirs.id, markersIn })).map(([name, probe]) => [name, conversation(probe)])),
  ...Object.fromEntries(Object.entries(personalDataProbes({ id: (scene) => scene.theirs.id, markersIn })).map(([name, probe]) => [name, conversation(probe)])),
  'GET /v1/admin/contacts/:id/personal-data': nothing(
    'a data-subject export, by an administrator only and audited: the contact’s number and name, the kinds of personal data asked of them and why, their consent answers; never a message, its text or the data the customer gave',
  ),
  ...ANALYTICS_ROUTES,
  'GET /pair': nothing('the phone approval page: pairing details for an admin'),
  'GET /pair/assets/approval-page.css': nothing('the approval page’s stylesheet'),
  'POST /pair/login': nothing('the approval page’s admin login'),
  'POST /pair/logout': nothing('the approval page’s logout'),
  'POST /pair/decide': nothing('approves or rejects a pairing'),
};

/** The hand-over routes, asked of X (Anna's); the bulk reassignment answers supervisors only. */
function handoverRoutes(): Record<string, RouteClass> {
  const probes = handoverProbes({ id: (scene) => scene.theirs.id, markersIn });
  return Object.fromEntries(
    Object.entries(probes).map(([name, probe]) => [name, conversation(probe, name === 'POST /v1/conversations/reassign' ? ['supervisor'] : undefined)]),
  );
}

/** Served routes that have no line in ROUTES, and lines that name no served route. */
export function unclassified(routes: readonly ServedRoute[]): { readonly missing: string[]; readonly stale: string[] } {
  const served = new Set(routes.map(key));
  return {
    missing: [...served].filter((name) => ROUTES[name] === undefined).sort(),
    stale: Object.keys(ROUTES)
      .filter((name) => !served.has(name))
      .sort(),
  };
}

export { key as routeName };
