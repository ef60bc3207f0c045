/**
 * Team B's conversation (V) asked of through every IPC call of Bruno's workstation that carries
 * conversation data: each refuses, or answers without it, and holds none of its text. Keyed like
 * IPC_CALLS_CLASSIFIED's conversation calls, so a new one is walked with V too.
 */
import { scheduledRowIn } from './schedule-rows.js';
import crypto from 'node:crypto';
import { expect } from 'vitest';
import { CONVERSATION_STATES } from '../../../common/api/conversation-lifecycle.js';
import { CONVERSATION_FILTERS } from '../../../common/api/inbox.js';
import type { ConversationPage } from '../../../common/api/inbox.js';
import type { IpcCallName, OutboxEntry, SearchHit } from '../../../common/ipc/contract.js';
import type { IpcResult } from '../../../common/ipc/ipc-result.js';
import { elsewhereMarkersIn } from './elsewhere.js';
import { setConversationLabelIpc } from './labels.js';
import type { NeedToKnowScene } from './scene.js';
import { ipcCall } from './workstation.js';

/** Asks V of Bruno's workstation through one call; fails the test on anything of V. */
type ElsewhereIpcProbe = (scene: NeedToKnowScene) => Promise<void>;

const ipc = (scene: NeedToKnowScene, name: IpcCallName, request: unknown) => ipcCall(scene.workstation, name, request);

function expectNothingOfV(scene: NeedToKnowScene, result: IpcResult<unknown>, what: string, code?: string): void {
  if (code !== undefined) expect(result, what).toMatchObject({ ok: false, code });
  expect(elsewhereMarkersIn(scene, JSON.stringify(result)), what).toEqual([]);
}

const refusedFor =
  (name: IpcCallName, request: (scene: NeedToKnowScene) => unknown, code = 'conversation_not_found'): ElsewhereIpcProbe =>
  async (scene) =>
    expectNothingOfV(scene, await ipc(scene, name, request(scene)), `${name} of V`, code);

const ofV = (scene: NeedToKnowScene) => ({ conversationId: scene.elsewhere.id });

let refusedEntry: string | undefined;

export const ELSEWHERE_IPC: Readonly<Partial<Record<IpcCallName, ElsewhereIpcProbe>>> = {
  setConversationLabel: async (scene) => {
    expect(await setConversationLabelIpc((scene) => scene.elsewhere.id, elsewhereMarkersIn)(scene)).toBe(false);
  },
  listConversations: async (scene) => {
    for (const [filter, state] of CONVERSATION_FILTERS.flatMap((filter) => CONVERSATION_STATES.map((state) => [filter, state] as const))) {
      const result = await ipc(scene, 'listConversations', { filter, state, limit: 200 });
      expectNothingOfV(scene, result, `listConversations ${filter} ${state}`);
      if (result.ok) expect((result.value as ConversationPage).items.map((item) => item.id)).not.toContain(scene.elsewhere.id);
    }
  },
  getConversation: refusedFor('getConversation', ofV),
  listMessages: refusedFor('listMessages', ofV),
  changeConversationState: refusedFor('changeConversationState', (scene) => ({ ...ofV(scene), change: { state: 'pending' } })),
  listConversationHistory: refusedFor('listConversationHistory', ofV),
  listEarlierConversations: refusedFor('listEarlierConversations', ofV),
  sendMessage: async (scene) => {
    const clientMessageId = crypto.randomUUID();
    const result = await ipc(scene, 'sendMessage', { ...ofV(scene), clientMessageId, kind: 'text', text: 'Posso aiutare io?' });
    expect(result.ok).toBe(true);
    expect((result as { value: OutboxEntry }).value).toMatchObject({ state: 'failed', error: { code: 'conversation_not_found' }, message: null });
    refusedEntry = clientMessageId;
  },
  listOutbox: async (scene) => {
    const result = await ipc(scene, 'listOutbox', ofV(scene));
    expectNothingOfV(scene, result, 'listOutbox of V');
    const { entries } = (result as { value: { entries: OutboxEntry[] } }).value;
    expect(entries.every((entry) => entry.state === 'failed' && entry.message === null)).toBe(true);
  },
  retryOutbox: async (scene) => {
    if (refusedEntry === undefined) throw new Error('the sendMessage probe runs first');
    const result = await ipc(scene, 'retryOutbox', { clientMessageId: refusedEntry });
    expect((result as { value?: OutboxEntry }).value).toMatchObject({ state: 'failed', error: { code: 'conversation_not_found' }, message: null });
    expectNothingOfV(scene, result, 'retryOutbox to V');
  },
  markRead: refusedFor('markRead', ofV),
  search: async (scene) => {
    for (const term of scene.elsewhere.terms) {
      const result = await ipc(scene, 'search', { query: term });
      expectNothingOfV(scene, result, `search for ${term}`);
      expect((result as { value: { hits: SearchHit[] } }).value.hits.filter((hit) => hit.conversationId === scene.elsewhere.id)).toEqual([]);
    }
  },
  listNotes: refusedFor('listNotes', ofV),
  addNote: refusedFor('addNote', (scene) => ({ ...ofV(scene), clientNoteId: crypto.randomUUID(), body: 'Posso aiutare io?' })),
  listMentionable: refusedFor('listMentionable', ofV),
  transferConversation: refusedFor('transferConversation', (scene) => ({ ...ofV(scene), transfer: { agentId: scene.bruno.agentId } })),
  blockCustomer: refusedFor('blockCustomer', (scene) => ({ ...ofV(scene), reason: 'Prova di sicurezza' })),
  unblockCustomer: refusedFor('unblockCustomer', ofV),
  requestPayment: refusedFor('requestPayment', (scene) => ({
    ...ofV(scene),
    amount: 2000,
    currency: 'EUR',
    description: 'Prova di pagamento',
    idempotencyKey: crypto.randomUUID(),
  })),
  listPaymentRequests: refusedFor('listPaymentRequests', ofV),
  listConversationTemplates: refusedFor('listConversationTemplates', ofV),
  scheduleMessage: refusedFor('scheduleMessage', (scene) => ({
    ...ofV(scene),
    idempotencyKey: crypto.randomUUID(),
    content: { kind: 'text', text: 'Ci sentiamo domani' },
    sendAt: new Date(Date.now() + 86_400_000).toISOString(),
    timeZone: 'Europe/Rome',
  })),
  listScheduledMessages: refusedFor('listScheduledMessages', ofV),
  editScheduledMessage: async (scene) => {
    const scheduledId = await scheduledRowIn(scene, scene.elsewhere.id);
    const result = await ipc(scene, 'editScheduledMessage', { scheduledId, change: { content: { kind: 'text', text: 'Cambiato' } } });
    expectNothingOfV(scene, result, 'editScheduledMessage of V', 'scheduled_message_not_found');
  },
  cancelScheduledMessage: async (scene) => {
    const scheduledId = await scheduledRowIn(scene, scene.elsewhere.id);
    expectNothingOfV(scene, await ipc(scene, 'cancelScheduledMessage', { scheduledId }), 'cancelScheduledMessage of V', 'scheduled_message_not_found');
  },
  listTeamScheduledMessages: refusedFor('listTeamScheduledMessages', () => ({}), 'forbidden_role'),
  setReminder: refusedFor('setReminder', (scene) => ({ ...ofV(scene), remindAt: new Date(Date.now() + 86_400_000).toISOString(), timeZone: 'Europe/Rome' })),
  listReminders: refusedFor('listReminders', ofV),
  cancelReminder: refusedFor('cancelReminder', ofV),
  revealCustomerNumber: refusedFor('revealCustomerNumber', (scene) => ({ ...ofV(scene), reason: 'Prova di sicurezza' })),
  conversationPersonalData: refusedFor('conversationPersonalData', ofV),
  recordConsent: refusedFor('recordConsent', (scene) => ({ ...ofV(scene), consent: 'yes', wording: 'Offerte via WhatsApp?' })),
  claimConversation: refusedFor('claimConversation', ofV),
  unassignConversation: refusedFor('unassignConversation', (scene) => ({ ...ofV(scene), fromAgentId: scene.carla.agentId })),
  bulkReassign: refusedFor('bulkReassign', (scene) => ({ conversationIds: [scene.elsewhere.id], teamId: scene.teamA }), 'forbidden_role'),
  listTransferTargets: refusedFor('listTransferTargets', ofV),
  listMemberConversations: refusedFor('listMemberConversations', (scene) => ({ teamId: scene.teamB, agentId: scene.carla.agentId }), 'forbidden_role'),
  getMedia: refusedFor('getMedia', (scene) => ({ mediaId: scene.elsewhere.media.mediaId }), 'media_not_found'),
};
