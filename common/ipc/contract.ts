/**
 * The IPC contract between main and the renderer: every call (name, request schema, response
 * schema) and every event. Main registers one handler per call and parses its input with the
 * request schema; the preload builds `window.sportello` from this list, so neither can drift.
 * Nothing here carries a session token, a key, the cache key share or the raw OS machine ID; the one
 * secret a call carries is a business number's Meta token (and app secret), an admin's input that
 * main passes on to the server once and never keeps.
 */
import { z } from 'zod';
import {
  AgentView,
  AuditListFields,
  AuditPage,
  AuditVerification,
  DeviceList,
  DeviceView,
  EnrollmentIssued,
  PairingForApproval,
  RANGE_OUT_OF_ORDER,
  rangeInOrder,
  SessionList,
  SessionView,
} from '../api/admin.js';
import { BlockCustomerBody } from '../api/blocks.js';
import { RevealedNumber, RevealNumberBody } from '../api/customer-numbers.js';
import { ConsentView, ContactPersonalData, RecordConsentBody } from '../api/personal-data.js';
import { ChangeConversationStateBody, ConversationState } from '../api/conversation-lifecycle.js';
import { ControlEvent, EphemeralEvent, FeedEvent } from '../api/events.js';
import { BulkReassignBody, BulkReassigned, HandedOver, TransferBody, TransferTargets } from '../api/handover.js';
import { AddNumberRequest, BusinessNumberList, BusinessNumberView, NumberRemoved, PhoneNumberId, RotateNumberTokenRequest } from '../api/business-numbers.js';
import {
  BusinessNumberOptions,
  ConversationFilter,
  ConversationPage,
  ConversationSummary,
  Cursor,
  HistoryPage,
  MessagePage,
  MessageView,
  NumberFilter,
} from '../api/inbox.js';
import { MentionableAgents, NotePage, NoteView } from '../api/notes.js';
import { SetTeamHoursRequest, TeamHoursView } from '../hours/business-hours.js';
import { MyStatus, TimeZone } from '../api/presence.js';
import { MemberConversations, SupervisorOverview } from '../api/supervision.js';
import { Password, Roles, SecondFactor, Username } from '../api/session.js';
import { NOTE_TEXT_BOUND } from '../notes/note-text.js';
import { EnrollmentCode, PairingCode } from '../devices/pairing-code.js';
import { SendMedia, SendReaction, SendTemplate, SendText } from '../messages/send-request.js';
import { CreateRoutingRuleRequest, RoutingCondition, RoutingRuleList, RoutingRuleRemoved, RoutingRuleView } from '../api/routing.js';
import { Capacity, CreateTeamRequest, OfflineRequeueAfterSeconds, TeamDescription, TeamList, TeamName, TeamRemoved, TeamView } from '../api/teams.js';
import {
  LabelFilter,
  LabelList,
  LabelRequest,
  LabelView,
  ManagedLabels,
  ManagedQuickReplies,
  QuickReplyList,
  QuickReplyRequest,
  QuickReplyView,
} from '../api/replies.js';
import { AdminSafetyPolicyView, ChangeSafetyPolicyRequest, SafetyPolicyView } from '../safety/safety-policy.js';
import {
  AcknowledgeBriefingRequest,
  AgentBriefingView,
  BriefingAcknowledgementsView,
  BriefingVersionView,
  PublishBriefingRequest,
} from '../briefing/briefing.js';
import { AppState, ConnectionState } from './app-state.js';
import { TEMPLATE_CALLS } from './template-calls.js';
import { StoredTemplate } from '../templates/template.js';
import { ANALYTICS_CALLS } from './analytics-calls.js';
import type { IpcResult } from './ipc-result.js';
import { PaymentRequestCreated } from '../api/payment-endpoints.js';
import { SCHEDULE_CALLS } from './schedule-calls.js';
import {
  AdminPaymentProviderView,
  CreatePaymentRequestBody,
  PaymentProviderView,
  PaymentRequestList,
  SetPaymentProviderRequest,
} from '../payments/payment-links.js';

const Id = z.number().int().positive();
const Empty = z.object({}).strict();
const Done = z.object({ done: z.literal(true) });

/**
 * What the renderer composes: the wire's SendRequest (common/messages/send-request.ts) with the
 * renderer's own message id in place of the idempotency key, and an attachment (an upload's id)
 * in place of a media id. Main turns it into the SendRequest; the rules are the wire's.
 */
const ComposeId = {
  /** A UUID the renderer makes once per message: the send's idempotency key, so a retry never sends twice. */
  clientMessageId: z.uuid(),
};

export const ComposeMessage = z.discriminatedUnion('kind', [
  // The app never asks WhatsApp for a link preview, so the renderer cannot either.
  SendText.omit({ idempotencyKey: true, previewUrl: true }).extend(ComposeId),
  SendMedia.omit({ idempotencyKey: true, mediaId: true }).extend({ ...ComposeId, attachmentId: Id }),
  SendTemplate.omit({ idempotencyKey: true }).extend(ComposeId),
  SendReaction.omit({ idempotencyKey: true }).extend(ComposeId),
]);
export type ComposeMessage = z.infer<typeof ComposeMessage>;

/**
 * A message on its way: kept (encrypted) in the local outbox from the moment it is composed, sent
 * in order per conversation when the server can be reached, with its idempotency key so it is
 * sent once however often it is retried. `failed`: the server refused it; the text stays here.
 */
export const OutboxEntry = z.object({
  clientMessageId: z.uuid(),
  conversationId: Id,
  compose: ComposeMessage,
  state: z.enum(['pending', 'sending', 'sent', 'failed']),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** The stored message once the server accepted it. */
  message: MessageView.nullable(),
  createdAt: z.number().int(),
});
export type OutboxEntry = z.infer<typeof OutboxEntry>;

export const Attachment = z.object({
  attachmentId: Id,
  filename: z.string(),
  kind: z.enum(['image', 'video', 'audio', 'document', 'sticker']),
  mimeType: z.string(),
  size: z.number().int(),
});
export type Attachment = z.infer<typeof Attachment>;

export const MediaBytes = z.object({ mimeType: z.string(), bytes: z.instanceof(Uint8Array) });
export type MediaBytes = z.infer<typeof MediaBytes>;

/** A search result: a conversation whose contact matched, a message or an internal note, with the matched words marked. */
export const SearchHit = z.object({
  kind: z.enum(['message', 'contact', 'note']),
  conversationId: Id,
  messageId: Id.nullable(),
  noteId: Id.nullable(),
  /** When the message was sent or the note written; null for a contact. */
  sentAt: z.number().int().nullable(),
  /** Who wrote the message: the customer (inbound) or the business (outbound); null for a contact or a note. */
  direction: z.enum(['inbound', 'outbound']).nullable(),
  /** Who the conversation is with. */
  title: z.string(),
  fragments: z.array(z.object({ text: z.string(), match: z.boolean() })),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const AppInfo = z.object({ osLocale: z.string(), appVersion: z.string(), platform: z.string() });
export type AppInfo = z.infer<typeof AppInfo>;

function call<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) {
  return { request, response };
}

export const IPC_CALLS = {
  getState: call(Empty, AppState),
  getInfo: call(Empty, AppInfo),
  getConnection: call(Empty, ConnectionState),
  /** Unpaired → pairing: asks the server, then keeps the code fresh until an admin decides. */
  startPairing: call(Empty, AppState),
  /** Retry reaching the server (offline screen). */
  retry: call(Empty, AppState),
  startEnrollment: call(z.object({ username: Username, enrollmentCode: EnrollmentCode, newPassword: Password }), AppState),
  confirmEnrollment: call(z.object({ code: z.string().regex(/^\d{6}$/) }), AppState),
  /** "I have saved them": leaves the recovery codes screen for the inbox. */
  finishEnrollment: call(Empty, AppState),
  login: call(z.object({ username: Username, password: Password, secondFactor: SecondFactor }), AppState),
  /** Resume a locked session with the authenticator (or a recovery code). */
  unlock: call(z.object({ secondFactor: SecondFactor }), AppState),
  lock: call(Empty, AppState),
  logout: call(Empty, AppState),
  /** `state`: open unless said (pending, snoozed, resolved); `number`: only the conversations of that business number (a phone number ID of listBusinessNumbers). */
  listConversations: call(
    z.object({
      filter: ConversationFilter,
      state: ConversationState.optional(),
      cursor: Cursor.optional(),
      limit: z.number().int().min(1).max(200).optional(),
      number: NumberFilter.optional(),
      label: LabelFilter.optional(),
    }),
    ConversationPage,
  ),
  /** The business numbers conversations can be filtered by (names only). */
  listBusinessNumbers: call(Empty, BusinessNumberOptions),
  /** One conversation the agent may see: the local copy, else the server's (then kept); hidden ones are not found. */
  getConversation: call(z.object({ conversationId: Id }), ConversationSummary),
  listMessages: call(z.object({ conversationId: Id, cursor: Cursor.optional(), limit: z.number().int().min(1).max(200).optional() }), MessagePage),
  /** Resolve, reopen, mark pending or snooze until a time (the server checks and audits it); answers the conversation as it stands now. */
  changeConversationState: call(z.object({ conversationId: Id, change: ChangeConversationStateBody }).strict(), ConversationSummary),
  /** The conversation's history entries (state changes, assignments: system lines), newest first; local copy first. */
  listConversationHistory: call(z.object({ conversationId: Id, cursor: Cursor.optional(), limit: z.number().int().min(1).max(200).optional() }), HistoryPage),
  /** The contact's earlier conversations on the same number, newest first, from the server (online only). */
  listEarlierConversations: call(
    z.object({ conversationId: Id, cursor: Cursor.optional(), limit: z.number().int().min(1).max(200).optional() }),
    ConversationPage,
  ),
  /** Puts the message in the outbox and sends it now if the server can be reached. */
  sendMessage: call(ComposeMessage, OutboxEntry),
  /** Messages of a conversation not yet accepted by the server (pending or refused). */
  listOutbox: call(z.object({ conversationId: Id }), z.object({ entries: z.array(OutboxEntry) })),
  /** `confirmedCode`: the server held it as looking like it carries a code, and the agent sends it anyway (audited). */
  retryOutbox: call(z.object({ clientMessageId: z.uuid(), confirmedCode: z.literal(true).optional() }), OutboxEntry),
  discardOutbox: call(z.object({ clientMessageId: z.uuid() }), Done),
  markRead: call(z.object({ conversationId: Id }), Done),
  /** A conversation's internal notes, newest first: the local copy, else the server's (then kept). */
  listNotes: call(z.object({ conversationId: Id, cursor: Cursor.optional(), limit: z.number().int().min(1).max(200).optional() }), NotePage),
  /** Adds an internal note (never sent to the customer) when the server can be reached; `clientNoteId`: made once per note, so a retry adds it once. */
  addNote: call(z.object({ conversationId: Id, clientNoteId: z.uuid(), body: z.string().max(NOTE_TEXT_BOUND) }).strict(), NoteView),
  /** The colleagues a note in this conversation may mention: those who may see it. */
  listMentionable: call(z.object({ conversationId: Id }), MentionableAgents),
  /** Hand-over (the server checks who may, and audits it); `conversation` null: it left this agent's view, and their cache. */
  transferConversation: call(z.object({ conversationId: Id, transfer: TransferBody }).strict(), HandedOver),
  claimConversation: call(z.object({ conversationId: Id }).strict(), HandedOver),
  unassignConversation: call(z.object({ conversationId: Id, fromAgentId: Id }).strict(), HandedOver),
  /** A supervisor's reassignment of many conversations at once: all or nothing (a refusal names the conversations it is about: `conversationIds`). */
  bulkReassign: call(BulkReassignBody, BulkReassigned),
  /** Blocks the conversation's customer on its number, with a reason (the server checks who may, and audits it); answers the conversation with its block. */
  blockCustomer: call(z.object({ conversationId: Id, reason: BlockCustomerBody.shape.reason }).strict(), ConversationSummary),
  /** Unblocks the conversation's customer: a supervisor of its team only. */
  unblockCustomer: call(z.object({ conversationId: Id }).strict(), ConversationSummary),
  /** The customer's masked number, unmasked for this agent alone, with a reason (the server audits it, never the number); never cached. */
  revealCustomerNumber: call(z.object({ conversationId: Id, reason: RevealNumberBody.shape.reason }).strict(), RevealedNumber),
  /** What personal data was asked of the conversation's customer and why, and their answers on promotions; online only, never kept. */
  conversationPersonalData: call(z.object({ conversationId: Id }).strict(), ContactPersonalData),
  /** Records the customer's answer to a promotions request (the server checks who may, and audits it). */
  recordConsent: call(z.object({ conversationId: Id }).extend(RecordConsentBody.shape).strict(), ConsentView),
  /** Whom a conversation may be transferred to: teams and their members, each marked when at capacity. */
  listTransferTargets: call(z.object({ conversationId: Id }).strict(), TransferTargets),
  /** Searches the local copy of the inbox (message text, internal notes and contact names, accents ignored). */
  search: call(
    z.object({ query: z.string().trim().min(1).max(200), limit: z.number().int().min(1).max(100).optional(), number: NumberFilter.optional() }),
    z.object({ hits: z.array(SearchHit) }),
  ),
  /** The bytes of a stored file, for previews (images, stickers, audio); larger files are refused. */
  getMedia: call(z.object({ mediaId: Id }), MediaBytes),
  /** Opens the native file dialog in main, checks and uploads the chosen file; null when cancelled. */
  pickAttachment: call(z.object({ conversationId: Id }), Attachment.nullable()),
  /** The agent's availability and time zone (the workstation's until they pick one), and whether the desk counts them online. */
  getMyStatus: call(Empty, MyStatus),
  /** Available or away: away takes no new conversations. */
  setAvailability: call(z.object({ available: z.boolean() }), MyStatus),
  /** The agent picks their time zone: times are shown in it, and the workstation's no longer replaces it. */
  setTimeZone: call(z.object({ timeZone: TimeZone }), MyStatus),
  /** The conversation the inbox shows now (null: none): the other agents who may see it are told. */
  viewConversation: call(z.object({ conversationId: Id.nullable() }), Done),
  /** A key typed in the composer of the conversation shown (main debounces): the others see "typing", and so does the customer. */
  typingIn: call(z.object({ conversationId: Id }), Done),
  /** The supervisor view: the queues and members' load and presence of the teams the agent supervises (from the server; online only). */
  getSupervisorOverview: call(Empty, SupervisorOverview),
  /** The conversations of a supervised team that one of its members holds (from the server; online only, not cached): what bulkReassign picks from. */
  listMemberConversations: call(z.object({ teamId: Id, agentId: Id }).strict(), MemberConversations),
  /** Opens an https link in the browser after the user confirms the real host in a native dialog. */
  openLink: call(z.object({ url: z.string().max(4096) }), z.object({ opened: z.boolean() })),
  adminListDevices: call(Empty, DeviceList),
  adminLookupPairing: call(z.object({ code: PairingCode }), PairingForApproval),
  /** `replaceKey`: the admin confirmed that approving replaces an active device's key. */
  adminApprovePairing: call(z.object({ code: PairingCode, replaceKey: z.boolean().optional() }), DeviceView),
  adminRejectPairing: call(z.object({ code: PairingCode }), DeviceView),
  adminRevokeDevice: call(z.object({ deviceId: Id, reason: z.string().trim().min(1).max(500) }), DeviceView),
  /** The business numbers with their health, and webhooks from numbers not served (never a token). */
  adminListNumbers: call(Empty, BusinessNumberList),
  /** The token and app secret go on to the server once, which seals them; the answer is the public record. */
  adminAddNumber: call(AddNumberRequest.strict(), BusinessNumberView),
  adminRotateNumberToken: call(RotateNumberTokenRequest.extend({ phoneNumberId: PhoneNumberId }).strict(), BusinessNumberView),
  /** Refused while the number has conversations unless moveConversationsTo names another number. */
  adminRemoveNumber: call(z.object({ phoneNumberId: PhoneNumberId, moveConversationsTo: PhoneNumberId.optional() }).strict(), NumberRemoved),
  adminListAgents: call(Empty, z.object({ agents: z.array(AgentView) })),
  adminCreateAgent: call(z.object({ username: Username, displayName: z.string().trim().min(1).max(100), roles: Roles }), EnrollmentIssued),
  adminSetAgentRoles: call(z.object({ agentId: Id, roles: Roles }).strict(), AgentView),
  adminDisableAgent: call(z.object({ agentId: Id }), AgentView),
  /** Teams: members with capacities, supervisors; counts of conversations, never which. */
  adminListTeams: call(Empty, TeamList),
  adminCreateTeam: call(CreateTeamRequest.strict(), TeamView),
  adminUpdateTeam: call(
    z
      .object({
        teamId: Id,
        name: TeamName.optional(),
        description: TeamDescription.nullable().optional(),
        offlineRequeueAfterSeconds: OfflineRequeueAfterSeconds.optional(),
      })
      .strict(),
    TeamView,
  ),
  /** Refused while the team holds conversations unless moveConversationsTo names another team. */
  adminRemoveTeam: call(z.object({ teamId: Id, moveConversationsTo: Id.optional() }).strict(), TeamRemoved),
  adminAddTeamMember: call(z.object({ teamId: Id, agentId: Id, capacity: Capacity }).strict(), TeamView),
  adminSetTeamCapacity: call(z.object({ teamId: Id, agentId: Id, capacity: Capacity }).strict(), TeamView),
  adminRemoveTeamMember: call(z.object({ teamId: Id, agentId: Id }).strict(), TeamView),
  adminAddTeamSupervisor: call(z.object({ teamId: Id, agentId: Id }).strict(), TeamView),
  adminRemoveTeamSupervisor: call(z.object({ teamId: Id, agentId: Id }).strict(), TeamView),
  /** The team a number's new conversations go to; null: the default team. */
  adminSetNumberTeam: call(z.object({ phoneNumberId: PhoneNumberId, teamId: Id.nullable() }).strict(), BusinessNumberView),
  /** Routing rules: which team a new conversation goes to, tried in order. */
  adminListRoutingRules: call(Empty, RoutingRuleList),
  adminCreateRoutingRule: call(CreateRoutingRuleRequest, RoutingRuleView),
  adminUpdateRoutingRule: call(
    z.object({ ruleId: Id, condition: RoutingCondition.optional(), teamId: Id.optional(), enabled: z.boolean().optional() }).strict(),
    RoutingRuleView,
  ),
  adminMoveRoutingRule: call(z.object({ ruleId: Id, position: z.number().int().positive() }).strict(), RoutingRuleList),
  adminRemoveRoutingRule: call(z.object({ ruleId: Id }).strict(), RoutingRuleRemoved),
  adminUnlockAgent: call(z.object({ agentId: Id }), AgentView),
  /** Who is signed in where: every live session. */
  adminListSessions: call(Empty, SessionList),
  /** Ends one session (audited): its workstation is signed out at once. */
  adminEndSession: call(z.object({ sessionId: Id }).strict(), SessionView),
  /** The audit log, newest first, filtered; older pages with `before` (the last page's nextBefore). */
  adminListAudit: call(AuditListFields.partial({ limit: true }).strict().refine(rangeInOrder, RANGE_OUT_OF_ORDER), AuditPage),
  /** Recomputes the audit chain (as the admin CLI's audit verify does), audited. */
  adminVerifyAudit: call(Empty, AuditVerification),
  /** The quick replies this agent may insert (the global ones and their teams'), from the server. */
  listQuickReplies: call(Empty, QuickReplyList),
  /** The labels this agent may put on conversations and filter by. */
  listLabels: call(Empty, LabelList),
  /** Puts a label on a conversation (`on`) or takes it off; the answer is the conversation as it is now (its viewers hear of it by the feed). */
  setConversationLabel: call(z.object({ conversationId: Id, labelId: Id, on: z.boolean() }).strict(), ConversationSummary),
  /** The quick replies of the scopes this agent manages (global: administrators; a team's: its supervisors). */
  manageListQuickReplies: call(Empty, ManagedQuickReplies),
  /** Adds a quick reply (`id` absent) or changes one; a text with an unknown variable is refused. */
  manageSaveQuickReply: call(z.object({ id: Id.optional(), reply: QuickReplyRequest }).strict(), QuickReplyView),
  manageRemoveQuickReply: call(z.object({ id: Id }).strict(), Done),
  manageListLabels: call(Empty, ManagedLabels),
  manageSaveLabel: call(z.object({ id: Id.optional(), label: LabelRequest }).strict(), LabelView),
  manageRemoveLabel: call(z.object({ id: Id }).strict(), Done),
  /** A team's business hours and away message: the server lets admins and the team's supervisors read and change them. */
  getTeamHours: call(z.object({ teamId: Id }).strict(), TeamHoursView),
  setTeamHours: call(SetTeamHoursRequest.extend({ teamId: Id }).strict(), TeamHoursView),
  /** The safety policy this workstation holds (read at sign-in, on every reconnect and when the server says it changed). */
  getSafetyPolicy: call(Empty, SafetyPolicyView),
  /** The safety policy with who changed it last, from the server (admins). */
  adminGetSafetyPolicy: call(Empty, AdminSafetyPolicyView),
  /** Replaces the safety policy made from `version`: refused `safety_policy_changed` when someone changed it meanwhile. */
  adminSetSafetyPolicy: call(ChangeSafetyPolicyRequest, AdminSafetyPolicyView),
  /** The security briefing in force and where the signed-in agent stands with it (the briefing screen, and the inbox). */
  getBriefing: call(Empty, AgentBriefingView),
  /** Acknowledges every rule of the version shown: the inbox opens once nothing more is required (the state tells). */
  acknowledgeBriefing: call(AcknowledgeBriefingRequest, AgentBriefingView),
  /** The briefing in force with who published it (admins). */
  adminGetBriefing: call(Empty, BriefingVersionView),
  /** Publishes a new version, whole, made from `fromVersion`: refused `briefing_changed` when another was published meanwhile. */
  adminPublishBriefing: call(PublishBriefingRequest, BriefingVersionView),
  /** Who has acknowledged which version (admins). */
  adminListBriefingAcknowledgements: call(Empty, BriefingAcknowledgementsView),
  /** Which payment provider is set and whether a payment can be requested (from the server; no secret). */
  getPaymentProvider: call(Empty, PaymentProviderView),
  /** Sends the customer a payment link as this agent's message (the server makes it, records it; one per idempotency key). */
  requestPayment: call(CreatePaymentRequestBody, PaymentRequestCreated),
  /** The payments requested in a conversation (from the server; online only). */
  listPaymentRequests: call(z.object({ conversationId: Id }).strict(), PaymentRequestList),
  /** The payment provider with who changed it last (admins; never the Stripe key). */
  adminGetPaymentProvider: call(Empty, AdminPaymentProviderView),
  /** Sets the payment provider: the Stripe key goes on to the server once, which seals it. */
  adminSetPaymentProvider: call(SetPaymentProviderRequest, AdminPaymentProviderView),
  ...TEMPLATE_CALLS,
  ...SCHEDULE_CALLS,
  ...ANALYTICS_CALLS,
} as const;

export type IpcCalls = typeof IPC_CALLS;
export type IpcCallName = keyof IpcCalls;
export type IpcRequest<N extends IpcCallName> = z.input<IpcCalls[N]['request']>;
export type IpcParsedRequest<N extends IpcCallName> = z.output<IpcCalls[N]['request']>;
export type IpcResponse<N extends IpcCallName> = z.output<IpcCalls[N]['response']>;
export const IPC_CALL_NAMES = Object.keys(IPC_CALLS) as IpcCallName[];

export const IPC_EVENTS = {
  /** The screen main allows now. */
  state: AppState,
  /** Inbox changes from the server's feed, and resync requests. */
  inbox: z.union([FeedEvent, ControlEvent]),
  connection: ConnectionState,
  /** An outbox entry changed (sent, refused, retried). */
  outbox: OutboxEntry,
  /** Who else is viewing or typing in a conversation this agent may see (ephemeral, never kept). */
  presence: EphemeralEvent,
  /** The agent's availability or time zone changed. */
  myStatus: MyStatus,
  /** The safety policy changed (the workstation read it again): the screens check and show the new one. */
  safetyPolicy: SafetyPolicyView,
  /** A message template changed (Meta's status, category or quality, or a sync), as it now is: the picker and the templates screen show it at once. */
  template: StoredTemplate,
} as const;

export type IpcEvents = typeof IPC_EVENTS;
export type IpcEventName = keyof IpcEvents;
export type IpcEventPayload<N extends IpcEventName> = z.output<IpcEvents[N]>;
export const IPC_EVENT_NAMES = Object.keys(IPC_EVENTS) as IpcEventName[];

/** Electron channel names: one per call, one for every event. */
export const IPC_CHANNEL_PREFIX = 'sportello:';
export const IPC_EVENT_CHANNEL = 'sportello:event';
export function callChannel(name: IpcCallName): string {
  return `${IPC_CHANNEL_PREFIX}${name}`;
}

/** The API the preload exposes as window.sportello. */
export type SportelloApi = {
  readonly [N in IpcCallName]: (request: IpcRequest<N>) => Promise<IpcResult<IpcResponse<N>>>;
} & {
  on<E extends IpcEventName>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void;
};
