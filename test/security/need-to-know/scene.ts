/**
 * The need-to-know test's world, over a listening TLS server, with two teams: team A (the
 * default team, "General", which the first number sends to) and team B (Vendite, which the second
 * number sends to). Anna's conversation (X, team A), which began when its customer wrote again
 * after Anna resolved their earlier one (E), which Bruno (an agent of team A) saw while it waited
 * in team A's queue (reading E through it) and then lost to her, and which went on without him,
 * live, while his workstation was offline (so it reaches him only by replay) and live again;
 * Bruno's own conversation (U) and one still waiting in team A's queue (W), so every check has
 * something it must find; and one waiting in team B's queue (V), with a note, history entries,
 * presence and a job of its own, which nobody of team A may ever see. Viewers of every kind call
 * the client API: Anna and Bruno (agents of A), Sara (supervising A), Dario (an admin and nothing
 * else: no conversation at all), Carla (an agent of team B). Bruno also runs the real client core.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ConversationPlace, ConversationViewer } from '../../../common/api/conversation-access.js';
import type { Role, TeamScope } from '../../../common/api/session.js';
import type { ConversationPage, MessagePage } from '../../../common/api/inbox.js';
import type { IpcEventName, IpcEventPayload } from '../../../common/ipc/contract.js';
import type { SendRequestInput } from '../../../common/messages/send-request.js';
import { cacheDir } from '../../../main/cache/workstation-cache.js';
import type { SandboxBusiness, SandboxCustomer } from '../../../server/sandbox/webhook-builder.js';
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
  earlier: 'capodoglioantico',
  earlierCaption: 'scontrinopassato',
  earlierReply: 'faccendachiusa',
  beforeHandOver: 'zanzibarquokka',
  beforeCaption: 'scatolasegreta',
  annasReply: 'rispostariservata',
  whileOffline: 'ornitorinco',
  offlineCaption: 'fotografiasegreta',
  annasCaption: 'allegatoriservato',
  afterReconnect: 'pangolinvivace',
  noteWhileWaiting: 'notaquaglietta',
  annasNote: 'appuntoriservato',
  noteWhileOffline: 'promemoriasegreto',
  noteAfterReconnect: 'annotazionevivace',
} as const;
const ANNAS_FILE = 'ricevuta-riservata.png';
/** A word of Bruno's own conversation: no other word of the inbox starts as it does, so the search index keeps it whole. */
export const BRUNOS_WORD = 'xilofono';
/** Words only team B's conversation holds: its customer's message, and Carla's note in it. */
const ELSEWHERE_WORDS = { message: 'quadrifoglio', caption: 'mongolfiera', note: 'girasolenascosto' } as const;

export interface TheirConversation {
  readonly id: number;
  readonly customer: SandboxCustomer;
  /** Every message of it on the server, by id. */
  readonly messageIds: readonly number[];
  /** Every internal note of it on the server, by id. */
  readonly noteIds: readonly number[];
  /** Each file it carries and the message that carries it. */
  readonly media: ReadonlyArray<{ readonly mediaId: number; readonly messageId: number; readonly direction: 'inbound' | 'outbound' }>;
  /** Text only this conversation holds: none of it may reach Bruno in any form. */
  readonly markers: readonly string[];
  /** The same, as single lowercase words (what a search index stores). */
  readonly terms: readonly string[];
  /** One of Anna's sends as she made it (its idempotency key included). */
  readonly annasSend: SendRequestInput;
  /**
   * The customer's earlier conversation (E), Anna's, which she resolved before X began: the
   * customer's next message started X. Its words are among `markers` and `terms`, its file
   * among `media`; whoever may see X may read E (maySeeContactHistory), nobody else but those
   * who may see E on its own.
   */
  readonly earlier: { readonly id: number; readonly messageIds: readonly number[]; readonly mediaIds: readonly number[] };
}

export interface OtherConversation {
  readonly id: number;
  readonly customer: SandboxCustomer;
  readonly messageId: number;
  readonly place: ConversationPlace;
}

/** Team B's conversation (V): everything of it on the server, and the text only it holds. */
export interface ElsewhereConversation extends OtherConversation {
  readonly messageIds: readonly number[];
  readonly noteIds: readonly number[];
  readonly historyIds: readonly number[];
  readonly jobId: number;
  /** A customer's image in it, and the message that carries it. */
  readonly media: { readonly mediaId: number; readonly messageId: number };
  readonly markers: readonly string[];
  /** As single lowercase words (what a search index stores). */
  readonly terms: readonly string[];
}

export interface BrunosWorkstation extends CoreBehindProxy {
  /** Everything the core told the renderer, in order. */
  readonly ipcEvents: ReadonlyArray<{ readonly event: IpcEventName; readonly payload: unknown }>;
  /**
   * What the workstation held of X while Bruno could see it (the checks' controls), and what it
   * read of E through X then (the history exception at work): the earlier conversations listed,
   * E's messages, and the bytes of E's file.
   */
  readonly before: {
    readonly searchHits: number;
    readonly noteHits: number;
    readonly cachedMediaFiles: number;
    readonly earlierListed: readonly number[];
    readonly earlierMessages: readonly number[];
    readonly earlierFileBytes: number;
  };
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
  readonly brunos: OtherConversation & { readonly media: { readonly mediaId: number; readonly messageId: number }; readonly noteId: number };
  /** Unassigned, in team A's queue: team A's agents and supervisor see it. */
  readonly waiting: OtherConversation;
  /** Unassigned, in team B's queue: only Carla sees it; nothing of it may reach anyone of team A. */
  readonly elsewhere: ElsewhereConversation;
  /** Carla's live socket, open while she was in V: the control that V's presence was told. */
  readonly carlaLive: EventSocket;
  /** Bruno's event socket, open from just before the hand-over to the end. */
  readonly brunoLive: EventSocket;
  /** The supervisor's live socket, open while Anna typed in X and the supervisor viewed W. */
  readonly supervisorLive: EventSocket;
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
  // Routing gives nobody anything here (capacity 0): W, X and V wait in their queues, and a conversation becomes someone's by their reply.
  for (const [team, agent] of [
    [teamA, anna],
    [teamA, bruno],
    [teamB, carla],
  ] as const)
    await t.server.identity.teams.setCapacity(team, agent.agentId, 0, IT);
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
  const inboundImage = async (from: SandboxCustomer, caption: string, business?: SandboxBusiness) => {
    const graph = t.sandbox.graph.addMedia(PNG, 'image/png');
    const image = { id: graph.id, mime_type: 'image/png', sha256: graph.sha256Base64, caption };
    const written = await t.customers.write(from, { type: 'image', image }, business);
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
  const note = async (viewer: Viewer, conversationId: number, body: string) => {
    const added = await desk.call<{ note: { id: number } }>(
      'POST',
      `/v1/conversations/${conversationId}/notes`,
      { clientNoteId: crypto.randomUUID(), body },
      viewer.token,
    );
    if (added.status !== 201) throw new Error(`${viewer.name}'s note: ${added.status} ${JSON.stringify(added.body)}`);
    return added.body.note.id;
  };

  // U is Bruno's, W waits for anyone; X waits too, and Bruno's workstation keeps what it shows of it.
  const theirCustomer = customer(t, 0);
  const brunosCustomer = customer(t, 1);
  const waitingCustomer = customer(t, 2);
  const brunosFirst = await customerWrites(t, brunosCustomer, `Buongiorno, vorrei un rimborso per lo ${BRUNOS_WORD}`);
  await send(bruno, { conversationId: brunosFirst.conversationId, kind: 'text', text: 'Ci penso io' });
  const brunosImage = await inboundImage(brunosCustomer, 'la ricevuta');
  const waitingFirst = await customerWrites(t, waitingCustomer, 'Is anyone there?');
  // V, in team B's queue: Carla notes it (a mention of Bruno, who may not see it, refused) and marks it pending and open again.
  const elsewhereCustomer = customer(t, 3);
  const elsewhereFirst = await customerWrites(t, elsewhereCustomer, `Vorrei un preventivo per il ${ELSEWHERE_WORDS.message}`, secondNumber);
  const elsewhereImage = await inboundImage(elsewhereCustomer, `la foto del ${ELSEWHERE_WORDS.caption}`, secondNumber);
  const carlasNote = await note(carla, elsewhereFirst.conversationId, `Preventivo in arrivo: ${ELSEWHERE_WORDS.note}`);
  const namingBruno = await desk.call(
    'POST',
    `/v1/conversations/${elsewhereFirst.conversationId}/notes`,
    { clientNoteId: crypto.randomUUID(), body: `@bruno ${ELSEWHERE_WORDS.note}` },
    carla.token,
  );
  if (namingBruno.status !== 422) throw new Error(`a note of V naming Bruno was not refused: ${namingBruno.status} ${JSON.stringify(namingBruno.body)}`);
  for (const state of ['pending', 'open'] as const) {
    const changed = await desk.call('POST', `/v1/conversations/${elsewhereFirst.conversationId}/state`, { state }, carla.token);
    if (changed.status !== 200) throw new Error(`Carla marking V ${state}: ${changed.status} ${JSON.stringify(changed.body)}`);
  }
  // E: the customer wrote before, Anna answered and resolved it; the customer's next message begins X.
  const earlierFirst = await customerWrites(t, theirCustomer, `Tempo fa: ${WORDS.earlier}`);
  const earlierImage = await inboundImage(theirCustomer, WORDS.earlierCaption);
  await send(anna, { conversationId: earlierFirst.conversationId, kind: 'text', text: `Fatto, ${WORDS.earlierReply}` });
  const resolved = await desk.call('POST', `/v1/conversations/${earlierFirst.conversationId}/state`, { state: 'resolved' }, anna.token);
  if (resolved.status !== 200) throw new Error(`Anna's resolve: ${resolved.status} ${JSON.stringify(resolved.body)}`);
  await coreGot(
    'E hidden on Bruno’s workstation',
    (payload) => payload.type === 'conversation_hidden' && payload.conversationId === earlierFirst.conversationId,
  );
  const first = await customerWrites(t, theirCustomer, `Hello, my code word is ${WORDS.beforeHandOver}`);
  if (first.conversationId === earlierFirst.conversationId) throw new Error('the customer’s message after the resolution did not begin a new conversation');
  const firstImage = await inboundImage(theirCustomer, WORDS.beforeCaption);
  await coreGotMessage(firstImage.messageId);
  await core.call('listMessages', { conversationId: first.conversationId });
  await core.call('getMedia', { mediaId: firstImage.mediaId });
  // Bruno's own note in U, through his workstation; a note in X while it waits, mentioning him: he is told, and his cache keeps it.
  const brunosNote = await core.call<{ id: number }>('addNote', {
    conversationId: brunosFirst.conversationId,
    clientNoteId: crypto.randomUUID(),
    body: `Promemoria: lo ${BRUNOS_WORD} arriva lunedì`,
  });
  const waitingNote = await note(supervisor, first.conversationId, `@bruno guarda tu: ${WORDS.noteWhileWaiting}`);
  await coreGot('the mention on Bruno’s workstation', (payload) => payload.type === 'mention' && payload.note.id === waitingNote);
  await core.call('listNotes', { conversationId: first.conversationId });
  // A scheduled message in U and in X through his workstation (the feed's rows in his cache), his reminder of X listed
  // (the list's row) and his reminder of U come due (the feed's row, and a notification): X's go with X.
  const schedule = (conversationId: number, at: number) =>
    core.call<{ scheduled: { id: number } }>('scheduleMessage', {
      conversationId,
      idempotencyKey: crypto.randomUUID(),
      content: { kind: 'text', text: 'Vi richiamo lunedì' },
      sendAt: new Date(at).toISOString(),
      timeZone: 'Europe/Rome',
    });
  for (const conversationId of [brunosFirst.conversationId, first.conversationId]) {
    const { scheduled } = await schedule(conversationId, Date.now() + 7 * 24 * 60 * 60 * 1000);
    await coreGot(
      `scheduled message ${scheduled.id} on Bruno’s workstation`,
      (payload) => payload.type === 'scheduled_message' && payload.scheduled.id === scheduled.id,
    );
  }
  await core.call('setReminder', {
    conversationId: first.conversationId,
    remindAt: new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString(),
    timeZone: 'Europe/Rome',
  });
  await core.call('listReminders', { conversationId: first.conversationId });
  await core.call('setReminder', { conversationId: brunosFirst.conversationId, remindAt: new Date(Date.now() + 1000).toISOString(), timeZone: 'Europe/Rome' });
  await coreGot(
    'his reminder of U come due on Bruno’s workstation',
    (payload) => payload.type === 'reminder' && payload.conversation.id === brunosFirst.conversationId,
  );
  // While X waits in his view, Bruno may read E through it.
  const earlierListed = await core.call<ConversationPage>('listEarlierConversations', { conversationId: first.conversationId });
  const earlierMessages = await core.call<MessagePage>('listMessages', { conversationId: earlierFirst.conversationId });
  const earlierFile = await core.call<{ bytes: Uint8Array }>('getMedia', { mediaId: earlierImage.mediaId });
  const before = {
    searchHits: (await core.call<{ hits: unknown[] }>('search', { query: WORDS.beforeHandOver })).hits.length,
    noteHits: (await core.call<{ hits: Array<{ kind: string }> }>('search', { query: WORDS.noteWhileWaiting })).hits.filter((hit) => hit.kind === 'note')
      .length,
    cachedMediaFiles: cachedMediaFiles(core.platform).length,
    earlierListed: earlierListed.items.map((item) => item.id),
    earlierMessages: earlierMessages.items.map((message) => message.id),
    earlierFileBytes: earlierFile.bytes.length,
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
  await note(anna, first.conversationId, `Per @sara: ${WORDS.annasNote}`);
  // Now that it is hers, a note of it cannot name Bruno: refused, nothing stored, nobody told.
  const naming = await desk.call(
    'POST',
    `/v1/conversations/${first.conversationId}/notes`,
    { clientNoteId: crypto.randomUUID(), body: `@bruno ${WORDS.annasNote}` },
    anna.token,
  );
  if (naming.status !== 422) throw new Error(`a note naming Bruno was not refused: ${naming.status} ${JSON.stringify(naming.body)}`);

  // Presence: Anna types in X, the supervisor views W. Bruno hears of W, never of X; the supervisor hears of X.
  const supervisorLive = await socket(supervisor, beforeHandOver);
  const present = (viewer: Viewer, conversationId: number, typing: boolean) =>
    desk.call('POST', '/v1/presence', { conversationId, typing }, viewer.token).then((answer) => {
      if (answer.status !== 204) throw new Error(`${viewer.name}'s presence: ${answer.status} ${JSON.stringify(answer.body)}`);
    });
  await present(anna, first.conversationId, true);
  await supervisorLive.next(
    (event) => event.type === 'presence' && event.conversationId === first.conversationId && event.others.some((other) => other.agentId === anna.agentId),
    10_000,
  );
  await present(supervisor, waitingFirst.conversationId, false);
  await liveReady.next((event) => event.type === 'presence' && event.conversationId === waitingFirst.conversationId && event.others.length > 0, 10_000);
  // Carla types in V: her own socket is told (nobody else there), nobody of team A is.
  const carlaLive = await socket(carla, beforeHandOver);
  await present(carla, elsewhereFirst.conversationId, true);
  await carlaLive.next((event) => event.type === 'presence' && event.conversationId === elsewhereFirst.conversationId, 10_000);
  await eventually(
    () =>
      Promise.resolve(
        ipcEvents.some(
          ({ event, payload }) => event === 'presence' && (payload as { conversationId: number }).conversationId === waitingFirst.conversationId,
        ) || undefined,
      ),
    10_000,
    'the supervisor’s presence in W on Bruno’s workstation',
  );

  // Timed jobs: one of X, one of W, one of V, one of no conversation (due far ahead: they only wait, in view).
  t.server.jobs.register({ kind: 'test.need_to_know', payload: z.object({ note: z.string() }), run: () => Promise.resolve() });
  await t.server.committer.submit(async (trx) => {
    const later = Date.now() + 24 * 60 * 60 * 1000;
    for (const conversationId of [first.conversationId, waitingFirst.conversationId, elsewhereFirst.conversationId, undefined]) {
      await t.server.jobs.schedule(trx, { kind: 'test.need_to_know', dueAt: later, payload: { note: WORDS.beforeHandOver }, conversationId });
    }
  });

  // X goes on while Bruno's workstation is offline: it can reach him only by replay.
  core.network.refuse(true);
  await core.untilConnection(false);
  const offline = await customerWrites(t, theirCustomer, `Ecco la parola: ${WORDS.whileOffline}`);
  const offlineImage = await inboundImage(theirCustomer, WORDS.offlineCaption);
  await note(anna, first.conversationId, `Mentre era via: ${WORDS.noteWhileOffline}`);
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
  // A rescan finds X's first file infected (issue 13): its `message` event is X's, and goes only where X goes.
  // (Then clean again, so the routes' probes download it as any other file of X.)
  const scanned = (state: 'infected' | 'clean') =>
    t.server.committer.submit((trx) => trx.updateTable('media').set({ scan_state: state }).where('id', '=', firstImage.mediaId).execute());
  for (const state of ['infected', 'clean'] as const) {
    await scanned(state);
    await supervisorLive.next(
      (event) => event.type === 'message' && event.message.media?.id === firstImage.mediaId && event.message.media.scan === state,
      10_000,
    );
  }
  await note(anna, first.conversationId, `Dopo: ${WORDS.noteAfterReconnect} @sara`);
  const last = await customerWrites(t, waitingCustomer, 'sentinella due');
  await coreGotMessage(last.messageId);
  await liveReady.next((event) => event.type === 'message' && event.message.id === last.messageId, 10_000);

  const messageIds = (await db.selectFrom('messages').select('id').where('conversation_id', '=', first.conversationId).execute()).map((row) => row.id);
  const noteIds = (await db.selectFrom('notes').select('id').where('conversation_id', '=', first.conversationId).execute()).map((row) => row.id);
  const earlierIds = (await db.selectFrom('messages').select('id').where('conversation_id', '=', earlierFirst.conversationId).execute()).map((row) => row.id);
  const annasMedia = await db.selectFrom('messages').select('media_id').where('id', '=', annasFile.messageId).executeTakeFirstOrThrow();
  const idsOf = async (table: 'messages' | 'notes' | 'conversation_history' | 'jobs', conversationId: number) =>
    (await db.selectFrom(table).select('id').where('conversation_id', '=', conversationId).execute()).map((row) => row.id);
  const [elsewhereJob] = await idsOf('jobs', elsewhereFirst.conversationId);
  if (elsewhereJob === undefined) throw new Error('V has no job');
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
      id: first.conversationId,
      place: { assignedAgentId: anna.agentId, teamId: teamA },
      customer: theirCustomer,
      messageIds,
      noteIds,
      media: [
        { ...earlierImage, direction: 'inbound' },
        { ...firstImage, direction: 'inbound' },
        { ...offlineImage, direction: 'inbound' },
        { mediaId: annasMedia.media_id, messageId: annasFile.messageId, direction: 'outbound' },
      ],
      markers: [...words, ANNAS_FILE, theirCustomer.name, theirCustomer.waId, earlierFirst.wamid, first.wamid, offline.wamid],
      terms: [...words, theirCustomer.waId, ...theirCustomer.name.toLowerCase().split(' ')],
      annasSend: annasReply.body,
      earlier: { id: earlierFirst.conversationId, messageIds: earlierIds, mediaIds: [earlierImage.mediaId] },
    },
    brunos: {
      id: brunosFirst.conversationId,
      customer: brunosCustomer,
      messageId: brunosFirst.messageId,
      media: brunosImage,
      noteId: brunosNote.id,
      place: { assignedAgentId: bruno.agentId, teamId: teamA },
    },
    waiting: { id: waitingFirst.conversationId, customer: waitingCustomer, messageId: waitingFirst.messageId, place: { assignedAgentId: null, teamId: teamA } },
    elsewhere: {
      id: elsewhereFirst.conversationId,
      customer: elsewhereCustomer,
      messageId: elsewhereFirst.messageId,
      place: { assignedAgentId: null, teamId: teamB },
      messageIds: await idsOf('messages', elsewhereFirst.conversationId),
      noteIds: [carlasNote],
      historyIds: await idsOf('conversation_history', elsewhereFirst.conversationId),
      jobId: elsewhereJob,
      media: elsewhereImage,
      markers: [...Object.values(ELSEWHERE_WORDS), elsewhereCustomer.name, elsewhereCustomer.waId, elsewhereFirst.wamid],
      terms: [...Object.values(ELSEWHERE_WORDS), elsewhereCustomer.waId, ...elsewhereCustomer.name.toLowerCase().split(' ')],
    },
    carlaLive,
    brunoLive: liveReady,
    supervisorLive,
    beforeHandOver,
    workstation: { ...core, ipcEvents, before, handedOverAt },
    socket,
    close,
  };
}
