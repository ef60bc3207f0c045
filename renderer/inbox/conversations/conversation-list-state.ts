/**
 * The loaded part of one filtered conversation list, kept in the server's order (newest activity
 * first, but the queue oldest waiting first: common/api/conversation-order.ts), as pages arrive
 * and as the feed reports conversations' current state.
 */
import type { ConversationOrder } from '../../../common/api/conversation-order.js';
import { comparePositionsIn, conversationPosition } from '../../../common/api/conversation-order.js';
import type { ConversationState } from '../../../common/api/conversation-lifecycle.js';
import type { ConversationFilter, ConversationSummary } from '../../../common/api/inbox.js';

export interface ConversationListState {
  readonly items: readonly ConversationSummary[];
  /** null once the last page is loaded. */
  readonly nextCursor: string | null;
  /** False until the first page has arrived. */
  readonly loaded: boolean;
}

export const EMPTY_LIST: ConversationListState = { items: [], nextCursor: null, loaded: false };

/** Negative when `a` comes before `b` in a list of that order. */
export function compareConversations(order: ConversationOrder, a: ConversationSummary, b: ConversationSummary): number {
  return comparePositionsIn(order, conversationPosition(order, a), conversationPosition(order, b));
}

export function matchesFilter(conversation: ConversationSummary, filter: ConversationFilter, state: ConversationState, agentId: number): boolean {
  if (conversation.state !== state) return false;
  switch (filter) {
    case 'mine':
      return conversation.assignedAgentId === agentId;
    case 'unassigned':
      return conversation.assignedAgentId === null;
    case 'all':
      return true;
  }
}

/** A page from the server; it replaces anything already held for the same ids. */
export function appendPage(
  state: ConversationListState,
  page: readonly ConversationSummary[],
  nextCursor: string | null,
  order: ConversationOrder = 'newest_first',
): ConversationListState {
  const incoming = new Set(page.map((conversation) => conversation.id));
  const kept = state.items.filter((conversation) => !incoming.has(conversation.id));
  return { items: [...kept, ...page].sort((a, b) => compareConversations(order, a, b)), nextCursor, loaded: true };
}

function insertionIndex(items: readonly ConversationSummary[], conversation: ConversationSummary, order: ConversationOrder): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    const item = items[middle];
    if (item !== undefined && compareConversations(order, item, conversation) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * A conversation's current state from the feed. One that no longer matches the filter leaves the
 * list; one that would sort after the loaded pages is left for its page to bring, so it is never
 * listed twice.
 */
export function upsertConversation(
  state: ConversationListState,
  conversation: ConversationSummary,
  matches: boolean,
  order: ConversationOrder = 'newest_first',
): ConversationListState {
  const items = state.items.filter((item) => item.id !== conversation.id);
  if (!matches) return items.length === state.items.length ? state : { ...state, items };
  const index = insertionIndex(items, conversation, order);
  if (index === items.length && state.nextCursor !== null) return { ...state, items };
  return { ...state, items: [...items.slice(0, index), conversation, ...items.slice(index)] };
}

export function removeConversation(state: ConversationListState, conversationId: number): ConversationListState {
  const items = state.items.filter((item) => item.id !== conversationId);
  return items.length === state.items.length ? state : { ...state, items };
}

export function customerName(conversation: ConversationSummary): string {
  const { name, phone, username, phoneMasked } = conversation.customer;
  // A masked number comes ready to show (`+39 347 ••• ••01`); a full one is written with its `+`.
  return name ?? (phone === null ? null : phoneMasked === true ? phone : `+${phone}`) ?? username ?? `#${conversation.customer.contactId}`;
}

/** A status event for the conversation's last message moves the tick shown in the list. */
export function applyLastMessageStatus(state: ConversationListState, conversationId: number, messageId: number, status: string): ConversationListState {
  let changed = false;
  const items = state.items.map((item) => {
    if (item.id !== conversationId || item.lastMessage?.id !== messageId || item.lastMessage.status === status) return item;
    changed = true;
    return { ...item, lastMessage: { ...item.lastMessage, status } };
  });
  return changed ? { ...state, items } : state;
}
