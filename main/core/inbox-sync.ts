/**
 * Keeps the cache in step with the server: feed events applied as they come (in seq order, each
 * row holding the newest state it has seen), pages fetched when the cache runs short, and a
 * clean reload when the feed cannot cover a gap. Reads are served from the cache first, but only
 * as far down a list as the cache knows it holds everything (page-coverage.ts): past that, a read
 * carries on at the server, and a page says "no more" only where the list really ends. The cache
 * answers from its worker: every read and write here is one of its named operations.
 */
import type { ConversationHistoryEntry, ConversationState } from '../../common/api/conversation-lifecycle.js';
import type { FeedEvent } from '../../common/api/events.js';
import type { ConversationFilter, ConversationPage, ConversationSummary, HistoryPage, MessagePage, MessageView } from '../../common/api/inbox.js';
import type { NotePage, NoteView } from '../../common/api/notes.js';
import type { PagePosition } from '../../common/api/page-cursor.js';
import { decodePageCursor, encodePageCursor } from '../../common/api/page-cursor.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { CoverageExtension } from '../cache/cache-operations.js';
import type { OpenCache } from '../cache/cache-worker-client.js';
import type { Coverage, CoveredList } from '../cache/page-coverage.js';
import { isCovered, orderOf } from '../cache/page-coverage.js';
import { conversationOrder, conversationPosition } from '../../common/api/conversation-order.js';
import { maySeeConversation, readsConversations } from '../../common/api/conversation-access.js';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import type { ServerApi } from '../connection/server-api.js';

const notCached = () => new CodedError('conversation_not_cached', 'This conversation is not on this workstation yet: it opens once the server can be reached.');

/** Conversations loaded at once after a fresh start or a resync. */
const INITIAL_CONVERSATIONS = 200;

export interface InboxSyncDeps {
  readonly cache: OpenCache;
  readonly api: ServerApi;
  readonly accessToken: () => Promise<string>;
  /** The agent's view now: their roles and teams as the server last said (view_changed). */
  readonly viewer: () => ConversationViewer;
  /** Whether the server can be reached now. */
  readonly online: () => boolean;
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** One newest-first list as the cache and the server both serve it, with the same cursors. */
interface PagedList<T> {
  readonly list: CoveredList;
  /** A page from the cache, with how far down the cache vouches for this list. */
  local(cursor: string | undefined, limit: number): Promise<{ coverage: Coverage | undefined; page: Page<T> }>;
  remote(token: string, cursor: string | undefined, limit: number): Promise<Page<T>>;
  /** Stores a page read at feed position `seq`, extending the list's coverage as far as `extension` says. */
  store(items: readonly T[], seq: number, extension: CoverageExtension | undefined): Promise<void>;
  position(item: T): PagePosition;
}

export class InboxSync {
  readonly #deps: InboxSyncDeps;

  constructor(deps: InboxSyncDeps) {
    this.#deps = deps;
  }

  apply(event: FeedEvent): Promise<void> {
    return this.#deps.cache.applyFeed([event], event.seq);
  }

  /** The feed is live from `lastSeq`; an empty cache loads its first conversations now. */
  async ready(lastSeq: number): Promise<void> {
    const { empty } = await this.#deps.cache.markReady(this.#deps.viewer(), lastSeq);
    if (empty) await this.#loadConversations();
  }

  /**
   * The agent's view changed (or the session starts with the grant's): the cache drops what lies
   * outside it, and, when it changed and the server can be reached, loads afresh what it now holds.
   * Answers whether anything changed.
   */
  async followView(): Promise<boolean> {
    const { changed } = await this.#deps.cache.followView(this.#deps.viewer());
    if (changed && this.#deps.online()) await this.#loadConversations();
    return changed;
  }

  /** The server could not replay the gap: forget what may be stale and load afresh from `lastSeq`. */
  async resync(lastSeq: number): Promise<void> {
    await this.#deps.cache.resetTo(lastSeq);
    await this.#loadConversations();
  }

  async #loadConversations(): Promise<void> {
    // `all` is everything the viewer may see; a viewer who reads no conversation (an admin only) loads none.
    if (!readsConversations(this.#deps.viewer())) return;
    await this.#fromServer(this.#conversations('all', 'open'), undefined, INITIAL_CONVERSATIONS);
  }

  /** The conversations in `state`; `number`: only those of that business number; `label`: only those carrying it. */
  conversations(
    filter: ConversationFilter,
    state: ConversationState,
    cursor: string | undefined,
    limit: number,
    number?: string,
    label?: number,
  ): Promise<ConversationPage> {
    if (!readsConversations(this.#deps.viewer())) return Promise.resolve({ items: [], nextCursor: null });
    return this.#read(this.#conversations(filter, state, number, label), cursor, limit);
  }

  /**
   * One conversation: the cached copy when the viewer may see it, else the server's, kept. The
   * server answers `conversation_not_found` for one the viewer may not see.
   */
  async conversation(conversationId: number): Promise<ConversationSummary> {
    const { cache } = this.#deps;
    const local = await cache.conversation(conversationId);
    if (local !== undefined && maySeeConversation(this.#deps.viewer(), local)) return local;
    if (!this.#deps.online()) throw notCached();
    const askedAt = await cache.lastSeq();
    const summary = await this.#deps.api.conversation(await this.#deps.accessToken(), conversationId);
    // A contact's earlier conversation read through the current one is shown, not kept (below).
    if (maySeeConversation(this.#deps.viewer(), summary)) await cache.storePage({ conversations: [summary] }, askedAt);
    return summary;
  }

  messages(conversationId: number, cursor: string | undefined, limit: number): Promise<MessagePage> {
    return this.#readOf(conversationId, this.#messages(conversationId), cursor, limit);
  }

  /** A conversation's internal notes, as its messages are read: the cache as far as it vouches, else the server. */
  notes(conversationId: number, cursor: string | undefined, limit: number): Promise<NotePage> {
    return this.#read(this.#notes(conversationId), cursor, limit);
  }

  /**
   * Adds a note on the server (notes are not queued: they are the server's, and an agent offline
   * keeps the text in the box), then keeps it here as of the feed position before the call.
   */
  async addNote(conversationId: number, note: { clientNoteId: string; body: string }): Promise<NoteView> {
    const { cache } = this.#deps;
    if (!this.#deps.online())
      throw new CodedError(
        'note_needs_server',
        'A note is added on the server, which cannot be reached now: your text stays in the box; add it once connected.',
      );
    const askedAt = await cache.lastSeq();
    const added = await this.#deps.api.addNote(await this.#deps.accessToken(), conversationId, note);
    await cache.keepNote(added.note, askedAt);
    return added.note;
  }

  /** The conversation's history entries (system lines), newest first. */
  history(conversationId: number, cursor: string | undefined, limit: number): Promise<HistoryPage> {
    return this.#readOf(conversationId, this.#history(conversationId), cursor, limit);
  }

  /** The contact's earlier conversations on the number, from the server (they are kept only as the agent may see each on its own). */
  async earlierConversations(conversationId: number, cursor: string | undefined, limit: number): Promise<ConversationPage> {
    if (!this.#deps.online()) throw notCached();
    return this.#deps.api.earlierConversations(await this.#deps.accessToken(), conversationId, { cursor, limit });
  }

  /**
   * A conversation's messages or history: through the cache when the cache holds the conversation
   * as one the viewer may see; otherwise (a contact's earlier conversation, read through the
   * current one: maySeeContactHistory) from the server and not kept, so nothing of it stays on the
   * workstation once the current conversation leaves this agent. Offline, what the cache holds.
   */
  async #readOf<T>(conversationId: number, source: PagedList<T>, cursor: string | undefined, limit: number): Promise<Page<T>> {
    const local = await this.#deps.cache.conversation(conversationId);
    const kept = local !== undefined && maySeeConversation(this.#deps.viewer(), local);
    // Offline, whatever the cache holds (nothing of a conversation it does not keep).
    if (kept || !this.#deps.online()) return this.#read(source, cursor, limit);
    return source.remote(await this.#deps.accessToken(), cursor, limit);
  }

  #conversations(filter: ConversationFilter, state: ConversationState, number?: string, label?: number): PagedList<ConversationSummary> {
    const { cache, api, viewer } = this.#deps;
    return {
      list: { kind: 'conversations', filter, state, number, label },
      local: (cursor, limit) => cache.readConversations(viewer(), { filter, state, label }, cursor, limit, number),
      remote: (token, cursor, limit) => api.conversations(token, { filter, state, cursor, limit, number, label }),
      store: (items, seq, extension) => cache.storeConversations({ filter, state, number, label }, items, seq, extension),
      position: (item) => conversationPosition(conversationOrder(filter, state), item),
    };
  }

  #history(conversationId: number): PagedList<ConversationHistoryEntry> {
    const { cache, api } = this.#deps;
    return {
      list: { kind: 'history', conversationId },
      local: (cursor, limit) => cache.readHistory(conversationId, cursor, limit),
      remote: (token, cursor, limit) => api.history(token, conversationId, { cursor, limit }),
      store: (items, seq, extension) => cache.storeHistory(conversationId, items, seq, extension),
      position: (item) => [item.at, item.id],
    };
  }

  #messages(conversationId: number): PagedList<MessageView> {
    const { cache, api } = this.#deps;
    return {
      list: { kind: 'messages', conversationId },
      local: (cursor, limit) => cache.readMessages(conversationId, cursor, limit),
      remote: (token, cursor, limit) => api.messages(token, conversationId, { cursor, limit }),
      store: (items, seq, extension) => cache.storeMessages(conversationId, items, seq, extension),
      position: (item) => [item.sentAt, item.id],
    };
  }

  #notes(conversationId: number): PagedList<NoteView> {
    const { cache, api } = this.#deps;
    return {
      list: { kind: 'notes', conversationId },
      local: (cursor, limit) => cache.readNotes(conversationId, cursor, limit),
      remote: (token, cursor, limit) => api.notes(token, conversationId, { cursor, limit }),
      store: (items, seq, extension) => cache.storeNotes(conversationId, items, seq, extension),
      position: (item) => [item.createdAt, item.id],
    };
  }

  /**
   * A page from the cache when every item on it lies where the cache holds the whole list; else
   * from the server when it can be reached. Offline, the cache's items, and a cursor to go on
   * with while the page is full (the cache does not know it has the end).
   */
  async #read<T>(source: PagedList<T>, cursor: string | undefined, limit: number): Promise<Page<T>> {
    const { coverage, page: local } = await source.local(cursor, limit);
    if (coverage === 'end') return local;
    const last = local.items.at(-1);
    const full = local.items.length === limit && last !== undefined;
    // The covered items come first (the list is in order), so a full page of them is all covered.
    if (full && isCovered(source.position(last), coverage, orderOf(source.list)))
      return { items: local.items, nextCursor: encodePageCursor(source.position(last)) };
    if (!this.#deps.online()) return { items: local.items, nextCursor: full ? encodePageCursor(source.position(last)) : null };
    return this.#fromServer(source, cursor, limit);
  }

  /**
   * A page from the server, kept. A page read from the top, or from a place the cache already
   * covers, joins what the cache holds without a gap: the coverage moves down to its last item,
   * or to the end when the server says there is no more.
   */
  async #fromServer<T>(source: PagedList<T>, cursor: string | undefined, limit: number): Promise<Page<T>> {
    // The rows hold the state as of at least the feed position the request was sent at; a
    // forgetting counted after this read means they cannot vouch for the list.
    const { coverage: before, forgets, lastSeq: seq } = await this.#deps.cache.listState(source.list);
    const page = await source.remote(await this.#deps.accessToken(), cursor, limit);
    const start = cursor === undefined ? undefined : decodePageCursor(cursor);
    let extension: CoverageExtension | undefined;
    if (cursor === undefined || (start !== undefined && isCovered(start, before, orderOf(source.list)))) {
      const last = page.items.at(-1);
      const reached: Coverage | undefined = page.nextCursor === null ? 'end' : last === undefined ? undefined : source.position(last);
      if (reached !== undefined) extension = { reached, forgets };
    }
    await source.store(page.items, seq, extension);
    return page;
  }
}
