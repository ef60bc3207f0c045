/** Conversations and messages as the client API serves them, for tests that fill a cache by hand. */
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import type { ConversationSummary, MessageView } from '../../common/api/inbox.js';
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
    teamId: TEST_TEAM,
    teamName: 'General',
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
