/**
 * The need-to-know test's world, over a listening TLS server, with two teams: team A (the
 * default team, "General", which the first number sends to) and team B (Vendite, which the second
 * number sends to). Anna's conversation (X, team A), which Bruno (an agent of team A) saw while it
 * waited in team A's queue and then lost to her, and which went on without him, live, while his
 * workstation was offline (so it reaches him only by replay) and live again; Bruno's own
 * conversation (U) and one still waiting in team A's queue (W), so every check has something it
 * must find; and one waiting in team B's queue (V), which nobody of team A may ever see. Viewers
 * of every kind call the client API: Anna and Bruno (agents of A), Sara (supervising A), Dario
 * (an admin and nothing else: no conversation at all), Carla (an agent of team B). Bruno also
 * runs the real client core.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ConversationPlace, ConversationViewer } from '../../../common/api/conversation-access.js';
import type { Role, TeamScope } from '../../../common/api/session.js';
import type { IpcEventName, IpcEventPayload } from '../../../common/ipc/contract.js';
import type { SendRequestInput } from '../../../common/messages/send-request.js';
import { cacheDir } from '../../../main/cache/workstation-cache.js';
import type { SandboxCustomer } from '../../../server/sandbox/webhook-builder.js';
import { startCoreBehindProxy } from '../../helpers/core-behind-proxy.js';
import type { CoreBehindProxy } from '../../helpers/core-behind-proxy.js';
import { customer, customerWrites } from '../../helpers/conversations.js';
import { approvedDevice, enrolledAgent, GOOD_PASSWORD, IT, openEventSocket } from '../../helpers/identity-setup.js';
import type { EnrolledAgent, EventSocket } from '../../helpers/identity-setup.js';
import type { TestPlatform } from '../../helpers/node-platform.js';
import { runEvery } from '../../helpers/run-every.js';
import { eventually } from '../../helpers/store-queries.js';
import type { TestDevice } from '../../helpers/test-device.js';
import { startTestServer } from '../../helpers/test-server.js';
import type { TestServer } from '../../helpers/test-server.js';

/** A small valid PNG (1×1). */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

export interface Viewer {
  readonly name: string;
  readonly agentId: number;
  readonly roles: readonly Role[];
  /** The teams the viewer's session grant named. */
  readonly teams: TeamScope;
  readonly token: string;
}

export const ruleViewer = (viewer: Viewer): ConversationViewer => ({
  agentId: viewer.agentId,
  roles: viewer.roles,
  memberOf: viewer.teams.memberOf,
  supervises: viewer.teams.supervises,
});

/** Words only Anna's conversation holds, each as typed and as the search index keeps it. */
const WORDS = {
  beforeHandOver: 'zanzibarquokka',
  beforeCaption: 'scatolasegreta',
  annasReply: 'rispostariservata',
  whileOffline: 'ornitorinco',
  offlineCaption: 'fotografiasegreta',
  annasCaption: 'allegatoriservato',
  afterReconnect: 'pangolinvivace',
} as const;
const ANNAS_FILE = 'ricevuta-riservata.png';
/** A word of Bruno's own conversation: no other word of the inbox starts as it does, so the search index keeps it whole. */
export const BRUNOS_WORD = 'xilofono';
/** A word only team B's conversation holds. */
const ELSEWHERE_WORD = 'quadrifoglio';

export interface TheirConversation {
  readonly id: number;
  readonly customer: SandboxCustomer;
  /** Every message of it on the server, by id. */
  readonly messageIds: readonly number[];
  /** Each file it carries and the message that carries it. */
  readonly media: ReadonlyArray<{ readonly mediaId: number; readonly messageId: number; readonly direction: 'inbound' | 'outbound' }>;
  /** Text only this conversation holds: none of it may reach Bruno in any form. */
  readonly markers: readonly string[];
  /** The same, as single lowercase words (what a search index stores). */
  readonly terms: readonly string[];
  /** One of Anna's sends as she made it (its idempotency key included). */
  readonly annasSend: SendRequestInput;
}

export interface OtherConversation {
  readonly id: number;
  readonly customer: SandboxCustomer;
  readonly messageId: number;
  readonly place: ConversationPlace;
}

export interface BrunosWorkstation extends CoreBehindProxy {
  /** Everything the core told the renderer, in order. */
  readonly ipcEvents: ReadonlyArray<{ readonly event: IpcEventName; readonly payload: unknown }>;
  /** What the workstation held of X while Bruno could see it (the checks' controls). */
  readonly before: { readonly searchHits: number; readonly cachedMediaFiles: number };
  /** How many IPC events and notifications there were just before Anna took X: what follows must hold nothing of it. */
  readonly handedOverAt: { readonly ipcEvents: number; readonly notifications: number };
}

export interface NeedToKnowScene {
  readonly t: TestServer;
  readonly desk: TestDevice;
  readonly anna: Viewer;
  readonly bruno: Viewer;
  readonly supervisor: Viewer;
  /** An admin who is neither agent nor supervisor: no conversation at all. */
  readonly admin: Viewer;
  /** An agent of team B. */
  readonly carla: Viewer;
  readonly viewers: readonly Viewer[];
  readonly teamA: number;
  readonly teamB: number;
  readonly theirs: TheirConversation & { readonly place: ConversationPlace };
  /** Bruno's own conversation, with a customer's image. */
  readonly brunos: OtherConversation & { readonly media: { readonly mediaId: number; readonly messageId: number } };
  /** Unassigned, in team A's queue: team A's agents and supervisor see it. */
  readonly waiting: OtherConversation;
  /** Unassigned, in team B's queue: only Carla sees it; it must never reach Bruno's workstation. */
  readonly elsewhere: OtherConversation & { readonly markers: readonly string[] };
  /** Bruno's event socket, open from just before the hand-over to the end. */
  readonly brunoLive: EventSocket;
  /** The feed position Bruno's live socket started after, just before the hand-over. */
  readonly beforeHandOver: number;
  readonly workstation: BrunosWorkstation;
  /** Feed sockets opened by the checks, closed with the scene. */
  socket(viewer: Viewer, after?: number): Promise<EventSocket>;
  close(): Promise<void>;
}

/** The sealed files of the workstation's media cache. */
export function cachedMediaFiles(platform: TestPlatform): string[] {
  const dir = path.join(cacheDir(platform.userDataDir), 'media');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

/** A send as composed, before it gets its idempotency key. */
export type UnkeyedSend = SendRequestInput extends infer R ? (R extends unknown ? Omit<R, 'idempotencyKey'> : never) : never;

const viewerOf = (agent: EnrolledAgent): Viewer => ({
  name: agent.username,
  agentId: agent.agentId,
  roles: agent.session.agent.roles,
  teams: agent.session.teams,
  token: agent.session.accessToken,
});

export async function needToKnowScene(): Promise<NeedToKnowScene> {
  const cleanups: Array<() => Promise<void> | void> = [];
  const close = () => runEvery(cleanups.splice(0).reverse());
  try {
    return await build(cleanups, close);
  } catch (error) {
    await close();
    throw error;
  }
}

async function build(cleanups: Array<() => Promise<void> | void>, close: () => Promise<void>): Promise<NeedToKnowScene> {
  // Previews on: a notification would carry the message's text, so one for X would show it.
  const t = await startTestServer({ tls: true, policy: { notificationPreviews: true }, statusDelaysMs: { sent: 10, delivered: 20 } });
  cleanups.push(() => t.close());
  const desk = await approvedDevice(t, 'desk');
  const teamA = (await t.server.identity.teams.list()).teams.find((team) => team.isDefault)?.id;
  if (teamA === undefined) throw new Error('the store has no default team');
  const teamB = (await t.server.identity.teams.create({ name: 'Vendite' }, IT)).id;
  const annaAgent = await enrolledAgent(t, desk, 'anna');
  const brunoAgent = await enrolledAgent(t, desk, 'bruno');
  const anna = viewerOf(annaAgent);
  const bruno = viewerOf(brunoAgent);
  const supervisor = viewerOf(await enrolledAgent(t, desk, 'sara', 'supervisor'));
  const admin = viewerOf(await enrolledAgent(t, desk, 'dario', 'admin'));
  const carla = viewerOf(await enrolledAgent(t, desk, 'carla', 'agent', [teamB]));
  // The second number sends its new conversations to team B, set as an admin sets it.
  const secondNumber = t.sandbox.businesses[1];
  if (secondNumber === undefined) throw new Error('the sandbox serves one number only');
  const setTeam = await desk.call('POST', `/v1/admin/numbers/${secondNumber.phoneNumberId}/team`, { teamId: teamB }, admin.token);
  if (setTeam.status !== 200) throw new Error(`setting the second number's team: ${setTeam.status} ${JSON.stringify(setTeam.body)}`);
  const sockets: EventSocket[] = [];
  cleanups.push(() => sockets.forEach((socket) => socket.close()));
  const socket = async (viewer: Viewer, after = 0) => {
    const opened = await openEventSocket(t, desk, viewer.token, after);
    sockets.push(opened);
    await opened.next((event) => event.type === 'ready', 10_000);
    return opened;
  };
  const send = async (viewer: Viewer, request: UnkeyedSend) => {
    const body = { idempotencyKey: crypto.randomUUID(), ...request } as SendRequestInput;
    const sent = await desk.call<{ message: { id: number } }>('POST', '/v1/messages', body, viewer.token);
    if (sent.status !== 201) throw new Error(`${viewer.name}'s send: ${sent.status} ${JSON.stringify(sent.body)}`);
    return { messageId: sent.body.message.id, body };
  };
  const db = t.server.database.db;
  const inboundImage = async (from: SandboxCustomer, caption: string) => {
    const graph = t.sandbox.graph.addMedia(PNG, 'image/png');
    const written = await t.customers.write(from, { type: 'image', image: { id: graph.id, mime_type: 'image/png', sha256: graph.sha256Base64, caption } });
    if (!written.delivered) throw new Error('the image webhook was not accepted');
    const stored = await eventually(
      async () => {
        const row = await db.selectFrom('media').select(['id', 'state']).where('graph_media_id', '=', graph.id).executeTakeFirst();
        return row?.state === 'stored' ? row.id : undefined;
      },
      10_000,
      'the customer’s image stored',
    );
    const message = await db.selectFrom('messages').select('id').where('wamid', '=', written.wamid).executeTakeFirstOrThrow();
    return { mediaId: stored, messageId: message.id };
  };

  // Bruno's workstation: paired by IT, Bruno signing in with a recovery code (his phone's current code was spent enrolling).
  const core = await startCoreBehindProxy(t, cleanups);
  const ipcEvents: Array<{ event: IpcEventName; payload: unknown }> = [];
  core.core.onEvent((event, payload) => ipcEvents.push({ event, payload }));
  const unpaired = await core.waitFor('unpaired');
  if (unpaired.screen !== 'unpaired' || unpaired.machineId === null) throw new Error('the workstation has no machine ID');
  await t.server.identity.devices.allow([{ machineId: unpaired.machineId, label: 'Bruno’s desk' }], IT, 'single');
  const pairing = await core.call<{ screen: string; code: string }>('startPairing');
  await t.server.identity.pairing.approve(pairing.code.replace('-', ''), IT);
  await core.waitFor('signed_out');
  await core.call('login', { username: bruno.name, password: GOOD_PASSWORD, secondFactor: { kind: 'recovery', code: brunoAgent.recoveryCodes[0] } });
  await core.untilConnection(true);
  await core.untilFirstLoad();
  const coreGot = (what: string, match: (payload: IpcEventPayload<'inbox'>) => boolean) =>
    eventually(
      () => Promise.resolve(ipcEvents.some(({ event, payload }) => event === 'inbox' && match(payload as IpcEventPayload<'inbox'>)) || undefined),
      15_000,
      what,
    );
  const coreGotMessage = (messageId: number) =>
    coreGot(`message ${messageId} on Bruno’s workstation`, (payload) => payload.type === 'message' && payload.message.id === messageId);

  // U is Bruno's, W waits for anyone; X waits too, and Bruno's workstation keeps what it shows of it.
  const theirCustomer = customer(t, 0);
  const brunosCustomer = customer(t, 1);
  const waitingCustomer = customer(t, 2);
  const brunosFirst = await customerWrites(t, brunosCustomer, `Buongiorno, vorrei un rimborso per lo ${BRUNOS_WORD}`);
  await send(bruno, { conversationId: brunosFirst.conversationId, kind: 'text', text: 'Ci penso io' });
  const brunosImage = await inboundImage(brunosCustomer, 'la ricevuta');
  const waitingFirst = await customerWrites(t, waitingCustomer, 'Is anyone there?');
  const elsewhereCustomer = customer(t, 3);
  const elsewhereFirst = await customerWrites(t, elsewhereCustomer, `Vorrei un preventivo per il ${ELSEWHERE_WORD}`, secondNumber);
  const first = await customerWrites(t, theirCustomer, `Hello, my code word is ${WORDS.beforeHandOver}`);
  const firstImage = await inboundImage(theirCustomer, WORDS.beforeCaption);
  await coreGotMessage(firstImage.messageId);
  await core.call('listMessages', { conversationId: first.conversationId });
  await core.call('getMedia', { mediaId: firstImage.mediaId });
  const before = {
    searchHits: (await core.call<{ hits: unknown[] }>('search', { query: WORDS.beforeHandOver })).hits.length,
    cachedMediaFiles: cachedMediaFiles(core.platform).length,
  };
  // On PostgreSQL the last events are numbered by the pass after their commit.
  await t.server.database.feedSequencer.stamp();
  const feedEnd = await db
    .selectFrom('events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirstOrThrow();
  const beforeHandOver = Number(feedEnd.seq ?? 0);
  const liveReady = await socket(bruno, beforeHandOver);

  // Anna takes X, live: Bruno is told it left him.
  const handedOverAt = { ipcEvents: ipcEvents.length, notifications: core.platform.desktop.notifications.length };
  const annasReply = await send(anna, { conversationId: first.conversationId, kind: 'text', text: `Ciao, ${WORDS.annasReply}` });
  await coreGot('X hidden on Bruno’s workstation', (payload) => payload.type === 'conversation_hidden' && payload.conversationId === first.conversationId);

  // X goes on while Bruno's workstation is offline: it can reach him only by replay.
  core.network.refuse(true);
  await core.untilConnection(false);
  const offline = await customerWrites(t, theirCustomer, `Ecco la parola: ${WORDS.whileOffline}`);
  const offlineImage = await inboundImage(theirCustomer, WORDS.offlineCaption);
  const upload = await desk.request('POST', `/v1/media?kind=image&filename=${ANNAS_FILE}`, { body: PNG, contentType: 'image/png', token: anna.token });
  if (upload.status !== 201) throw new Error(`Anna's upload: ${upload.status} ${upload.bytes.toString('utf8')}`);
  const annasFile = await send(anna, {
    conversationId: first.conversationId,
    kind: 'media',
    mediaId: (JSON.parse(upload.bytes.toString('utf8')) as { mediaId: number }).mediaId,
    caption: WORDS.annasCaption,
  });
  const annasWamid = await eventually(
    async () => {
      const rows = await db.selectFrom('messages').select(['wamid', 'status']).where('id', 'in', [annasReply.messageId, annasFile.messageId]).execute();
      return rows.every((row) => row.status === 'delivered') ? rows[0]?.wamid : undefined;
    },
    15_000,
    'Anna’s messages delivered',
  );
  if (annasWamid === null || annasWamid === undefined) throw new Error('Anna’s message has no wamid');
  const reaction = await t.customers.write(theirCustomer, { type: 'reaction', reaction: { message_id: annasWamid, emoji: '👍' } });
  if (!reaction.delivered) throw new Error('the reaction webhook was not accepted');
  const read = await desk.call('POST', `/v1/conversations/${first.conversationId}/read`, {}, anna.token);
  if (read.status !== 200) throw new Error(`Anna's read: ${read.status}`);

  // Back online: the replay, then X goes on live.
  core.network.refuse(false);
  await core.untilConnection(true);
  const caughtUp = await customerWrites(t, waitingCustomer, 'sentinella uno');
  await coreGotMessage(caughtUp.messageId);
  await customerWrites(t, theirCustomer, `Another one: ${WORDS.afterReconnect}`);
  const last = await customerWrites(t, waitingCustomer, 'sentinella due');
  await coreGotMessage(last.messageId);
  await liveReady.next((event) => event.type === 'message' && event.message.id === last.messageId, 10_000);

  const messageIds = (await db.selectFrom('messages').select('id').where('conversation_id', '=', first.conversationId).execute()).map((row) => row.id);
  const annasMedia = await db.selectFrom('messages').select('media_id').where('id', '=', annasFile.messageId).executeTakeFirstOrThrow();
  if (annasMedia.media_id === null) throw new Error('Anna’s message carries no file');
  const words = Object.values(WORDS);
  return {
    t,
    desk,
    anna,
    bruno,
    supervisor,
    admin,
    carla,
    viewers: [bruno, anna, supervisor, admin, carla],
    teamA,
    teamB,
    theirs: {
      place: { assignedAgentId: anna.agentId, teamId: teamA },
      id: first.conversationId,
      customer: theirCustomer,
      messageIds,
      media: [
        { ...firstImage, direction: 'inbound' },
        { ...offlineImage, direction: 'inbound' },
        { mediaId: annasMedia.media_id, messageId: annasFile.messageId, direction: 'outbound' },
      ],
      markers: [...words, ANNAS_FILE, theirCustomer.name, theirCustomer.waId, first.wamid, offline.wamid],
      terms: [...words, theirCustomer.waId, ...theirCustomer.name.toLowerCase().split(' ')],
      annasSend: annasReply.body,
    },
    brunos: {
      id: brunosFirst.conversationId,
      customer: brunosCustomer,
      messageId: brunosFirst.messageId,
      media: brunosImage,
      place: { assignedAgentId: bruno.agentId, teamId: teamA },
    },
    waiting: { id: waitingFirst.conversationId, customer: waitingCustomer, messageId: waitingFirst.messageId, place: { assignedAgentId: null, teamId: teamA } },
    elsewhere: {
      id: elsewhereFirst.conversationId,
      customer: elsewhereCustomer,
      messageId: elsewhereFirst.messageId,
      place: { assignedAgentId: null, teamId: teamB },
      markers: [ELSEWHERE_WORD, elsewhereCustomer.name, elsewhereFirst.wamid],
    },
    brunoLive: liveReady,
    beforeHandOver,
    workstation: { ...core, ipcEvents, before, handedOverAt },
    socket,
    close,
  };
}
