/**
 * Team B's conversation (V) asked of on every route that carries conversation data, by every
 * viewer: only Carla (its team's agent) reaches it; team A's agents and supervisor, and the admin
 * who reads nothing, get "not found" (or, the admin, "forbidden") holding none of it, and nothing
 * of V changes. Keyed like ROUTES: a route that carries conversation data must have a line here
 * too, so a new one is walked with team B's conversation as well as with Anna's.
 */
import crypto from 'node:crypto';
import { expect } from 'vitest';
import { CONVERSATION_STATES } from '../../../common/api/conversation-lifecycle.js';
import { CONVERSATION_FILTERS } from '../../../common/api/inbox.js';
import type { ConversationPage, HistoryPage, MessagePage } from '../../../common/api/inbox.js';
import type { JobPage } from '../../../common/api/presence.js';
import { carriesConversation, feedEventKind } from './feed.js';
import { addLabelProbe, removeLabelProbe } from './labels.js';
import { handoverProbes } from './handover-probes.js';
import { blockProbes } from './block-probes.js';
import { paymentProbes } from './payment-probes.js';
import { scheduleProbes } from './schedule-probes.js';
import { numberProbes } from './number-probes.js';
import { templateProbes } from './template-probes.js';
import { personalDataProbes } from './personal-data-probes.js';
import { carlasHeldConversations } from './supervision-probes.js';
import { expectNotFound } from './routes.js';
import type { RouteProbe } from './routes.js';
import type { NeedToKnowScene, Viewer } from './scene.js';

/** Text of V found in an answer. */
export function elsewhereMarkersIn(scene: NeedToKnowScene, text: string): string[] {
  return scene.elsewhere.markers.filter((marker) => text.includes(marker));
}

/** "Not found" (or forbidden to one who reads nothing) holding nothing of V either. */
function refused(scene: NeedToKnowScene, viewer: Viewer, response: { status: number; body: unknown }, code: string, what: string): void {
  expectNotFound(scene, viewer, response, code, what);
  expect(elsewhereMarkersIn(scene, JSON.stringify(response.body)), what).toEqual([]);
}

const path = (scene: NeedToKnowScene, tail = '') => `/v1/conversations/${scene.elsewhere.id}${tail}`;

/** A GET of V's: answered (with something of it) to who may see it, refused to the rest. */
const read =
  (tail: string, what: string, found: (body: unknown) => boolean = () => true): RouteProbe =>
  async (scene, viewer) => {
    const answer = await scene.desk.call('GET', path(scene, tail), undefined, viewer.token);
    if (answer.status === 200) return found(answer.body);
    refused(scene, viewer, answer, 'conversation_not_found', `${viewer.name} asking for ${what} of V`);
    return false;
  };

const listConversations: RouteProbe = async (scene, viewer) => {
  let reached = false;
  for (const [filter, state] of CONVERSATION_FILTERS.flatMap((filter) => CONVERSATION_STATES.map((state) => [filter, state] as const))) {
    const answer = await scene.desk.call<ConversationPage>('GET', `/v1/conversations?filter=${filter}&state=${state}&limit=200`, undefined, viewer.token);
    if (answer.status === 403) continue;
    expect(answer.status, `${viewer.name}, ${filter} ${state}`).toBe(200);
    reached ||= answer.body.items.some((item) => item.id === scene.elsewhere.id) || elsewhereMarkersIn(scene, JSON.stringify(answer.body)).length > 0;
  }
  return reached;
};

/** Marks V pending and open again; to whoever may not see it, refused, and nothing of V changes. */
const changeState: RouteProbe = async (scene, viewer) => {
  const { db } = scene.t.server.database;
  const rowOf = () => db.selectFrom('conversations').selectAll().where('id', '=', scene.elsewhere.id).executeTakeFirstOrThrow();
  const entries = async () => (await db.selectFrom('conversation_history').select('id').where('conversation_id', '=', scene.elsewhere.id).execute()).length;
  const [rowBefore, entriesBefore] = [await rowOf(), await entries()];
  const change = (state: string) => scene.desk.call('POST', path(scene, '/state'), { state }, viewer.token);
  const pending = await change('pending');
  if (pending.status === 200) {
    expect((await change('open')).status).toBe(200);
    return true;
  }
  refused(scene, viewer, pending, 'conversation_not_found', `${viewer.name} marking V pending`);
  refused(scene, viewer, await change('resolved'), 'conversation_not_found', `${viewer.name} resolving V`);
  expect(await rowOf()).toEqual(rowBefore);
  expect(await entries()).toBe(entriesBefore);
  return false;
};

const markRead: RouteProbe = async (scene, viewer) => {
  const { db } = scene.t.server.database;
  const unread = async () =>
    (await db.selectFrom('conversations').select('unread_count').where('id', '=', scene.elsewhere.id).executeTakeFirstOrThrow()).unread_count;
  const before = await unread();
  const answer = await scene.desk.call('POST', path(scene, '/read'), {}, viewer.token);
  if (answer.status === 200) return true;
  refused(scene, viewer, answer, 'conversation_not_found', `${viewer.name} marking V read`);
  expect(await unread()).toBe(before);
  return false;
};

const messagesOfV = async (scene: NeedToKnowScene) =>
  (await scene.t.server.database.db.selectFrom('messages').select('id').where('conversation_id', '=', scene.elsewhere.id).execute()).length;

/** Sends to V, and (from his own conversation) a reply to V's message and V's file: each refused to who may not see V. */
const sendMessage: RouteProbe = async (scene, viewer) => {
  const { elsewhere, brunos } = scene;
  const send = (body: Record<string, unknown>) => scene.desk.call('POST', '/v1/messages', { idempotencyKey: crypto.randomUUID(), ...body }, viewer.token);
  const before = await messagesOfV(scene);
  if (viewer.agentId === scene.bruno.agentId) {
    for (const [what, body, code] of [
      [
        'a reply to a message of V',
        { conversationId: brunos.id, kind: 'text', text: 'Come dicevi', replyToMessageId: elsewhere.messageId },
        'message_not_found',
      ],
      ['V’s file', { conversationId: brunos.id, kind: 'media', mediaId: elsewhere.media.mediaId }, 'media_not_found'],
    ] as const)
      refused(scene, viewer, await send(body), code, `${viewer.name} sending ${what}`);
  }
  const text = await send({ conversationId: elsewhere.id, kind: 'text', text: 'Posso aiutare io?' });
  if (text.status === 201) return true;
  refused(scene, viewer, text, 'conversation_not_found', `${viewer.name} sending to V`);
  expect(await messagesOfV(scene)).toBe(before);
  return false;
};

const downloadMedia: RouteProbe = async (scene, viewer) => {
  const { mediaId, messageId } = scene.elsewhere.media;
  let reached = false;
  for (const query of [`${mediaId}`, `${mediaId}?messageId=${messageId}`]) {
    const answer = await scene.desk.request('GET', `/v1/media/${query}`, { token: viewer.token });
    if (answer.status === 200) reached = true;
    else
      refused(
        scene,
        viewer,
        { status: answer.status, body: JSON.parse(answer.bytes.toString('utf8')) as unknown },
        'media_not_found',
        `${viewer.name} downloading ${query}`,
      );
  }
  return reached;
};

const notesOfV = async (scene: NeedToKnowScene) =>
  (await scene.t.server.database.db.selectFrom('notes').select('id').where('conversation_id', '=', scene.elsewhere.id).execute()).length;

const addNote: RouteProbe = async (scene, viewer) => {
  const before = await notesOfV(scene);
  const answer = await scene.desk.call('POST', path(scene, '/notes'), { clientNoteId: crypto.randomUUID(), body: 'Posso aiutare io?' }, viewer.token);
  if (answer.status === 201) return true;
  refused(scene, viewer, answer, 'conversation_not_found', `${viewer.name} adding a note to V`);
  expect(await notesOfV(scene)).toBe(before);
  return false;
};

const getNote: RouteProbe = async (scene, viewer) => {
  let reached = false;
  for (const noteId of scene.elsewhere.noteIds) {
    const answer = await scene.desk.call('GET', `/v1/notes/${noteId}`, undefined, viewer.token);
    if (answer.status === 200) reached = true;
    else refused(scene, viewer, answer, 'note_not_found', `${viewer.name} asking for V’s note ${noteId}`);
  }
  return reached;
};

/** Replayed from the start: nothing of V (no notice either: none of them ever saw it). */
const eventFeed: RouteProbe = async (scene, viewer) => {
  const replay = await scene.socket(viewer, 0);
  const ofV = replay.events.filter(
    (event) =>
      carriesConversation(event) === scene.elsewhere.id ||
      (feedEventKind(event).carries !== 'nothing' && elsewhereMarkersIn(scene, JSON.stringify(event)).length > 0),
  );
  return ofV.length > 0;
};

const reportPresence: RouteProbe = async (scene, viewer) => {
  const answer = await scene.desk.call('POST', '/v1/presence', { conversationId: scene.elsewhere.id, typing: false }, viewer.token);
  await scene.desk.call('POST', '/v1/presence', { conversationId: null, typing: false }, viewer.token);
  if (answer.status === 204) return true;
  refused(scene, viewer, answer, 'conversation_not_found', `${viewer.name} reporting presence in V`);
  return false;
};

/** The supervisors' jobs: V's job only to who may see V (team A's supervisor may not). */
const listJobs: RouteProbe = async (scene, viewer) => {
  const answer = await scene.desk.call<JobPage>('GET', '/v1/supervision/jobs?limit=500', undefined, viewer.token);
  if (answer.status === 403) return false;
  expect(answer.status, viewer.name).toBe(200);
  expect(
    answer.body.items.map((item) => item.conversationId),
    `${viewer.name}: the controls`,
  ).toEqual(expect.arrayContaining([scene.waiting.id, null]));
  expect(elsewhereMarkersIn(scene, JSON.stringify(answer.body))).toEqual([]);
  return answer.body.items.some((item) => item.id === scene.elsewhere.jobId || item.conversationId === scene.elsewhere.id);
};

/**
 * Every conversation route, asked of V. Sends come last: Carla's claims V for her (it stays hers
 * alone), after every other probe has asked of it as it waits in team B's queue.
 */
export const ELSEWHERE_ROUTES: Readonly<Record<string, RouteProbe>> = {
  'GET /v1/conversations': listConversations,
  'GET /v1/conversations/:id': read('', 'the conversation'),
  'GET /v1/conversations/:id/messages': read('/messages?limit=200', 'the messages', (body) => (body as MessagePage).items.length > 0),
  'GET /v1/conversations/:id/history': read('/history?limit=200', 'the history', (body) => (body as HistoryPage).items.length > 0),
  'GET /v1/conversations/:id/earlier': read('/earlier', 'the earlier conversations'),
  'POST /v1/conversations/:id/state': changeState,
  'POST /v1/conversations/:id/read': markRead,
  'GET /v1/media/:id': downloadMedia,
  'GET /v1/conversations/:id/notes': read('/notes?limit=200', 'the notes', (body) => (body as { items: unknown[] }).items.length > 0),
  'POST /v1/conversations/:id/notes': addNote,
  'GET /v1/notes/:id': getNote,
  'GET /v1/conversations/:id/mentionable': read('/mentionable', 'whom a note may mention'),
  'GET /v1/events': eventFeed,
  'POST /v1/presence': reportPresence,
  'GET /v1/supervision/jobs': listJobs,
  'GET /v1/supervision/teams/:id/members/:agentId/conversations': carlasHeldConversations,
  'POST /v1/conversations/:id/labels': addLabelProbe(
    (scene) => scene.elsewhere.id,
    (scene, viewer, response, what) => refused(scene, viewer, response, 'conversation_not_found', what),
  ),
  'DELETE /v1/conversations/:id/labels/:labelId': removeLabelProbe(
    (scene) => scene.elsewhere.id,
    (scene, viewer, response, what) => refused(scene, viewer, response, 'conversation_not_found', what),
  ),
  // Carla's claim of V is undone at once: V still waits in team B's queue for the sends below.
  ...handoverProbes({ id: (scene) => scene.elsewhere.id, markersIn: elsewhereMarkersIn }),
  ...blockProbes({ id: (scene) => scene.elsewhere.id, markersIn: elsewhereMarkersIn }),
  ...numberProbes({ id: (scene) => scene.elsewhere.id, markersIn: elsewhereMarkersIn }),
  ...templateProbes({ id: (scene) => scene.elsewhere.id, markersIn: elsewhereMarkersIn }),
  ...personalDataProbes({ id: (scene) => scene.elsewhere.id, markersIn: elsewhereMarkersIn }),
  'POST /v1/messages': sendMessage,
  // After the sends: a payment link is a send too, and Carla's would make V hers.
  ...paymentProbes({ id: (scene) => scene.elsewhere.id, markersIn: elsewhereMarkersIn }),
  ...scheduleProbes({ id: (scene) => scene.elsewhere.id, markersIn: elsewhereMarkersIn }),
};
