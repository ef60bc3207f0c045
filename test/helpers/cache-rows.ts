/** Conversations and messages as the client API serves them, for tests that fill a cache by hand. */
import type { ConversationSummary, MessageView } from '../../common/api/inbox.js';

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
