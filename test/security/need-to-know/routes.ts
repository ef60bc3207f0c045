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
import { CONVERSATION_FILTERS } from '../../../common/api/inbox.js';
import type { ConversationPage, MessagePage } from '../../../common/api/inbox.js';
import { customerWrites } from '../../helpers/conversations.js';
import type { ApiResponse } from '../../helpers/test-device.js';
import { carriesConversation, feedEventKind } from './feed.js';
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

export type RouteClass = { readonly carries: 'conversation'; readonly probe: RouteProbe } | { readonly carries: 'nothing'; readonly reason: string };

const nothing = (reason: string): RouteClass => ({ carries: 'nothing', reason });
const conversation = (probe: RouteProbe): RouteClass => ({ carries: 'conversation', probe });

/** Text of Anna's conversation found in an answer. */
export function markersIn(scene: NeedToKnowScene, text: string): string[] {
  return scene.theirs.markers.filter((marker) => text.includes(marker));
}

const hidden = (scene: NeedToKnowScene, viewer: Viewer) => !maySeeConversation(ruleViewer(viewer), scene.theirs.place);

/**
 * A refusal that says "not found" (never "forbidden": that would tell the conversation exists) and
 * holds none of it; to a viewer who reads no conversation at all (an admin only), every inbox
 * route says so, whatever the conversation.
 */
function expectNotFound(scene: NeedToKnowScene, viewer: Viewer, response: { status: number; body: unknown }, code: string, what: string): void {
  const reads = readsConversations(ruleViewer(viewer));
  expect(response.status, `${what}: ${JSON.stringify(response.body)}`).toBe(reads ? 404 : 403);
  expect(response.body, what).toMatchObject({ error: { code: reads ? code : 'forbidden_role' } });
  expect(markersIn(scene, JSON.stringify(response.body)), what).toEqual([]);
}

const messagesOf = async (scene: NeedToKnowScene) =>
  (await scene.t.server.database.db.selectFrom('messages').select('id').where('conversation_id', '=', scene.theirs.id).execute()).length;

/** Each list, whole and of the business number her conversation is on. */
const listConversations: RouteProbe = async (scene, viewer) => {
  let reached = false;
  for (const number of [undefined, scene.t.sandbox.business.phoneNumberId]) {
    for (const filter of CONVERSATION_FILTERS) {
      const what = `${viewer.name}, ${filter}${number === undefined ? '' : ` of ${number}`}`;
      let cursor: string | null = null;
      const ids: number[] = [];
      for (let page = 0; page < 20; page += 1) {
        const answer: ApiResponse<ConversationPage> = await scene.desk.call<ConversationPage>(
          'GET',
          `/v1/conversations?filter=${filter}&limit=2${number === undefined ? '' : `&number=${number}`}${cursor === null ? '' : `&cursor=${cursor}`}`,
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
      reached ||= ids.includes(scene.theirs.id);
      // The list itself works: whoever may see a conversation still waiting finds it, and nobody else.
      for (const other of [scene.waiting, scene.elsewhere]) {
        if (filter !== 'unassigned' || (number !== undefined && other === scene.elsewhere)) continue;
        expect(ids.includes(other.id), `${what}: the unassigned list, conversation ${other.id}`).toBe(maySeeConversation(ruleViewer(viewer), other.place));
      }
    }
  }
  return reached;
};

const getConversation: RouteProbe = async (scene, viewer) => {
  const answer = await scene.desk.call('GET', `/v1/conversations/${scene.theirs.id}`, undefined, viewer.token);
  if (answer.status === 200) return true;
  expectNotFound(scene, viewer, answer, 'conversation_not_found', `${viewer.name} asking for it by id`);
  return false;
};

const listMessages: RouteProbe = async (scene, viewer) => {
  const answer = await scene.desk.call<MessagePage>('GET', `/v1/conversations/${scene.theirs.id}/messages?limit=200`, undefined, viewer.token);
  if (answer.status === 200) return answer.body.items.length > 0;
  expectNotFound(scene, viewer, answer, 'conversation_not_found', `${viewer.name} asking for its messages`);
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

const eventFeed: RouteProbe = async (scene, viewer) => {
  const replay = await scene.socket(viewer, 0);
  return replay.events.some(
    (event) =>
      carriesConversation(event) === scene.theirs.id || (feedEventKind(event).carries !== 'notice' && markersIn(scene, JSON.stringify(event)).length > 0),
  );
};

const identity = 'identity: nonces, pairings, enrollment, sessions and device status, never an inbox';
const teamsAnswer = 'answers with teams: names, members with capacities, supervisors, numbers, how many conversations (never which)';

/** Every route, by "METHOD /path" as Fastify names it. */
export const ROUTES: Readonly<Record<string, RouteClass>> = {
  'GET /healthz': nothing('the store’s and the channel’s health, for load balancers'),
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
  'POST /v1/conversations/:id/read': conversation(markRead),
  'POST /v1/messages': conversation(sendMessage),
  'POST /v1/media': nothing('an upload answers with the id of the uploader’s own file, usable by them alone until sent'),
  'GET /v1/media/:id': conversation(downloadMedia),
  'GET /v1/events': conversation(eventFeed),
  'GET /v1/admin/devices': nothing('workstations: machine IDs, hostnames, keys, statuses'),
  'GET /v1/admin/numbers': nothing(
    'business numbers, their health and how many conversations each has; webhooks from numbers not served, by number; never a conversation, a customer or a token',
  ),
  'POST /v1/admin/numbers': nothing('answers with the added number’s public record: never its token or app secret, never a conversation'),
  'POST /v1/admin/numbers/:phoneNumberId/token': nothing('answers with the number’s public record, never the token'),
  'DELETE /v1/admin/numbers/:phoneNumberId': nothing('answers with how many conversations moved, not which'),
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
  'GET /v1/admin/audit': nothing('security events: who signed in, paired, was revoked; never a message or a customer'),
  'GET /v1/admin/audit/verify': nothing('whether the audit chain holds'),
  'GET /pair': nothing('the phone approval page: pairing details for an admin'),
  'GET /pair/assets/approval-page.css': nothing('the approval page’s stylesheet'),
  'POST /pair/login': nothing('the approval page’s admin login'),
  'POST /pair/logout': nothing('the approval page’s logout'),
  'POST /pair/decide': nothing('approves or rejects a pairing'),
};

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
