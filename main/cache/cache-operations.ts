/**
 * The cache's named operations, as the worker runs them on the open store. Each is one turn of
 * the worker: where main used to make several calls in a row with nothing in between (a page and
 * how far the cache vouches for its list, a visibility check and the media it guards, a page
 * stored and its coverage extended), they are one operation here, so they stay that atomic.
 * Arguments and results cross by structured clone: plain data only.
 */
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import type { ConversationHistoryEntry, ConversationState } from '../../common/api/conversation-lifecycle.js';
import type { FeedEvent } from '../../common/api/events.js';
import type { ConversationFilter, ConversationSummary, MessageView } from '../../common/api/inbox.js';
import type { NoteView } from '../../common/api/notes.js';
import type { ComposeMessage } from '../../common/ipc/contract.js';
import type { ReminderView, ScheduledMessageView } from '../../common/schedule/scheduled-message.js';
import type { CacheOperationName } from './cache-protocol.js';
import type { Coverage, CoveredList } from './page-coverage.js';
import type { CacheStore } from './cache-store.js';

/** How far a page read from the server lets its list's coverage go, as of the forgettings counted before the read. */
export interface CoverageExtension {
  readonly reached: Coverage;
  readonly forgets: number;
}

export const CACHE_OPERATIONS = {
  lastSeq: (store: CacheStore) => store.inbox.lastSeq,
  applyFeed: (store: CacheStore, events: readonly FeedEvent[], lastSeq: number) => store.inbox.applyFeed(events, lastSeq),
  /** The feed is live from `lastSeq`: moves the position on, and says whether the cache holds no conversation the viewer may see. */
  markReady: (store: CacheStore, viewer: ConversationViewer, lastSeq: number) => {
    const empty = store.inbox.listConversations(viewer, 'all', undefined, 1).items.length === 0;
    if (lastSeq > store.inbox.lastSeq) store.inbox.setLastSeq(lastSeq);
    return { empty };
  },
  /** The server could not replay the gap: every cached conversation goes, and the feed restarts at `lastSeq`. */
  resetTo: (store: CacheStore, lastSeq: number) => {
    store.inbox.forgetAllConversations();
    store.inbox.setLastSeq(lastSeq);
  },
  /** The agent's view from now on: what lies outside it goes (conversation-access.ts). */
  followView: (store: CacheStore, viewer: ConversationViewer) => store.inbox.followView(viewer),
  conversation: (store: CacheStore, id: number) => store.inbox.conversation(id),
  storePage: (
    store: CacheStore,
    page: { conversations?: readonly ConversationSummary[]; messages?: readonly MessageView[]; history?: readonly ConversationHistoryEntry[] },
    seq: number,
  ) => store.inbox.storePage(page, seq),
  readConversations: (
    store: CacheStore,
    viewer: ConversationViewer,
    list: { filter: ConversationFilter; state: ConversationState; label?: number | undefined },
    cursor: string | undefined,
    limit: number,
    number: string | undefined,
  ) => ({
    coverage: store.inbox.coverage.vouchedFor({ kind: 'conversations', ...list, number }),
    page: store.inbox.listConversations(viewer, list.filter, cursor, limit, number, list.state, list.label),
  }),
  readMessages: (store: CacheStore, conversationId: number, cursor: string | undefined, limit: number) => ({
    coverage: store.inbox.coverage.vouchedFor({ kind: 'messages', conversationId }),
    page: store.inbox.listMessages(conversationId, cursor, limit),
  }),
  readNotes: (store: CacheStore, conversationId: number, cursor: string | undefined, limit: number) => ({
    coverage: store.inbox.coverage.vouchedFor({ kind: 'notes', conversationId }),
    page: store.notes.listNotes(conversationId, cursor, limit),
  }),
  readHistory: (store: CacheStore, conversationId: number, cursor: string | undefined, limit: number) => ({
    coverage: store.inbox.coverage.vouchedFor({ kind: 'history', conversationId }),
    page: store.inbox.history.list(conversationId, cursor, limit),
  }),
  /** What a read from the server is labelled with before it is sent. */
  listState: (store: CacheStore, list: CoveredList) => ({
    coverage: store.inbox.coverage.vouchedFor(list),
    forgets: store.inbox.coverage.forgets,
    lastSeq: store.inbox.lastSeq,
  }),
  storeConversations: (
    store: CacheStore,
    list: { filter: ConversationFilter; state: ConversationState; number: string | undefined; label?: number | undefined },
    items: readonly ConversationSummary[],
    seq: number,
    extension: CoverageExtension | undefined,
  ) => {
    store.inbox.storePage({ conversations: items }, seq);
    if (extension !== undefined) store.inbox.coverage.extend({ kind: 'conversations', ...list }, extension.reached, extension.forgets);
  },
  storeMessages: (store: CacheStore, conversationId: number, items: readonly MessageView[], seq: number, extension: CoverageExtension | undefined) => {
    // Only beside its conversation: a page answered before a change of view may arrive after it.
    if (!store.inbox.holdsConversation(conversationId)) return;
    store.inbox.storePage({ messages: items }, seq);
    if (extension !== undefined) store.inbox.coverage.extend({ kind: 'messages', conversationId }, extension.reached, extension.forgets);
  },
  storeNotes: (store: CacheStore, conversationId: number, items: readonly NoteView[], seq: number, extension: CoverageExtension | undefined) => {
    if (!store.inbox.holdsConversation(conversationId)) return;
    store.notes.store(items, seq);
    if (extension !== undefined) store.inbox.coverage.extend({ kind: 'notes', conversationId }, extension.reached, extension.forgets);
  },
  /** A note the agent just added, as the server answered it, as of `askedAt`. */
  keepNote: (store: CacheStore, note: NoteView, askedAt: number) => {
    if (store.inbox.holdsConversation(note.conversationId)) store.notes.store([note], askedAt);
  },
  storeHistory: (
    store: CacheStore,
    conversationId: number,
    items: readonly ConversationHistoryEntry[],
    seq: number,
    extension: CoverageExtension | undefined,
  ) => {
    if (!store.inbox.holdsConversation(conversationId)) return;
    store.inbox.storePage({ history: items }, seq);
    if (extension !== undefined) store.inbox.coverage.extend({ kind: 'history', conversationId }, extension.reached, extension.forgets);
  },
  /** A conversation's scheduled messages and the agent's reminder as the cache holds them; undefined when it does not hold the conversation. */
  readSchedule: (store: CacheStore, conversationId: number) =>
    store.schedule.holds(conversationId)
      ? { scheduled: store.schedule.scheduled(conversationId), reminders: store.schedule.reminders(conversationId) }
      : undefined,
  /** A conversation's lists as the server answered them, read at feed position `seq` (kept only beside the conversation). */
  storeSchedule: (
    store: CacheStore,
    conversationId: number,
    lists: { scheduled?: readonly ScheduledMessageView[]; reminders?: readonly ReminderView[] },
    seq: number,
  ) => store.schedule.store(conversationId, lists, seq),
  /** Contacts and messages, then notes, each newest or best first. */
  search: (store: CacheStore, viewer: ConversationViewer, query: string, limit: number, number: string | undefined) => [
    ...store.inbox.search(viewer, query, limit, number),
    ...store.notes.search(viewer, query, limit, number),
  ],
  numbersSeen: (store: CacheStore, viewer: ConversationViewer) => store.inbox.numbersSeen(viewer),
  /** The cached bytes, only for a cached message of a conversation the viewer may still see. */
  cachedMedia: (store: CacheStore, viewer: ConversationViewer, mediaId: number) =>
    store.inbox.showsMedia(viewer, mediaId) ? store.media.get(mediaId) : undefined,
  /** Keeps downloaded bytes only beside such a message, judged now (a hand-over may have come while they travelled). */
  keepMedia: (store: CacheStore, viewer: ConversationViewer, mediaId: number, mimeType: string, bytes: Uint8Array) => {
    if (store.inbox.showsMedia(viewer, mediaId)) store.media.put(mediaId, mimeType, bytes);
  },
  outboxAdd: (store: CacheStore, compose: ComposeMessage, now: number) => store.outbox.add(compose, now),
  outboxGet: (store: CacheStore, clientMessageId: string) => store.outbox.get(clientMessageId),
  outboxList: (store: CacheStore, conversationId: number) => store.outbox.list(conversationId),
  outboxDue: (store: CacheStore) => store.outbox.due(),
  outboxBlocked: (store: CacheStore) => store.outbox.blockedConversations(),
  /** Marks the entry being sent, and answers the feed position it is sent at. */
  outboxMarkSending: (store: CacheStore, clientMessageId: string, now: number) => {
    store.outbox.markSending(clientMessageId, now);
    return store.inbox.lastSeq;
  },
  outboxMarkPending: (store: CacheStore, clientMessageId: string, now: number) => store.outbox.markPending(clientMessageId, now),
  outboxMarkFailed: (store: CacheStore, clientMessageId: string, error: { code: string; message: string }, now: number) =>
    store.outbox.markFailed(clientMessageId, error, now),
  /**
   * The entry as it waits now, put back to pending for another try (with the agent's confirmation
   * of a code, when given); undefined when it is gone.
   */
  outboxRetry: (store: CacheStore, clientMessageId: string, now: number, confirmedCode: boolean) => {
    const entry = store.outbox.get(clientMessageId);
    if (entry === undefined) return undefined;
    if (confirmedCode) store.outbox.confirmCode(clientMessageId);
    store.outbox.markPending(clientMessageId, now);
    return entry;
  },
  /** The server has it: the entry leaves the outbox and the message joins the cache, as of `askedAt`, in one transaction. */
  outboxComplete: (store: CacheStore, clientMessageId: string, message: MessageView, askedAt: number) =>
    store.outbox.complete(clientMessageId, (sent) => store.inbox.storePage({ messages: [sent] }, askedAt), message),
  outboxRemove: (store: CacheStore, clientMessageId: string) => store.outbox.remove(clientMessageId),
} satisfies { readonly [N in CacheOperationName]: (store: CacheStore, ...args: never[]) => unknown };

export type CacheOperations = typeof CACHE_OPERATIONS;
