/**
 * Keeps the cache in step with the server: feed events applied as they come (in seq order, each
 * row holding the newest state it has seen), pages fetched when the cache runs short, and a
 * clean reload when the feed cannot cover a gap. Reads are served from the cache first.
 */
import type { FeedEvent } from '../../common/api/events.js';
import type { ConversationFilter, ConversationPage, ConversationSummary, MessagePage } from '../../common/api/inbox.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { OpenCache } from '../cache/workstation-cache.js';
import { maySeeConversation, seesEveryConversation } from '../../common/api/conversation-access.js';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import type { ServerApi } from '../connection/server-api.js';

/** Conversations loaded at once after a fresh start or a resync. */
const INITIAL_CONVERSATIONS = 200;

export interface InboxSyncDeps {
  readonly cache: OpenCache;
  readonly api: ServerApi;
  readonly accessToken: () => Promise<string>;
  readonly viewer: ConversationViewer;
  /** Whether the server can be reached now. */
  readonly online: () => boolean;
}

export class InboxSync {
  readonly #deps: InboxSyncDeps;
  /**
   * Lists the cache holds to their end: the server said so (no next page), and the feed keeps
   * them current from then on, so their reads stay local. Forgotten on a resync.
   */
  readonly #completeLists = new Set<ConversationFilter>();
  readonly #completeConversations = new Set<number>();

  constructor(deps: InboxSyncDeps) {
    this.#deps = deps;
  }

  get lastSeq(): number {
    return this.#deps.cache.inbox.lastSeq;
  }

  apply(event: FeedEvent): void {
    // A conversation taken away loses its cached messages: if it comes back, they load afresh.
    if (event.type === 'conversation_hidden') this.#completeConversations.delete(event.conversationId);
    this.#deps.cache.inbox.applyFeed([event], event.seq);
  }

  /** The feed is live from `lastSeq`; an empty cache loads its first conversations now. */
  async ready(lastSeq: number): Promise<void> {
    const inbox = this.#deps.cache.inbox;
    const empty = inbox.listConversations(this.#deps.viewer, 'all', undefined, 1).items.length === 0;
    if (lastSeq > inbox.lastSeq) inbox.setLastSeq(lastSeq);
    if (empty) await this.#loadConversations(lastSeq);
  }

  /** The server could not replay the gap: forget what may be stale and load afresh from `lastSeq`. */
  async resync(lastSeq: number): Promise<void> {
    const inbox = this.#deps.cache.inbox;
    inbox.forgetAllConversations();
    this.#completeLists.clear();
    this.#completeConversations.clear();
    inbox.setLastSeq(lastSeq);
    await this.#loadConversations(lastSeq);
  }

  async #loadConversations(seq: number): Promise<void> {
    const token = await this.#deps.accessToken();
    const filters: ConversationFilter[] = seesEveryConversation(this.#deps.viewer) ? ['all'] : ['mine', 'unassigned'];
    for (const which of filters) {
      const page = await this.#deps.api.conversations(token, { filter: which, limit: INITIAL_CONVERSATIONS });
      this.#deps.cache.inbox.storePage({ conversations: page.items }, seq);
      if (page.nextCursor === null) this.#completeLists.add(which);
    }
  }

  async conversations(filter: ConversationFilter, cursor: string | undefined, limit: number): Promise<ConversationPage> {
    const local = this.#deps.cache.inbox.listConversations(this.#deps.viewer, filter, cursor, limit);
    if (local.items.length === limit || this.#completeLists.has(filter) || !this.#deps.online()) return local;
    // A page is as new as the feed position when it was asked for, not when it arrived.
    const askedAt = this.lastSeq;
    const page = await this.#deps.api.conversations(await this.#deps.accessToken(), { filter, cursor, limit });
    this.#deps.cache.inbox.storePage({ conversations: page.items }, askedAt);
    if (page.nextCursor === null) this.#completeLists.add(filter);
    return page;
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

  async messages(conversationId: number, cursor: string | undefined, limit: number): Promise<MessagePage> {
    const local = this.#deps.cache.inbox.listMessages(conversationId, cursor, limit);
    if (local.items.length === limit || this.#completeConversations.has(conversationId) || !this.#deps.online()) return local;
    const askedAt = this.lastSeq;
    const page = await this.#deps.api.messages(await this.#deps.accessToken(), conversationId, { cursor, limit });
    this.#deps.cache.inbox.storePage({ messages: page.items }, askedAt);
    if (page.nextCursor === null) this.#completeConversations.add(conversationId);
    return page;
  }
}
