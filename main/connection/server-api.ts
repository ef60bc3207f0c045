/**
 * The client API of the inbox server, as main calls it: typed methods over the pinned HTTPS
 * connection, each built from its route in the contract (common/api/client-api.ts) and each
 * answer checked with that route's response schema, and device proofs made with the
 * workstation's key over a fresh nonce wherever the server asks for one.
 */
import type { RevealedNumber } from '../../common/api/customer-numbers.js';
import type { ConsentView, ContactPersonalData, RecordConsentBody } from '../../common/api/personal-data.js';
import { CLIENT_API } from '../../common/api/client-api.js';
import type { DeviceProof, ProofPurpose } from '../../common/api/device-proof.js';
import type { ChangeConversationStateBody, ConversationState } from '../../common/api/conversation-lifecycle.js';
import type {
  BusinessNumberOptions,
  ConversationChanged,
  ConversationFilter,
  ConversationPage,
  ConversationSummary,
  HistoryPage,
  MarkedRead,
  MediaUploaded,
  MessagePage,
  SendAccepted,
} from '../../common/api/inbox.js';
import type { MentionableAgents, NoteAdded, NotePage, NoteView } from '../../common/api/notes.js';
import type { BulkReassignBody, BulkReassigned, HandedOver, TransferBody, TransferTargets } from '../../common/api/handover.js';
import type { MyStatus, PresenceReport } from '../../common/api/presence.js';
import type { MemberConversations, SupervisorOverview } from '../../common/api/supervision.js';
import type { DeviceState, PairingCodeGrant, PairingRequest, PairingStarted, PairingState } from '../../common/api/pairing.js';
import type { EnrollmentCompleted, EnrollmentStarted, SecondFactor, SessionGrant } from '../../common/api/session.js';
import type {
  LabelList,
  LabelRequest,
  LabelView,
  ManagedLabels,
  ManagedQuickReplies,
  QuickReplyList,
  QuickReplyRequest,
  QuickReplyView,
} from '../../common/api/replies.js';
import type { z } from 'zod';
import type { SetTeamHoursRequest, TeamHoursView } from '../../common/hours/business-hours.js';
import type { MediaKind } from '../../common/attachments/media-limits.js';
import type { SendRequestInput } from '../../common/messages/send-request.js';
import type { DeviceKey } from '../device/device-key.js';
import { AdminApi } from './admin-api.js';
import { callDownload, callJson, callUpload } from './endpoint-request.js';
import type { HttpsTarget } from './https-json.js';

const API = CLIENT_API;

export type { TeamMemberChange } from './admin-api.js';

export class ServerApi {
  readonly target: HttpsTarget;
  /** The admin routes (main/connection/admin-api.ts). */
  readonly admin: AdminApi;
  readonly #machineId: string;
  readonly #key: DeviceKey;

  constructor(target: HttpsTarget, machineId: string, key: DeviceKey) {
    this.target = target;
    this.admin = new AdminApi(target);
    this.#machineId = machineId;
    this.#key = key;
  }

  async proof(purpose: ProofPurpose, binding = ''): Promise<DeviceProof> {
    const { nonce } = await callJson(this.target, API.nonce, {});
    return this.#key.prove(purpose, this.#machineId, nonce, binding);
  }

  // Pairing --------------------------------------------------------------------------------

  async deviceStatus(): Promise<DeviceState> {
    return callJson(this.target, API.deviceStatus, { body: { proof: await this.proof('device.status') } });
  }

  /** Signed, so that asking again after a restart replaces this install's own earlier request. */
  async requestPairing(details: Omit<PairingRequest, 'machineId' | 'publicKey' | 'proof'>): Promise<PairingStarted> {
    const body = { ...details, machineId: this.#machineId, publicKey: this.#key.publicKey, proof: await this.proof('pairing.request') };
    return callJson(this.target, API.requestPairing, { body });
  }

  async rotatePairingCode(pairingId: number): Promise<PairingCodeGrant> {
    return callJson(this.target, API.rotatePairingCode, { params: { id: pairingId }, body: { proof: await this.proof('pairing.code', String(pairingId)) } });
  }

  async pairingStatus(pairingId: number): Promise<PairingState> {
    return callJson(this.target, API.pairingStatus, { params: { id: pairingId }, body: { proof: await this.proof('pairing.status', String(pairingId)) } });
  }

  // Enrollment and sessions ------------------------------------------------------------------

  async startEnrollment(input: { username: string; enrollmentCode: string; newPassword: string }): Promise<EnrollmentStarted> {
    return callJson(this.target, API.startEnrollment, { body: { ...input, proof: await this.proof('enrollment.start', input.username) } });
  }

  async confirmEnrollment(enrollmentId: string, code: string): Promise<EnrollmentCompleted> {
    return callJson(this.target, API.confirmEnrollment, { body: { enrollmentId, code, proof: await this.proof('enrollment.confirm', enrollmentId) } });
  }

  async login(input: { username: string; password: string; secondFactor: SecondFactor }): Promise<SessionGrant> {
    return callJson(this.target, API.login, { body: { ...input, proof: await this.proof('login', input.username) } });
  }

  async refresh(refreshToken: string): Promise<SessionGrant> {
    return callJson(this.target, API.refresh, { body: { refreshToken, proof: await this.proof('refresh') } });
  }

  async unlock(token: string, secondFactor: SecondFactor): Promise<void> {
    await callJson(this.target, API.unlock, { token, body: { secondFactor, proof: await this.proof('unlock') } });
  }

  async logout(token: string): Promise<void> {
    await callJson(this.target, API.logout, { token });
  }

  // Inbox ------------------------------------------------------------------------------------

  conversations(
    token: string,
    query: {
      filter: ConversationFilter;
      state?: ConversationState | undefined;
      cursor?: string | undefined;
      limit?: number | undefined;
      number?: string | undefined;
      label?: number | undefined;
    },
  ): Promise<ConversationPage> {
    return callJson(this.target, API.listConversations, {
      token,
      query: { filter: query.filter, state: query.state ?? 'open', limit: query.limit ?? 50, cursor: query.cursor, number: query.number, label: query.label },
    });
  }

  businessNumbers(token: string): Promise<BusinessNumberOptions> {
    return callJson(this.target, API.listBusinessNumbers, { token });
  }

  conversation(token: string, conversationId: number): Promise<ConversationSummary> {
    return callJson(this.target, API.getConversation, { token, params: { id: conversationId } });
  }

  messages(token: string, conversationId: number, query: { cursor?: string | undefined; limit?: number | undefined }): Promise<MessagePage> {
    return callJson(this.target, API.listMessages, { token, params: { id: conversationId }, query: { limit: query.limit ?? 50, cursor: query.cursor } });
  }

  send(token: string, request: SendRequestInput): Promise<SendAccepted> {
    return callJson(this.target, API.sendMessage, { token, body: request });
  }

  changeState(token: string, conversationId: number, change: ChangeConversationStateBody): Promise<ConversationChanged> {
    return callJson(this.target, API.changeConversationState, { token, params: { id: conversationId }, body: change });
  }

  /** Blocks the conversation's customer on its number, with the agent's reason. */
  blockCustomer(token: string, conversationId: number, reason: string): Promise<ConversationChanged> {
    return callJson(this.target, API.blockCustomer, { token, params: { id: conversationId }, body: { reason } });
  }

  /** What personal data was asked of the conversation's customer and why. */
  conversationPersonalData(token: string, conversationId: number): Promise<ContactPersonalData> {
    return callJson(this.target, API.conversationPersonalData, { token, params: { id: conversationId } });
  }

  /** Records the customer's answer to a promotions request. */
  recordConsent(token: string, conversationId: number, body: RecordConsentBody): Promise<ConsentView> {
    return callJson(this.target, API.recordConsent, { token, params: { id: conversationId }, body });
  }

  /** Unblocks the conversation's customer (a supervisor of its team). */
  unblockCustomer(token: string, conversationId: number): Promise<ConversationChanged> {
    return callJson(this.target, API.unblockCustomer, { token, params: { id: conversationId }, body: {} });
  }

  /** The customer's number, unmasked for this agent, with their reason (audited on the server). */
  revealCustomerNumber(token: string, conversationId: number, reason: string): Promise<RevealedNumber> {
    return callJson(this.target, API.revealCustomerNumber, { token, params: { id: conversationId }, body: { reason } });
  }

  history(token: string, conversationId: number, query: { cursor?: string | undefined; limit?: number | undefined }): Promise<HistoryPage> {
    return callJson(this.target, API.listConversationHistory, {
      token,
      params: { id: conversationId },
      query: { limit: query.limit ?? 50, cursor: query.cursor },
    });
  }

  earlierConversations(token: string, conversationId: number, query: { cursor?: string | undefined; limit?: number | undefined }): Promise<ConversationPage> {
    return callJson(this.target, API.listEarlierConversations, {
      token,
      params: { id: conversationId },
      query: { limit: query.limit ?? 50, cursor: query.cursor },
    });
  }

  markRead(token: string, conversationId: number): Promise<MarkedRead> {
    return callJson(this.target, API.markRead, { token, params: { id: conversationId }, body: {} });
  }

  uploadMedia(token: string, file: { kind: MediaKind; filename: string; mimeType: string; bytes: Uint8Array }): Promise<MediaUploaded> {
    return callUpload(this.target, API.uploadMedia, {
      token,
      query: { kind: file.kind, filename: file.filename },
      bytes: file.bytes,
      contentType: file.mimeType,
    });
  }

  downloadMedia(token: string, mediaId: number, maxBytes: number): Promise<{ mimeType: string; bytes: Uint8Array<ArrayBuffer> }> {
    return callDownload(this.target, API.downloadMedia, { token, params: { id: mediaId }, query: {}, maxBytes });
  }

  // Internal notes ----------------------------------------------------------------------------

  notes(token: string, conversationId: number, query: { cursor?: string | undefined; limit?: number | undefined }): Promise<NotePage> {
    return callJson(this.target, API.listNotes, { token, params: { id: conversationId }, query: { limit: query.limit ?? 50, cursor: query.cursor } });
  }

  addNote(token: string, conversationId: number, note: { clientNoteId: string; body: string }): Promise<NoteAdded> {
    return callJson(this.target, API.addNote, { token, params: { id: conversationId }, body: note });
  }

  note(token: string, noteId: number): Promise<NoteView> {
    return callJson(this.target, API.getNote, { token, params: { id: noteId } });
  }

  mentionable(token: string, conversationId: number): Promise<MentionableAgents> {
    return callJson(this.target, API.listMentionable, { token, params: { id: conversationId } });
  }

  // Hand-over --------------------------------------------------------------------------------

  transfer(token: string, conversationId: number, body: TransferBody): Promise<HandedOver> {
    return callJson(this.target, API.transferConversation, { token, params: { id: conversationId }, body });
  }

  claim(token: string, conversationId: number): Promise<HandedOver> {
    return callJson(this.target, API.claimConversation, { token, params: { id: conversationId }, body: {} });
  }

  unassign(token: string, conversationId: number, fromAgentId: number): Promise<HandedOver> {
    return callJson(this.target, API.unassignConversation, { token, params: { id: conversationId }, body: { fromAgentId } });
  }

  bulkReassign(token: string, body: BulkReassignBody): Promise<BulkReassigned> {
    return callJson(this.target, API.bulkReassign, { token, body });
  }

  transferTargets(token: string, conversationId: number): Promise<TransferTargets> {
    return callJson(this.target, API.listTransferTargets, { token, params: { id: conversationId } });
  }

  // Presence ---------------------------------------------------------------------------------

  supervisorOverview(token: string): Promise<SupervisorOverview> {
    return callJson(this.target, API.getSupervisorOverview, { token });
  }

  memberConversations(token: string, teamId: number, agentId: number): Promise<MemberConversations> {
    return callJson(this.target, API.listMemberConversations, { token, params: { id: teamId, agentId } });
  }

  myStatus(token: string): Promise<MyStatus> {
    return callJson(this.target, API.getMyStatus, { token });
  }

  setAvailability(token: string, available: boolean): Promise<MyStatus> {
    return callJson(this.target, API.setAvailability, { token, body: { available } });
  }

  setTimeZone(token: string, timeZone: string, source: 'workstation' | 'agent'): Promise<MyStatus> {
    return callJson(this.target, API.setTimeZone, { token, body: { timeZone, source } });
  }

  async reportScreenLock(token: string, locked: boolean): Promise<void> {
    await callJson(this.target, API.reportScreenLock, { token, body: { locked } });
  }

  async reportPresence(token: string, report: PresenceReport): Promise<void> {
    await callJson(this.target, API.reportPresence, { token, body: report });
  }

  // Team hours (supervisors) ---------------------------------------------------------------

  teamHours(token: string, teamId: number): Promise<TeamHoursView> {
    return callJson(this.target, API.getTeamHours, { token, params: { id: teamId } });
  }

  setTeamHours(token: string, teamId: number, change: SetTeamHoursRequest): Promise<TeamHoursView> {
    return callJson(this.target, API.setTeamHours, { token, params: { id: teamId }, body: change });
  }

  // Quick replies and labels -----------------------------------------------------------------

  quickReplies(token: string): Promise<QuickReplyList> {
    return callJson(this.target, API.listQuickReplies, { token });
  }

  labels(token: string): Promise<LabelList> {
    return callJson(this.target, API.listLabels, { token });
  }

  /** Puts the label on the conversation (`on`) or takes it off; the answer is the conversation as it is now. */
  conversationLabel(token: string, conversationId: number, labelId: number, on: boolean): Promise<ConversationSummary> {
    return on
      ? callJson(this.target, API.addConversationLabel, { token, params: { id: conversationId }, body: { labelId } })
      : callJson(this.target, API.removeConversationLabel, { token, params: { id: conversationId, labelId } });
  }

  managedQuickReplies(token: string): Promise<ManagedQuickReplies> {
    return callJson(this.target, API.listManagedQuickReplies, { token });
  }

  /** Adds a quick reply (`id` undefined) or changes one. */
  saveQuickReply(token: string, id: number | undefined, reply: z.input<typeof QuickReplyRequest>): Promise<QuickReplyView> {
    return id === undefined
      ? callJson(this.target, API.createQuickReply, { token, body: reply })
      : callJson(this.target, API.updateQuickReply, { token, params: { id }, body: reply });
  }

  removeQuickReply(token: string, id: number): Promise<undefined> {
    return callJson(this.target, API.removeQuickReply, { token, params: { id } });
  }

  managedLabels(token: string): Promise<ManagedLabels> {
    return callJson(this.target, API.listManagedLabels, { token });
  }

  saveLabel(token: string, id: number | undefined, label: LabelRequest): Promise<LabelView> {
    return id === undefined
      ? callJson(this.target, API.createLabel, { token, body: label })
      : callJson(this.target, API.updateLabel, { token, params: { id }, body: label });
  }

  removeLabel(token: string, id: number): Promise<undefined> {
    return callJson(this.target, API.removeLabel, { token, params: { id } });
  }
}
