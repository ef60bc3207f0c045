/**
 * The tables of the inbox store, as Kysely sees them. Portable by design (docs/store.md):
 * times are integer epoch milliseconds, booleans 0/1 integers, JSON is text, ids are integers.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { IdentityTables } from './identity-schema.js';
import type { PresenceTables } from './presence-schema.js';
import type { ReplyTables } from './replies-schema.js';
import type { SafetyTables } from './safety-schema.js';
import type { BlockTables } from './blocks-schema.js';
import type { PersonalDataTables } from './personal-data-schema.js';
import type { BriefingTables } from './briefing-schema.js';
import type { ScheduleTables } from './schedule-schema.js';
import type { PaymentTables } from './payments-schema.js';
import type { TemplateTables } from './templates-schema.js';
import type { AnalyticsTables } from './analytics-schema.js';

type Id = Generated<number>;

export interface ContactsTable {
  id: Id;
  /** The customer's phone number as WhatsApp reports it; missing for username-only customers. */
  wa_id: string | null;
  /** Business-scoped user id (BSUID); missing in older payloads. */
  user_id: string | null;
  parent_user_id: string | null;
  profile_name: string | null;
  username: string | null;
  marketing_preference: string | null;
  marketing_preference_at: number | null;
  /** A WhatsApp group's id (`group_id`) when the contact is a group, not a person: read-only, never routed or answered (0030). */
  group_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface ConversationsTable {
  id: Id;
  contact_id: number;
  business_phone_number_id: string;
  /** The customer's last message (Meta's timestamp): the 24-hour window runs from here. */
  last_inbound_at: number | null;
  last_message_at: number | null;
  last_message_id: number | null;
  unread_count: ColumnType<number, number | undefined, number>;
  /** The agent who owns the conversation (migration 0003); null: unassigned, any agent may take it. */
  assigned_agent_id: ColumnType<number | null, number | null | undefined, number | null>;
  assigned_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** The team it belongs to (migration 0013): its queue when unassigned, its supervisors' always. */
  team_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: number;
  updated_at: number;
  /** Where it stands (migration 0016): open, pending (waiting for the customer), snoozed (until `snoozed_until`), resolved. */
  state: ColumnType<ConversationStateValue, ConversationStateValue | undefined, ConversationStateValue>;
  state_changed_at: ColumnType<number | null, number | null | undefined, number | null>;
  snoozed_until: ColumnType<number | null, number | null | undefined, number | null>;
  /** Who resolved it and when: kept while it stays resolved (and after, until it is resolved again). */
  resolved_by_agent_id: ColumnType<number | null, number | null | undefined, number | null>;
  resolved_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** The contact's conversation on this number that was resolved before this one began, and who resolved it (for routing). */
  previous_conversation_id: ColumnType<number | null, number | null | undefined, number | null>;
  previous_resolved_by_agent_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** Since when it waits in its team's queue (migrations 0018, 0022): null when it is not queued; the queue's order. Written only by server/inbox/queue-wait.ts's rule. */
  queued_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** While it waits in the queue, the agent it was taken from (migration 0023): routing passes them over for it. Null once anyone holds it. */
  declined_by_agent_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export type ConversationStateValue = 'open' | 'pending' | 'snoozed' | 'resolved';

/** One change in a conversation's history (migration 0016): shown as a system line among its messages. */
export interface ConversationHistoryTable {
  id: Id;
  conversation_id: number;
  /** state: it moved to `state` (from `from_state`); assignment: it went to `assigned_agent_id` (null: back to the queue). */
  kind: 'state' | 'assignment' | 'payment';
  from_state: ConversationStateValue | null;
  state: ConversationStateValue | null;
  snoozed_until: number | null;
  assigned_agent_id: number | null;
  /** The agent who made the change; null when the customer's message or a snooze's time made it. */
  actor_agent_id: number | null;
  cause: 'agent' | 'customer' | 'timer' | 'routing';
  at: number;
  /**
   * The conversation's latest message when the change was made: the line is shown after it.
   * Meta's times are whole seconds, ours milliseconds, so times alone cannot order the two.
   */
  after_message_id: number | null;
  /** A transfer's team (migration 0019): the team it moved to; null when it stayed in its team. */
  team_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** That team's name when the line was written (migration 0026): the line keeps it once the team is removed and `team_id` cleared. */
  team_name: ColumnType<string | null, string | null | undefined, string | null>;
  /** A transfer's internal note (migration 0019), shown to the receiver; null: none. */
  note_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** A payment an agent asked for (kind `payment`, migration 0028). */
  payment_request_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export type MessageDirection = 'inbound' | 'outbound';
/** customer: the WhatsApp user; agent: sent through Sportello; business_app: a coexistence echo; automatic: the server's own (an away message, migration 0021). */
export type MessageOrigin = 'customer' | 'agent' | 'business_app' | 'automatic';

export interface MessagesTable {
  id: Id;
  /** Meta's message id; null for an outbound message until Meta has accepted it. */
  wamid: string | null;
  conversation_id: number;
  direction: MessageDirection;
  origin: MessageOrigin;
  type: string;
  content_json: string;
  meta_json: string | null;
  /** The message this one replies to. */
  context_wamid: string | null;
  /** Reactions, edits and revocations: the message they change. */
  amends_wamid: string | null;
  media_id: number | null;
  /** When it was written: Meta's timestamp for received messages, creation time for ours. */
  sent_at: number;
  received_at: number;
  status: string;
  status_rank: number;
  status_at: number | null;
  error_code: string | null;
  error_title: string | null;
  error_reason: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: number | null;
  edited_at: number | null;
  deleted_at: number | null;
  raw_json: string | null;
  /** Who sent it through Sportello (migration 0003); null for customers' messages and echoes. */
  sent_by_agent_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** When the latest attempt was handed out (PostgreSQL, several replicas: the pair limit counts these). */
  dispatched_at: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface MessageStatusesTable {
  id: Id;
  wamid: string;
  status: string;
  occurred_at: number;
  recipient_id: string | null;
  recipient_user_id: string | null;
  errors_json: string | null;
  /** conversation, pricing, biz_opaque_callback_data … as Meta sent them. */
  details_json: string | null;
  received_at: number;
}

export interface ReactionsTable {
  id: Id;
  target_wamid: string;
  actor: 'customer' | 'business';
  emoji: string | null;
  reacted_at: number;
  source_wamid: string;
}

export type MediaState = 'pending' | 'stored' | 'failed';

/** What the byte check and the virus scanner made of a stored file (migration 0027); null while it is not stored. */
export type MediaScanState = 'scanning' | 'clean' | 'infected' | 'refused' | 'unscanned';

export interface MediaTable {
  id: Id;
  direction: MessageDirection;
  kind: string;
  /** Meta's media id: from the webhook (inbound) or from our upload (outbound). */
  graph_media_id: string | null;
  mime_type: string;
  declared_sha256: string | null;
  declared_size: number | null;
  filename: string | null;
  animated: number;
  state: MediaState;
  /** Hex SHA-256 of the stored bytes: also their name in the media folder. */
  sha256: string | null;
  size: number | null;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: number | null;
  last_error_code: string | null;
  last_error: string | null;
  graph_uploaded_at: number | null;
  created_at: number;
  updated_at: number;
  /** Outbound (migration 0005): the agent who uploaded it; null for customers' files and uploads made without a session. */
  uploaded_by_agent_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** Outbound (migration 0005): the one conversation it was sent in; null until sent, and for customers' files (their messages say). */
  sent_to_conversation_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** Migration 0027: the scan state, why (an attachment_* or scanner_* code) and when; the signature clamd named stays on the server. */
  scan_state: ColumnType<MediaScanState | null, MediaScanState | null | undefined, MediaScanState | null>;
  scan_reason: ColumnType<string | null, string | null | undefined, string | null>;
  scan_signature: ColumnType<string | null, string | null | undefined, string | null>;
  scanned_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** 1: the periodic rescan has still to scan this file again. */
  rescan_due: ColumnType<number, number | undefined, number>;
}

export interface BusinessEventsTable {
  id: Id;
  field: string;
  kind: string;
  waba_id: string | null;
  phone_number_id: string | null;
  occurred_at: number | null;
  payload_json: string;
  dedupe_key: string;
  received_at: number;
}

export interface WebhookQuarantineTable {
  id: Id;
  reason: string;
  payload: string;
  payload_sha256: string;
  received_at: number;
}

export interface ReadReceiptsTable {
  conversation_id: number;
  wamid: string;
  state: 'queued' | 'sent' | 'failed';
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: number | null;
  error_code: string | null;
  error_reason: string | null;
  updated_at: number;
}

export interface ChannelStateTable {
  phone_number_id: string;
  state: 'ok' | 'needs_reauthorization';
  error_code: string | null;
  reason: string | null;
  token_fingerprint: string | null;
  updated_at: number;
}

export type NumberHealthState = 'ok' | 'needs_reauthorization' | 'no_token';

/** A business number the server serves (migration 0012); its secrets sealed under the server key. */
export interface BusinessNumbersTable {
  id: Id;
  phone_number_id: string;
  /** The WhatsApp Business Account; null for a number carried over from before 0012 until an admin sets it. */
  waba_id: string | null;
  display_name: string;
  access_token_sealed: string | null;
  /** Null: the number's app is the one WHATSAPP_APP_SECRET names. */
  app_secret_sealed: string | null;
  /** The team a new conversation on this number goes to (server/inbox/team-placement.ts); null: the default team. */
  default_team_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** 1: the number the WHATSAPP_* settings name, seeded at every start. */
  from_environment: ColumnType<number, number | undefined, number>;
  health_state: NumberHealthState;
  health_error_code: string | null;
  health_reason: string | null;
  health_changed_at: number | null;
  created_at: number;
  updated_at: number;
}

/** A signed webhook naming a number that is not configured (migration 0012): kept, never applied. */
export interface UnknownNumberWebhooksTable {
  id: Id;
  phone_number_id: string;
  waba_id: string | null;
  /** not_configured | other_app (signed by another app than the number's). */
  reason: string;
  payload: string;
  payload_sha256: string;
  received_at: number;
}

/** A team (migration 0013). */
export interface TeamsTable {
  id: Id;
  /** Unique, compared without regard to case. */
  name: string;
  description: string | null;
  created_at: number;
  updated_at: number;
  /** How long a member may be offline before their open conversations of it go back to its queue (migration 0018); null: never. */
  offline_requeue_after_seconds: ColumnType<number | null, number | null | undefined, number | null>;
}

/** An agent in a team, with how many open conversations they can hold at once. */
export interface TeamMembersTable {
  team_id: number;
  agent_id: number;
  capacity: number;
  created_at: number;
  /** When routing last gave them a conversation of the team (migration 0018): the round robin. */
  last_assigned_at: ColumnType<number | null, number | null | undefined, number | null>;
}

/** An agent supervising a team: they see every conversation of it. */
export interface TeamSupervisorsTable {
  team_id: number;
  agent_id: number;
  created_at: number;
}

/** An internal note in a conversation (migration 0015): for colleagues, never sent to the customer. */
export interface NotesTable {
  id: Id;
  conversation_id: number;
  author_agent_id: number;
  body: string;
  /** The writer's key for this note: the same key from the same author adds it once. */
  client_note_id: string;
  created_at: number;
}

/** An agent a note mentions (migration 0015); `position`: the order the text names them in. */
export interface NoteMentionsTable {
  note_id: number;
  agent_id: number;
  position: number;
}

/**
 * A team's business hours and away message (migration 0021); no row: always open, nothing sent.
 * `time_zone`, `week_json` and `holidays_json` are null together: an away message kept without hours.
 */
export interface TeamHoursTable {
  team_id: number;
  time_zone: string | null;
  /** `BusinessHours['week']` of common/hours/business-hours.ts, as JSON. */
  week_json: string | null;
  /** `BusinessHours['holidays']`, as JSON. */
  holidays_json: string | null;
  away_message: string | null;
  updated_by_agent_id: number | null;
  updated_at: number;
}

/** An away message sent (migration 0021): one per conversation and quiet period (its first minute). */
export interface AwayMessagesTable {
  conversation_id: number;
  quiet_period_start: number;
  message_id: number;
  team_id: number | null;
  sent_at: number;
}

/** A routing rule (migration 0017): the team a new conversation goes to when its condition matches; the first enabled one in `position` order wins. */
export interface RoutingRulesTable {
  id: Id;
  /** 1 first; kept 1..n by every change. */
  position: number;
  /** 0 or 1: a disabled rule is kept but never matches. */
  enabled: number;
  /** number | keyword | language | referral */
  condition_kind: string;
  /** The condition's parameters (common/api/routing.ts `RoutingCondition`), as JSON text. */
  condition_json: string;
  /** The team it sends to; no foreign key: a rule naming a deleted team is skipped. */
  team_id: number;
  created_at: number;
  updated_at: number;
}

export interface InboxDatabase
  extends
    IdentityTables,
    PresenceTables,
    ReplyTables,
    SafetyTables,
    BlockTables,
    PersonalDataTables,
    BriefingTables,
    PaymentTables,
    TemplateTables,
    AnalyticsTables,
    ScheduleTables {
  routing_rules: RoutingRulesTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  team_supervisors: TeamSupervisorsTable;
  business_numbers: BusinessNumbersTable;
  unknown_number_webhooks: UnknownNumberWebhooksTable;
  contacts: ContactsTable;
  conversations: ConversationsTable;
  conversation_history: ConversationHistoryTable;
  messages: MessagesTable;
  message_statuses: MessageStatusesTable;
  reactions: ReactionsTable;
  media: MediaTable;
  business_events: BusinessEventsTable;
  webhook_quarantine: WebhookQuarantineTable;
  read_receipts: ReadReceiptsTable;
  channel_state: ChannelStateTable;
  notes: NotesTable;
  note_mentions: NoteMentionsTable;
  team_hours: TeamHoursTable;
  away_messages: AwayMessagesTable;
  /** Each number's next free send slot across replicas (migration 0036). */
  send_pacing: SendPacingTable;
}

export interface SendPacingTable {
  phone_number_id: string;
  next_free_us: number;
}

export type ContactRow = Selectable<ContactsTable>;
export type ConversationRow = Selectable<ConversationsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type NewMessage = Insertable<MessagesTable>;
export type MessageUpdate = Updateable<MessagesTable>;
export type MediaRow = Selectable<MediaTable>;
export type BusinessNumberRow = Selectable<BusinessNumbersTable>;
export type NoteRow = Selectable<NotesTable>;
export type TeamRow = Selectable<TeamsTable>;
