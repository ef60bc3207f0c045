/**
 * The order of a list of conversations, in one place for the server's lists, the client's cache,
 * its coverage of each list, and the renderer: the team queue (unassigned and open) oldest waiting
 * first, by since when each waits (`queuedSince`, ties by id), the way it is worked; every other
 * list newest activity first (by the latest message, ties by id). A conversation of no team waits
 * in no queue (`queuedSince` null): it comes after those that do. A page's cursor is the position
 * of its last item in its list's order, so a page started in one side is continued in the other.
 */
import type { ConversationState } from './conversation-lifecycle.js';
import type { ConversationFilter } from './inbox.js';
import type { PagePosition } from './page-cursor.js';

export type ConversationOrder = 'oldest_waiting_first' | 'newest_first';

/** Where a conversation waiting in no queue stands in the queue's order: after every one that waits (a cursor's largest time). */
export const NOT_WAITING = Number.MAX_SAFE_INTEGER;

export function conversationOrder(filter: ConversationFilter, state: ConversationState): ConversationOrder {
  return filter === 'unassigned' && state === 'open' ? 'oldest_waiting_first' : 'newest_first';
}

/** A conversation's position in a list of that order: its time there and its id. */
export function conversationPosition(
  order: ConversationOrder,
  conversation: { readonly id: number; readonly lastMessageAt: number | null; readonly queuedSince: number | null },
): PagePosition {
  return order === 'oldest_waiting_first' ? [conversation.queuedSince ?? NOT_WAITING, conversation.id] : [conversation.lastMessageAt ?? 0, conversation.id];
}

/** Negative when `a` comes before `b` in a list of that order, zero when they are the same place. */
export function comparePositionsIn(order: ConversationOrder, a: PagePosition, b: PagePosition): number {
  return order === 'oldest_waiting_first' ? a[0] - b[0] || a[1] - b[1] : b[0] - a[0] || b[1] - a[1];
}
