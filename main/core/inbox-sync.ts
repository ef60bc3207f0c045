/**
 * Keeps the cache in step with the server: feed events applied as they come (in seq order, each
 * row holding the newest state it has seen), pages fetched when the cache runs short, and a
 * clean reload when the feed cannot cover a gap. Reads are served from the cache first, but only
 * as far down a list as the cache knows it holds everything (page-coverage.ts): past that, a read
 * carries on at the server, and a page says "no more" only where the list really ends.
 */
import type { FeedEvent } from '../../common/api/events.js';
import type { ConversationFilter, ConversationPage, ConversationSummary, MessagePage, MessageView } from '../../common/api/inbox.js';
import type { PagePosition } from '../../common/api/page-cursor.js';
import { decodePageCursor, encodePageCursor } from '../../common/api/page-cursor.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { Coverage, CoveredList } from '../cache/page-coverage.js';
import { deeper, isCovered } from '../cache/page-coverage.js';
import type { CacheStore } from '../cache/cache-store.js';
import { maySeeConversation, seesEveryConversation } from '../../common/api/conversation-access.js';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import type { ServerApi } from '../connection/server-api.js';

/** Conversations loaded at once after a fresh start or a resync. */
const INITIAL_CONVERSATIONS = 200;

export interface InboxSyncDeps {
  readonly cache: CacheStore;
  readonly api: ServerApi;
  readonly accessToken: () => Promise<string>;
  readonly viewer: ConversationViewer;
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
  /** How far down the cache vouches for this list. */
  coverage(): Coverage | undefined;
  local(cursor: string | undefined, limit: number): Page<T>;
  remote(token: string, cursor: string | undefined, limit: number): Promise<Page<T>>;
  store(items: readonly T[], seq: number): void;
  position(item: T): PagePosition;
}

export class InboxSync {
  readonly #deps: InboxSyncDeps;

  constructor(deps: InboxSyncDeps) {
    this.#deps = deps;
  }

  get lastSeq(): number {
    return this.#deps.cache.inbox.lastSeq;
  }

  apply(event: FeedEvent): void {
    this.#deps.cache.inbox.applyFeed([event], event.seq);
  }

  /** The feed is live from `lastSeq`; an empty cache loads its first conversations now. */
  async ready(lastSeq: number): Promise<void> {
    const inbox = this.#deps.cache.inbox;
    const empty = inbox.listConversations(this.#deps.viewer, 'all', undefined, 1).items.length === 0;
    if (lastSeq > inbox.lastSeq) inbox.setLastSeq(lastSeq);
    if (empty) await this.#loadConversations();
  }

  /** The server could not replay the gap: forget what may be stale and load afresh from `lastSeq`. */
  async resync(lastSeq: number): Promise<void> {
    const inbox = this.#deps.cache.inbox;
    inbox.forgetAllConversations();
    inbox.setLastSeq(lastSeq);
    await this.#loadConversations();
  }

  async #loadConversations(): Promise<void> {
    const filters: ConversationFilter[] = seesEveryConversation(this.#deps.viewer) ? ['all'] : ['mine', 'unassigned'];
    for (const which of filters) await this.#fromServer(this.#conversations(which), undefined, INITIAL_CONVERSATIONS);
  }

  conversations(filter: ConversationFilter, cursor: string | undefined, limit: number): Promise<ConversationPage> {
    return this.#read(this.#conversations(filter), cursor, limit);
  }

  /**
   * One conversation: the cached copy when the viewer may see it, else the server's, kept. The
   * server answers `conversation_not_found` for one the viewer may not see.
   */
  async conversation(conversationId: number): Promise<ConversationSummary> {
    const local = this.#deps.cache.inbox.conversation(conversationId);
    if (local !== undefined && maySeeConversation(this.#deps.viewer, local.assignedAgentId)) return local;
    if (!this.#deps.online()) throw new CodedError('conversation_not_cached', 'This conversation is not on this workstation yet: it opens once the server can be reached.');
    const askedAt = this.lastSeq;
    const summary = await this.#deps.api.conversation(await this.#deps.accessToken(), conversationId);
    this.#deps.cache.inbox.storePage({ conversations: [summary] }, askedAt);
    return summary;
  }

  messages(conversationId: number, cursor: string | undefined, limit: number): Promise<MessagePage> {
    return this.#read(this.#messages(conversationId), cursor, limit);
  }

  #conversations(filter: ConversationFilter): PagedList<ConversationSummary> {
    const { cache, api, viewer } = this.#deps;
    const coverageOf = (which: ConversationFilter) => cache.inbox.coverage.get({ kind: 'conversations', filter: which });
    return {
      list: { kind: 'conversations', filter },
      // 'all' holds every conversation the viewer may see: as far as it is covered, so are 'mine' and 'unassigned'.
      coverage: () => (filter === 'all' ? coverageOf('all') : deeper(coverageOf(filter), coverageOf('all'))),
      local: (cursor, limit) => cache.inbox.listConversations(viewer, filter, cursor, limit),
      remote: (token, cursor, limit) => api.conversations(token, { filter, cursor, limit }),
      store: (items, seq) => cache.inbox.storePage({ conversations: items }, seq),
      position: (item) => [item.lastMessageAt ?? 0, item.id],
    };
  }

  #messages(conversationId: number): PagedList<MessageView> {
    const { cache, api } = this.#deps;
    const list: CoveredList = { kind: 'messages', conversationId };
    return {
      list,
      coverage: () => cache.inbox.coverage.get(list),
      local: (cursor, limit) => cache.inbox.listMessages(conversationId, cursor, limit),
      remote: (token, cursor, limit) => api.messages(token, conversationId, { cursor, limit }),
      store: (items, seq) => cache.inbox.storePage({ messages: items }, seq),
      position: (item) => [item.sentAt, item.id],
    };
  }

  /**
   * A page from the cache when every item on it lies where the cache holds the whole list; else
   * from the server when it can be reached. Offline, the cache's items, and a cursor to go on
   * with while the page is full (the cache does not know it has the end).
   */
  async #read<T>(source: PagedList<T>, cursor: string | undefined, limit: number): Promise<Page<T>> {
    const coverage = source.coverage();
    const local = source.local(cursor, limit);
    if (coverage === 'end') return local;
    const last = local.items.at(-1);
    const full = local.items.length === limit && last !== undefined;
    // The covered items come first (the list is in order), so a full page of them is all covered.
    if (full && isCovered(source.position(last), coverage)) return { items: local.items, nextCursor: encodePageCursor(source.position(last)) };
    if (!this.#deps.online()) return { items: local.items, nextCursor: full ? encodePageCursor(source.position(last)) : null };
    return this.#fromServer(source, cursor, limit);
  }

  /**
   * A page from the server, kept. A page read from the top, or from a place the cache already
   * covers, joins what the cache holds without a gap: the coverage moves down to its last item,
   * or to the end when the server says there is no more.
   */
  async #fromServer<T>(source: PagedList<T>, cursor: string | undefined, limit: number): Promise<Page<T>> {
    const { coverage } = this.#deps.cache.inbox;
    const before = source.coverage();
    const forgets = coverage.forgets;
    // The rows hold the state as of at least the feed position the request was sent at.
    const seq = this.lastSeq;
    const page = await source.remote(await this.#deps.accessToken(), cursor, limit);
    source.store(page.items, seq);
    const start = cursor === undefined ? undefined : decodePageCursor(cursor);
    if (cursor === undefined || (start !== undefined && isCovered(start, before))) {
      const last = page.items.at(-1);
      const reached: Coverage | undefined = page.nextCursor === null ? 'end' : last === undefined ? undefined : source.position(last);
      if (reached !== undefined) coverage.extend(source.list, reached, forgets);
    }
    return page;
  }
}
