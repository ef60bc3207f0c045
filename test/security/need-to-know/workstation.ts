/**
 * The workstation's paths, classified like the server's: every IPC call and event of the
 * contract (common/ipc/contract.ts), and every table of an opened cache (sqlite_master, so a
 * table added by a cache migration without a line here fails the test, named). For the tables,
 * `find` says what of a conversation the table holds; on Bruno's cache it must find nothing of
 * Anna's conversation, and, where `controlled`, something of his own (so the check can find).
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { expect } from 'vitest';
import { CONVERSATION_STATES } from '../../../common/api/conversation-lifecycle.js';
import { CONVERSATION_FILTERS } from '../../../common/api/inbox.js';
import type { ConversationPage } from '../../../common/api/inbox.js';
import type { IpcCallName, IpcEventName, OutboxEntry, SearchHit } from '../../../common/ipc/contract.js';
import type { IpcResult } from '../../../common/ipc/ipc-result.js';
import { openCacheDatabase } from '../../../main/cache/cache-database.js';
import { CacheSecrets } from '../../../main/cache/cache-secrets.js';
import { cacheDir } from '../../../main/cache/workstation-cache.js';
import { dispatchIpc } from '../../../main/ipc/ipc-dispatch.js';
import { SealedFiles } from '../../../main/secrets/sealed-files.js';
import type { TestPlatform } from '../../helpers/node-platform.js';
import { listPaymentRequestsIpc, requestPaymentIpc } from './payment-ipc-probes.js';
import { listConversationTemplatesIpc } from './template-ipc-probes.js';
import {
  cancelReminderIpc,
  cancelScheduledMessageIpc,
  editScheduledMessageIpc,
  listRemindersIpc,
  listScheduledMessagesIpc,
  listTeamScheduledMessagesIpc,
  scheduleMessageIpc,
  setReminderIpc,
} from './schedule-ipc-probes.js';
import { blockCustomerIpc, revealCustomerNumberIpc, unblockCustomerIpc } from './block-ipc-probes.js';
import { setConversationLabelIpc } from './labels.js';
import { markersIn, theirIds } from './routes.js';
import { memberConversationsIpc } from './supervision-probes.js';
import type { NeedToKnowScene } from './scene.js';

/** Whether Bruno's workstation handed him Anna's conversation through the call; refusals are checked. */
export type IpcProbe = (scene: NeedToKnowScene) => Promise<boolean>;
export type IpcCallClass = { readonly carries: 'conversation'; readonly probe: IpcProbe } | { readonly carries: 'nothing'; readonly reason: string };

/** One IPC call on Bruno's workstation, as the renderer makes it. */
export const ipcCall = (workstation: NeedToKnowScene['workstation'], name: IpcCallName, request: unknown): Promise<IpcResult<unknown>> =>
  dispatchIpc(workstation.core, name, request);
const ipc = (scene: NeedToKnowScene, name: IpcCallName, request: unknown): Promise<IpcResult<unknown>> => ipcCall(scene.workstation, name, request);

/** A refused call, with the code the server (or the cache) gives, and nothing of hers in the message. */
function expectRefused(scene: NeedToKnowScene, result: IpcResult<unknown>, code: string, what: string): void {
  expect(result, what).toMatchObject({ ok: false, code });
  expect(markersIn(scene, JSON.stringify(result)), what).toEqual([]);
}

const reachedIn = (scene: NeedToKnowScene, value: unknown): boolean => markersIn(scene, JSON.stringify(value)).length > 0;

/** Each list, in each state, whole and of the business number her conversation is on. */
const listConversations: IpcProbe = async (scene) => {
  let reached = false;
  for (const number of [undefined, scene.t.sandbox.business.phoneNumberId]) {
    for (const [filter, state] of CONVERSATION_FILTERS.flatMap((filter) => CONVERSATION_STATES.map((state) => [filter, state] as const))) {
      const ids: number[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 20; page += 1) {
        const result = await ipc(scene, 'listConversations', {
          filter,
          state,
          limit: 2,
          ...(number === undefined ? {} : { number }),
          ...(cursor === undefined ? {} : { cursor }),
        });
        if (!result.ok) {
          expectRefused(scene, result, 'forbidden_role', `listConversations ${filter}`);
          break;
        }
        const value = result.value as ConversationPage;
        ids.push(...value.items.map((item) => item.id));
        reached ||= reachedIn(scene, value);
        if (value.nextCursor === null) break;
        cursor = value.nextCursor;
      }
      reached ||= ids.some((id) => theirIds(scene).includes(id));
      if (filter === 'mine' && state === 'open') expect(ids).toContain(scene.brunos.id);
      if (filter === 'unassigned' && state === 'open') expect(ids).toContain(scene.waiting.id);
    }
  }
  return reached;
};

/** Asked of X and of E (the customer's earlier conversation); his own conversation answers, so the refusals were about hers. */
const byConversation =
  (name: 'getConversation' | 'listMessages' | 'markRead' | 'listConversationHistory' | 'listEarlierConversations'): IpcProbe =>
  async (scene) => {
    let reached = false;
    for (const conversationId of theirIds(scene)) {
      const result = await ipc(scene, name, { conversationId });
      if (result.ok) reached = true;
      else expectRefused(scene, result, 'conversation_not_found', `${name} of ${conversationId}`);
    }
    expect((await ipc(scene, name, { conversationId: scene.brunos.id })).ok, `${name} of his own`).toBe(true);
    return reached;
  };

const changeConversationState: IpcProbe = async (scene) => {
  let reached = false;
  for (const [conversationId, change] of [
    [scene.theirs.id, { state: 'pending' }],
    [scene.theirs.id, { state: 'resolved' }],
    [scene.theirs.earlier.id, { state: 'open' }],
  ] as const) {
    const result = await ipc(scene, 'changeConversationState', { conversationId, change });
    if (result.ok) reached = true;
    else expectRefused(scene, result, 'conversation_not_found', `changeConversationState of ${conversationId} to ${change.state}`);
  }
  // His own conversation changes (and goes back as it was).
  expect((await ipc(scene, 'changeConversationState', { conversationId: scene.brunos.id, change: { state: 'pending' } })).ok).toBe(true);
  expect((await ipc(scene, 'changeConversationState', { conversationId: scene.brunos.id, change: { state: 'open' } })).ok).toBe(true);
  return reached;
};

let refusedEntry: string | undefined;

const sendMessage: IpcProbe = async (scene) => {
  const clientMessageId = crypto.randomUUID();
  const result = await ipc(scene, 'sendMessage', { conversationId: scene.theirs.id, clientMessageId, kind: 'text', text: 'Posso aiutare io?' });
  expect(result.ok).toBe(true);
  const entry = (result as { value: OutboxEntry }).value;
  if (entry.state === 'sent') return true;
  expect(entry).toMatchObject({ state: 'failed', error: { code: 'conversation_not_found' }, message: null });
  refusedEntry = clientMessageId;
  return false;
};

const retryOutbox: IpcProbe = async (scene) => {
  if (refusedEntry === undefined) throw new Error('the sendMessage probe runs first');
  const result = await ipc(scene, 'retryOutbox', { clientMessageId: refusedEntry });
  const entry = (result as { value?: OutboxEntry }).value;
  if (entry?.state === 'sent') return true;
  expect(entry).toMatchObject({ state: 'failed', error: { code: 'conversation_not_found' }, message: null });
  return false;
};

const listOutbox: IpcProbe = async (scene) => {
  const result = await ipc(scene, 'listOutbox', { conversationId: scene.theirs.id });
  expect(result.ok).toBe(true);
  // Only what Bruno wrote himself (refused): never a message of hers.
  const { entries } = (result as { value: { entries: OutboxEntry[] } }).value;
  expect(entries.every((entry) => entry.state === 'failed' && entry.message === null)).toBe(true);
  return reachedIn(scene, entries);
};

const search: IpcProbe = async (scene) => {
  let reached = false;
  for (const term of scene.theirs.terms) {
    // Whole, and in the business number her conversation is on.
    for (const number of [undefined, scene.t.sandbox.business.phoneNumberId]) {
      const result = await ipc(scene, 'search', { query: term, ...(number === undefined ? {} : { number }) });
      expect(result.ok).toBe(true);
      const { hits } = (result as { value: { hits: SearchHit[] } }).value;
      reached ||= hits.some((hit) => hit.conversationId === scene.theirs.id) || reachedIn(scene, hits);
    }
  }
  const own = (await ipc(scene, 'search', { query: 'sentinella' })) as { value: { hits: SearchHit[] } };
  expect(own.value.hits.map((hit) => hit.conversationId)).toContain(scene.waiting.id);
  return reached;
};

const getMedia: IpcProbe = async (scene) => {
  let reached = false;
  for (const file of scene.theirs.media) {
    const result = await ipc(scene, 'getMedia', { mediaId: file.mediaId });
    if (result.ok) reached = true;
    else expectRefused(scene, result, 'media_not_found', `getMedia of her ${file.direction} file`);
  }
  expect((await ipc(scene, 'getMedia', { mediaId: scene.brunos.media.mediaId })).ok).toBe(true);
  return reached;
};

const listNotes: IpcProbe = async (scene) => {
  const result = await ipc(scene, 'listNotes', { conversationId: scene.theirs.id });
  if (result.ok) return reachedIn(scene, result.value) || (result.value as { items: unknown[] }).items.length > 0;
  expectRefused(scene, result, 'conversation_not_found', 'listNotes');
  const own = await ipc(scene, 'listNotes', { conversationId: scene.brunos.id });
  expect((own as { value?: { items: Array<{ id: number }> } }).value?.items.map((item) => item.id)).toContain(scene.brunos.noteId);
  return false;
};

const addNote: IpcProbe = async (scene) => {
  const result = await ipc(scene, 'addNote', { conversationId: scene.theirs.id, clientNoteId: crypto.randomUUID(), body: 'Posso aiutare io?' });
  if (result.ok) return true;
  expectRefused(scene, result, 'conversation_not_found', 'addNote');
  return false;
};

const listMentionable: IpcProbe = async (scene) => {
  const result = await ipc(scene, 'listMentionable', { conversationId: scene.theirs.id });
  if (result.ok) return true;
  expectRefused(scene, result, 'conversation_not_found', 'listMentionable');
  expect((await ipc(scene, 'listMentionable', { conversationId: scene.brunos.id })).ok).toBe(true);
  return false;
};

/** What was asked of X's customer, and recording their consent: refused as not found; asked of his own, it gets past the rule. */
const conversationPersonalData: IpcProbe = async (scene) => {
  const result = await ipc(scene, 'conversationPersonalData', { conversationId: scene.theirs.id });
  if (result.ok) return true;
  expectRefused(scene, result, 'conversation_not_found', 'conversationPersonalData');
  expect((await ipc(scene, 'conversationPersonalData', { conversationId: scene.brunos.id })).ok).toBe(true);
  return false;
};

const recordConsent: IpcProbe = async (scene) => {
  const consent = { consent: 'yes', wording: 'Offerte via WhatsApp?' };
  const result = await ipc(scene, 'recordConsent', { conversationId: scene.theirs.id, ...consent });
  if (result.ok) return true;
  expectRefused(scene, result, 'conversation_not_found', 'recordConsent');
  // His own customer was never asked about promotions: refused for that, past the rule.
  expect(await ipc(scene, 'recordConsent', { conversationId: scene.brunos.id, ...consent })).toMatchObject({
    ok: false,
    code: 'consent_needs_promotions_request',
  });
  return false;
};

/**
 * A hand-over call asked of X and of E: refused as not found; asked of his own conversation, it
 * gets past the rule (here refused for what it would change: nothing moves), so the refusals were about hers.
 */
const handover =
  (name: IpcCallName, request: (conversationId: number, scene: NeedToKnowScene) => unknown, ownCode: string | null): IpcProbe =>
  async (scene) => {
    let reached = false;
    for (const conversationId of theirIds(scene)) {
      const result = await ipc(scene, name, request(conversationId, scene));
      if (result.ok) reached = true;
      else expectRefused(scene, result, 'conversation_not_found', `${name} of ${conversationId}`);
    }
    const own = await ipc(scene, name, request(scene.brunos.id, scene));
    if (ownCode === null) expect(own.ok, `${name} of his own`).toBe(true);
    else expect(own, `${name} of his own`).toMatchObject({ ok: false, code: ownCode });
    return reached;
  };

/** The supervisors' bulk reassignment: Bruno is no supervisor, refused whatever he names. */
const bulkReassign: IpcProbe = async (scene) => {
  for (const conversationIds of [[scene.theirs.id], [scene.brunos.id]]) {
    expectRefused(
      scene,
      await ipc(scene, 'bulkReassign', { conversationIds, teamId: scene.teamA }),
      'forbidden_role',
      `bulkReassign of ${conversationIds.join()}`,
    );
  }
  return false;
};

const identity = 'the app’s screens, pairing, enrollment and sign-in: no inbox';
const admin = 'administration of workstations and accounts (refused to an agent); no inbox';
const routingAnswer = `${admin}: routing rules (conditions an admin wrote and the team each sends to), never a conversation or a message`;
const teamsAnswer = `${admin}: teams, their members with capacities, supervisors, numbers, and how many conversations (never which)`;

/** Every IPC call; sendMessage's probe leaves the refused entry retryOutbox's probe needs. */
export const IPC_CALLS_CLASSIFIED: Readonly<Record<IpcCallName, IpcCallClass>> = {
  getState: { carries: 'nothing', reason: identity },
  getInfo: { carries: 'nothing', reason: 'the OS locale and the app version' },
  getConnection: { carries: 'nothing', reason: 'whether the server can be reached' },
  startPairing: { carries: 'nothing', reason: identity },
  retry: { carries: 'nothing', reason: identity },
  startEnrollment: { carries: 'nothing', reason: identity },
  confirmEnrollment: { carries: 'nothing', reason: identity },
  finishEnrollment: { carries: 'nothing', reason: identity },
  login: { carries: 'nothing', reason: identity },
  unlock: { carries: 'nothing', reason: identity },
  lock: { carries: 'nothing', reason: identity },
  logout: { carries: 'nothing', reason: identity },
  listConversations: { carries: 'conversation', probe: listConversations },
  listBusinessNumbers: {
    carries: 'nothing',
    reason: 'the business numbers by name (offline: those of the conversations the agent may see here); no conversation',
  },
  getConversation: { carries: 'conversation', probe: byConversation('getConversation') },
  listMessages: { carries: 'conversation', probe: byConversation('listMessages') },
  changeConversationState: { carries: 'conversation', probe: changeConversationState },
  listConversationHistory: { carries: 'conversation', probe: byConversation('listConversationHistory') },
  listEarlierConversations: { carries: 'conversation', probe: byConversation('listEarlierConversations') },
  sendMessage: { carries: 'conversation', probe: sendMessage },
  listOutbox: { carries: 'conversation', probe: listOutbox },
  retryOutbox: { carries: 'conversation', probe: retryOutbox },
  discardOutbox: { carries: 'nothing', reason: 'removes one of the agent’s own outbox entries by its client id' },
  markRead: { carries: 'conversation', probe: byConversation('markRead') },
  search: { carries: 'conversation', probe: search },
  listNotes: { carries: 'conversation', probe: listNotes },
  addNote: { carries: 'conversation', probe: addNote },
  listMentionable: { carries: 'conversation', probe: listMentionable },
  transferConversation: {
    carries: 'conversation',
    probe: handover('transferConversation', (conversationId, scene) => ({ conversationId, transfer: { agentId: scene.bruno.agentId } }), 'handover_unchanged'),
  },
  blockCustomer: { carries: 'conversation', probe: blockCustomerIpc },
  unblockCustomer: { carries: 'conversation', probe: unblockCustomerIpc },
  revealCustomerNumber: { carries: 'conversation', probe: revealCustomerNumberIpc },
  conversationPersonalData: { carries: 'conversation', probe: conversationPersonalData },
  recordConsent: { carries: 'conversation', probe: recordConsent },
  claimConversation: { carries: 'conversation', probe: handover('claimConversation', (conversationId) => ({ conversationId }), 'handover_unchanged') },
  unassignConversation: {
    carries: 'conversation',
    probe: handover('unassignConversation', (conversationId, scene) => ({ conversationId, fromAgentId: scene.anna.agentId }), 'conversation_assignee_changed'),
  },
  bulkReassign: { carries: 'conversation', probe: bulkReassign },
  listTransferTargets: { carries: 'conversation', probe: handover('listTransferTargets', (conversationId) => ({ conversationId }), null) },
  getMedia: { carries: 'conversation', probe: getMedia },
  pickAttachment: { carries: 'nothing', reason: 'uploads the file the agent picks, as their own; the conversation id is not read' },
  openLink: { carries: 'nothing', reason: 'opens a link after a native confirmation' },
  getMyStatus: { carries: 'nothing', reason: 'the agent’s own availability and time zone' },
  getSupervisorOverview: {
    carries: 'nothing',
    reason: 'the server’s supervisor view (GET /v1/supervision/teams): counts and names of the supervised teams, never a conversation',
  },
  listMemberConversations: { carries: 'conversation', probe: memberConversationsIpc },
  setAvailability: { carries: 'nothing', reason: 'the agent’s own availability' },
  setTimeZone: { carries: 'nothing', reason: 'the agent’s own time zone' },
  viewConversation: {
    carries: 'nothing',
    reason: 'reports the conversation shown (the server refuses one the agent may not see, and tells nobody); answers only that it was taken',
  },
  typingIn: { carries: 'nothing', reason: 'reports keystrokes in the conversation shown, as viewConversation; answers only that it was taken' },
  adminListDevices: { carries: 'nothing', reason: admin },
  adminLookupPairing: { carries: 'nothing', reason: admin },
  adminApprovePairing: { carries: 'nothing', reason: admin },
  adminRejectPairing: { carries: 'nothing', reason: admin },
  adminRevokeDevice: { carries: 'nothing', reason: admin },
  adminListAgents: { carries: 'nothing', reason: admin },
  adminListNumbers: { carries: 'nothing', reason: `${admin}: business numbers, their health and conversation counts, never a token` },
  adminAddNumber: { carries: 'nothing', reason: `${admin}: answers with the number's public record; the token goes to the server and is not answered` },
  adminRotateNumberToken: { carries: 'nothing', reason: `${admin}: answers with the number's public record, never the token` },
  adminRemoveNumber: { carries: 'nothing', reason: `${admin}: answers with how many conversations moved, not which` },
  adminCreateAgent: { carries: 'nothing', reason: admin },
  adminDisableAgent: { carries: 'nothing', reason: admin },
  adminUnlockAgent: { carries: 'nothing', reason: admin },
  adminSetAgentRoles: { carries: 'nothing', reason: `${admin}: answers with the account` },
  adminListTeams: { carries: 'nothing', reason: teamsAnswer },
  adminCreateTeam: { carries: 'nothing', reason: teamsAnswer },
  adminUpdateTeam: { carries: 'nothing', reason: teamsAnswer },
  adminRemoveTeam: { carries: 'nothing', reason: `${admin}: answers with how many conversations moved and where, not which` },
  adminAddTeamMember: { carries: 'nothing', reason: teamsAnswer },
  adminSetTeamCapacity: { carries: 'nothing', reason: teamsAnswer },
  adminRemoveTeamMember: { carries: 'nothing', reason: teamsAnswer },
  adminAddTeamSupervisor: { carries: 'nothing', reason: teamsAnswer },
  adminRemoveTeamSupervisor: { carries: 'nothing', reason: teamsAnswer },
  adminSetNumberTeam: { carries: 'nothing', reason: `${admin}: answers with the number’s public record` },
  adminListRoutingRules: { carries: 'nothing', reason: routingAnswer },
  adminCreateRoutingRule: { carries: 'nothing', reason: routingAnswer },
  adminUpdateRoutingRule: { carries: 'nothing', reason: routingAnswer },
  adminMoveRoutingRule: { carries: 'nothing', reason: routingAnswer },
  adminRemoveRoutingRule: { carries: 'nothing', reason: `${admin}: answers with the removed rule’s id` },
  adminListSessions: { carries: 'nothing', reason: `${admin}: who is signed in where` },
  adminEndSession: { carries: 'nothing', reason: `${admin}: answers with the ended session` },
  adminListAudit: { carries: 'nothing', reason: `${admin}: security events, never a message or a customer` },
  adminVerifyAudit: { carries: 'nothing', reason: `${admin}: whether the audit chain holds` },
  listQuickReplies: { carries: 'nothing', reason: 'the global quick replies and those of the agent’s teams, from the server; no conversation' },
  listLabels: { carries: 'nothing', reason: 'the global labels and those of the agent’s teams; no conversation' },
  setConversationLabel: { carries: 'conversation', probe: setConversationLabelIpc((scene) => scene.theirs.id, markersIn) },
  manageListQuickReplies: { carries: 'nothing', reason: 'the quick replies of the scopes the agent manages; no conversation' },
  manageSaveQuickReply: { carries: 'nothing', reason: 'answers with the quick reply saved' },
  manageRemoveQuickReply: { carries: 'nothing', reason: 'answers only that it was done' },
  manageListLabels: { carries: 'nothing', reason: 'the labels of the scopes the agent manages; no conversation' },
  manageSaveLabel: { carries: 'nothing', reason: 'answers with the label saved' },
  manageRemoveLabel: { carries: 'nothing', reason: 'answers only that it was done' },
  getTeamHours: { carries: 'nothing', reason: 'a team’s weekly hours, zone, holidays and away message (admins and its supervisors); never a conversation' },
  setTeamHours: { carries: 'nothing', reason: 'answers with the team’s hours and away message; never a conversation' },
  getSafetyPolicy: { carries: 'nothing', reason: 'the safety policy the workstation holds: settings and host lists, no customer data' },
  adminGetSafetyPolicy: { carries: 'nothing', reason: `${admin}: the safety policy and who changed it last; no customer data` },
  adminSetSafetyPolicy: { carries: 'nothing', reason: `${admin}: answers with the safety policy as stored; no customer data` },
  getBriefing: { carries: 'nothing', reason: 'the security briefing’s rules and the agent’s own acknowledgement of it; no customer data' },
  acknowledgeBriefing: { carries: 'nothing', reason: 'the agent acknowledges the briefing’s rules; answers with their own standing, no customer data' },
  adminGetBriefing: { carries: 'nothing', reason: `${admin}: the briefing in force and who published it; no customer data` },
  adminPublishBriefing: { carries: 'nothing', reason: `${admin}: answers with the briefing as published; no customer data` },
  adminListBriefingAcknowledgements: { carries: 'nothing', reason: `${admin}: which agent acknowledged which version of the briefing, when; no customer data` },
  getPaymentProvider: { carries: 'nothing', reason: 'which payment provider is set and whether it is available; no secret, no customer data' },
  requestPayment: { carries: 'conversation', probe: requestPaymentIpc },
  listPaymentRequests: { carries: 'conversation', probe: listPaymentRequestsIpc },
  adminGetPaymentProvider: { carries: 'nothing', reason: `${admin}: the payment provider and who changed it last, never the Stripe key; no customer data` },
  adminSetPaymentProvider: { carries: 'nothing', reason: `${admin}: answers with the payment provider as stored, never the Stripe key; no customer data` },
  listConversationTemplates: { carries: 'conversation', probe: listConversationTemplatesIpc },
  listManagedTemplates: {
    carries: 'nothing',
    reason: 'admins and supervisors (the server judges): the templates Meta holds, their status, category and quality; no customer data',
  },
  syncTemplates: {
    carries: 'nothing',
    reason: 'admins and supervisors (the server judges): each account’s sync from Meta, counts and errors; no customer data',
  },
  scheduleMessage: { carries: 'conversation', probe: scheduleMessageIpc },
  listScheduledMessages: { carries: 'conversation', probe: listScheduledMessagesIpc },
  editScheduledMessage: { carries: 'conversation', probe: editScheduledMessageIpc },
  cancelScheduledMessage: { carries: 'conversation', probe: cancelScheduledMessageIpc },
  listTeamScheduledMessages: { carries: 'conversation', probe: listTeamScheduledMessagesIpc },
  setReminder: { carries: 'conversation', probe: setReminderIpc },
  listReminders: { carries: 'conversation', probe: listRemindersIpc },
  cancelReminder: { carries: 'conversation', probe: cancelReminderIpc },
  getAnalytics: {
    carries: 'nothing',
    reason:
      'the server’s analytics (GET /v1/analytics, supervisors and admins): counts, times and names of teams and agents, never a conversation or a customer',
  },
  exportAnalyticsCsv: { carries: 'nothing', reason: 'the same figures as CSV, written to the file the user chose; answers only its name' },
};

/** What the core pushes to the renderer. */
export const IPC_EVENTS_CLASSIFIED: Readonly<Record<IpcEventName, { readonly carries: 'feed' | 'own' | 'nothing'; readonly reason: string }>> = {
  state: { carries: 'nothing', reason: 'the screen; the inbox screen names only the signed-in agent' },
  inbox: { carries: 'feed', reason: 'the feed’s events as the server sent them: classified in feed.ts' },
  connection: { carries: 'nothing', reason: 'whether the server can be reached' },
  outbox: { carries: 'own', reason: 'the agent’s own outbox entries: only what they wrote' },
  presence: { carries: 'feed', reason: 'the ephemeral presence events as the server sent them: classified in feed.ts' },
  myStatus: { carries: 'nothing', reason: 'the agent’s own availability and time zone' },
  safetyPolicy: { carries: 'nothing', reason: 'the safety policy as it changed: settings and host lists, no customer data' },
  template: {
    carries: 'nothing',
    reason: 'a template as Meta now has it (the server sends it only to who may use it): its words and status, no customer data',
  },
};

// The cache ------------------------------------------------------------------------------------

/** A conversation as the cache checks look for it. */
export interface CacheTarget {
  readonly id: number;
  readonly messageIds: readonly number[];
  readonly noteIds: readonly number[];
  readonly mediaIds: readonly number[];
  /** Words only it holds, lowercase, as a search index stores them. */
  readonly terms: readonly string[];
}

type Rows = (db: Database.Database, target: CacheTarget) => unknown[];
export interface CacheTableClass {
  /** What of `target` the table holds (nothing, for a conversation the agent may not see). */
  readonly find: Rows;
  /** The check must find the agent's own conversation here (it is the kind of table that holds it). */
  readonly controlled: boolean;
  readonly reason: string;
}

const inList = (values: readonly number[]) => (values.length === 0 ? '(null)' : `(${values.map((value) => Number(value)).join(', ')})`);
const allRows = (db: Database.Database, table: string) => db.prepare(`select * from "${table}"`).raw().all() as unknown[][];
/** The terms found in the bytes of any value of the table (a text, a blob of the search index). */
const holdingTerms =
  (table: string): Rows =>
  (db, target) => {
    const values = allRows(db, table).flatMap((row) => row.map((value) => Buffer.from(value instanceof Uint8Array ? value : String(value))));
    return target.terms.filter((term) => values.some((value) => value.includes(Buffer.from(term))));
  };
const matching =
  (table: string): Rows =>
  (db, target) =>
    target.terms.flatMap((term) => db.prepare(`select rowid from ${table} where ${table} match ?`).all(`"${term.replace(/"/g, '""')}"`));
const ofMessages =
  (table: string): Rows =>
  (db, target) =>
    db.prepare(`select id from ${table} where id in ${inList(target.messageIds)}`).all();
const ofConversation =
  (table: string): Rows =>
  (db, target) =>
    db.prepare(`select id from ${table} where id = ?`).all(target.id);
const fts = 'the search index’s terms and positions (FTS5 segments): a deleted message’s words must not stay in them';

export const CACHE_TABLES: Readonly<Record<string, CacheTableClass>> = {
  conversations: { find: ofConversation('conversations'), controlled: true, reason: 'conversation summaries' },
  messages: {
    find: (db, target) => db.prepare(`select id from messages where conversation_id = ? or id in ${inList(target.messageIds)}`).all(target.id),
    controlled: true,
    reason: 'messages',
  },
  messages_fts: { find: matching('messages_fts'), controlled: true, reason: 'message search (over messages)' },
  messages_fts_data: { find: holdingTerms('messages_fts_data'), controlled: true, reason: fts },
  messages_fts_idx: { find: holdingTerms('messages_fts_idx'), controlled: false, reason: `${fts}; holds a leaf's first term only past one page` },
  messages_fts_docsize: { find: ofMessages('messages_fts_docsize'), controlled: true, reason: 'the search index’s per-message sizes' },
  messages_fts_config: { find: holdingTerms('messages_fts_config'), controlled: false, reason: 'the search index’s settings' },
  notes: {
    find: (db, target) => db.prepare(`select id from notes where conversation_id = ? or id in ${inList(target.noteIds)}`).all(target.id),
    controlled: true,
    reason: 'internal notes',
  },
  notes_fts: { find: matching('notes_fts'), controlled: true, reason: 'note search (over notes)' },
  notes_fts_data: { find: holdingTerms('notes_fts_data'), controlled: true, reason: fts },
  notes_fts_idx: { find: holdingTerms('notes_fts_idx'), controlled: false, reason: `${fts}; holds a leaf's first term only past one page` },
  notes_fts_docsize: {
    find: (db, target) => db.prepare(`select id from notes_fts_docsize where id in ${inList(target.noteIds)}`).all(),
    controlled: true,
    reason: 'the search index’s per-note sizes',
  },
  notes_fts_config: { find: holdingTerms('notes_fts_config'), controlled: false, reason: 'the search index’s settings' },
  contacts_fts: { find: matching('contacts_fts'), controlled: true, reason: 'contact search (over conversations)' },
  contacts_fts_data: { find: holdingTerms('contacts_fts_data'), controlled: true, reason: fts },
  contacts_fts_idx: { find: holdingTerms('contacts_fts_idx'), controlled: false, reason: `${fts}; holds a leaf's first term only past one page` },
  contacts_fts_docsize: { find: ofConversation('contacts_fts_docsize'), controlled: true, reason: 'the search index’s per-contact sizes' },
  contacts_fts_config: { find: holdingTerms('contacts_fts_config'), controlled: false, reason: 'the search index’s settings' },
  outbox: {
    // A refused send may name a conversation the agent no longer sees; it holds only what they wrote.
    find: (db, target) => [
      ...db.prepare(`select client_message_id from outbox where conversation_id = ? and state != 'failed'`).all(target.id),
      ...holdingTerms('outbox')(db, target),
    ],
    controlled: false,
    reason: 'what this agent wrote, until the server takes it',
  },
  media_index: {
    find: (db, target) => db.prepare(`select media_id from media_index where media_id in ${inList(target.mediaIds)}`).all(),
    controlled: true,
    reason: 'the cached files (sealed, in media/)',
  },
  history_entries: {
    find: (db, target) => db.prepare('select id from history_entries where conversation_id = ?').all(target.id),
    controlled: true,
    reason: 'each conversation’s history entries (state changes, assignments): its system lines',
  },
  sync_state: {
    find: (db, target) => [
      ...db.prepare(`select key from sync_state where key like ? or key like ?`).all(`%:messages:${target.id}`, `%:history:${target.id}`),
      ...holdingTerms('sync_state')(db, target),
    ],
    controlled: true,
    reason:
      'the feed position, the owner, the view (roles and team ids), and how far each list (conversations, a conversation’s messages or history) is cached',
  },
  scheduled_messages: {
    find: (db, target) => db.prepare('select id from scheduled_messages where conversation_id = ?').all(target.id),
    controlled: true,
    reason: 'the scheduled messages of each conversation (the feed’s `scheduled_message`, the lists read)',
  },
  reminders: {
    find: (db, target) => db.prepare('select conversation_id from reminders where conversation_id = ?').all(target.id),
    controlled: true,
    reason: 'this agent’s reminder of each conversation (the feed’s `reminder` when it came due, the lists read)',
  },
  forgotten_conversations: {
    // A tombstone: the id and the notice's seq, so nothing older brings it back; no other column.
    find: (db) =>
      (db.prepare(`select name from pragma_table_info('forgotten_conversations')`).all() as Array<{ name: string }>).filter(
        (column) => !['id', 'seq'].includes(column.name),
      ),
    controlled: false,
    reason: 'conversations the feed took away: their id and the seq of the notice, nothing of them',
  },
};

/** Bruno's cache opened as the app opens it (his keyring, his share), nothing tidied on the way. */
export function openCacheOf(platform: TestPlatform): Database.Database {
  const secrets = new CacheSecrets(new SealedFiles(path.join(platform.userDataDir, 'secrets'), platform.secrets));
  return openCacheDatabase(cacheDir(platform.userDataDir), secrets.keys(Date.now()).database);
}

export function cacheTableNames(db: Database.Database): string[] {
  return (db.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`).all() as Array<{ name: string }>).map(
    (row) => row.name,
  );
}

/** Every value of every table, for a scan by bytes whatever the classification says. */
export function everyValue(db: Database.Database): Array<{ table: string; value: Buffer }> {
  return cacheTableNames(db).flatMap((table) =>
    allRows(db, table).flatMap((row) => row.map((value) => ({ table, value: Buffer.from(value instanceof Uint8Array ? value : String(value)) }))),
  );
}
