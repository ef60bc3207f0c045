/** Conversations, messages and notes as the client API serves them, for tests that fill a cache by hand. */
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import type { ConversationSummary, MessageView } from '../../common/api/inbox.js';
import type { NoteView } from '../../common/api/notes.js';
import type { Role } from '../../common/api/session.js';

/** The team every test conversation belongs to unless it says otherwise: the store's first team ("General", migration 0013). */
export const TEST_TEAM = 1;

/** A viewer in the test team: a member of it, and its supervisor when a supervisor. */
export function teamViewer(agentId: number, role: Role = 'agent'): ConversationViewer {
  return { agentId, roles: [role], memberOf: role === 'agent' ? [TEST_TEAM] : [], supervises: role === 'supervisor' ? [TEST_TEAM] : [] };
}

export function conversationView(id: number, changes: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    id,
    customer: { contactId: id, name: null, phone: null, username: null },
    businessPhoneNumberId: '100000000000001',
    businessNumberName: 'Sportello Support',
    lastMessage: null,
    lastMessageAt: 1_700_000_000_000 + id,
    lastInboundAt: 1_700_000_000_000 + id,
    windowClosesAt: null,
    unreadCount: 1,
    assignedAgentId: null,
    state: 'open',
    snoozedUntil: null,
    resolvedAt: null,
    resolvedBy: null,
    previousConversationId: null,
    teamId: TEST_TEAM,
    teamName: 'General',
    labels: [],
    assignee: null,
    queuedSince: null,
    block: null,
    ...changes,
  };
}

/** A text message from the customer unless `changes` says otherwise. */
export function textMessageView(id: number, conversationId: number, text: string, changes: Partial<MessageView> = {}): MessageView {
  return {
    id,
    conversationId,
    wamid: `wamid.${id}`,
    direction: 'inbound',
    origin: 'customer',
    content: { type: 'text', body: text },
    sentAt: 1_700_000_000_000 + id,
    status: 'received',
    statusAt: null,
    error: null,
    replyToMessageId: null,
    forwarded: false,
    reactions: [],
    editedAt: null,
    deletedAt: null,
    media: null,
    sentByAgentId: null,
    ...changes,
  };
}

/** A note as the client API serves it, by `author` (agent 1 unless said). */
export function noteView(id: number, conversationId: number, body: string, changes: Partial<NoteView> = {}): NoteView {
  return {
    id,
    conversationId,
    author: { agentId: 1, username: 'anna', displayName: 'Anna' },
    body,
    createdAt: 1_700_000_100_000 + id,
    mentions: [],
    ...changes,
  };
}

/** What cache schema 5 (notes) added, for tests that make a cache as an earlier version left it, so it applies again. */
export const WITHOUT_SCHEMA_5 = `drop trigger conversations_take_their_notes; drop trigger forgotten_conversations_take_their_notes;
  drop trigger forgotten_again_take_their_notes; drop table notes_fts; drop table notes;`;

/** Undoes cache schema 6 (conversation states and their history), for tests that start from an older cache. */
export const WITHOUT_SCHEMA_6 = 'drop table history_entries; drop index conversations_by_state; alter table conversations drop column state;';

/** Undoes cache schema 7 (each conversation's team), for tests that start from an older cache. */
export const WITHOUT_SCHEMA_7 = 'alter table conversations drop column team_id;';
/** Undoes cache migration 9 (the queue's order): no queue time column. */
/** Undoes cache migration 10 (scheduled messages and reminders): its triggers, then its tables. */
export const WITHOUT_SCHEMA_10 = `drop trigger conversations_take_their_schedule; drop trigger forgotten_conversations_take_their_schedule;
  drop trigger forgotten_again_take_their_schedule; drop table scheduled_messages; drop table reminders;`;
export const WITHOUT_SCHEMA_9 = 'drop index conversations_by_queue; alter table conversations drop column queued_since;';
