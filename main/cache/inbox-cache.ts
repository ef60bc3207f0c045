/**
 * The inbox as the cache keeps it: conversations and messages upserted from pages and from the
 * server's feed, each row remembering the feed seq of the state it holds, so a duplicate or an
 * event that arrives late never steps a row back; a conversation the feed took away is
 * remembered with its seq, so nothing older brings it back, and goes with its messages and its
 * history entries; pages and search served locally.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { ConversationHistoryEntry } from '../../common/api/conversation-lifecycle.js';
import type { FeedEvent } from '../../common/api/events.js';
import type { ConversationPage, ConversationSummary, MessagePage, MessageView } from '../../common/api/inbox.js';
import type { NoteView } from '../../common/api/notes.js';
import type { ScheduleCache } from './schedule-cache.js';
import { ConversationSummary as ConversationSchema, MessageView as MessageSchema } from '../../common/api/inbox.js';
import { messageText } from '../../common/messages/message-text.js';
import type { SearchHit } from '../../common/ipc/contract.js';
import { maySeeConversation } from '../../common/api/conversation-access.js';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import { storedViewer, viewerRecord, VIEWER_KEY, visibleCondition } from './cache-view.js';
import { HistoryEntries } from './history-entries.js';
import { PageCoverage } from './page-coverage.js';
import { searchCache } from './cache-search.js';
import { listCachedConversations } from './conversation-list.js';
import { conversationPage } from './conversation-page.js';
import type { ConversationRows } from './conversation-page.js';

const MESSAGE_ROWS: ConversationRows = { table: 'messages', at: 'sent_at', json: 'view_json' };

/** listCachedConversations' query: what follows the database. */
type ListQuery = Parameters<typeof listCachedConversations> extends [Database.Database, ...infer Query] ? Query : never;

export interface InboxCacheOptions {
  /** Called once conversations were forgotten and the change is committed (their media files go). */
  readonly onForgotten?: () => void;
  /** Where the feed's notes go (a `note`, or the note a `mention` carries), at their seq. */
  readonly notes?: { put(note: NoteView, seq: number): void };
  /** Where the feed's scheduled messages and reminders go, at their seq (schedule-cache.ts). */
  readonly schedule?: Pick<ScheduleCache, 'putScheduled' | 'putReminder'>;
}

export class InboxCache {
  readonly #db: Database.Database;
  readonly #onForgotten: () => void;
  readonly #notes: InboxCacheOptions['notes'];
  readonly #schedule: InboxCacheOptions['schedule'];
  readonly #statements;
  /** How far down each list the cache holds everything: forgotten here with the rows it describes. */
  readonly coverage: PageCoverage;
  /** Each conversation's history entries (system lines), gone with it. */
  readonly history: HistoryEntries;
  /** Whose view the cache holds (followView): a conversation outside it is not kept, whatever brings it. */
  #viewer: ConversationViewer | undefined;

  constructor(db: Database.Database, options: InboxCacheOptions = {}) {
    this.#db = db;
    this.#onForgotten = options.onForgotten ?? (() => undefined);
    this.#notes = options.notes;
    this.#schedule = options.schedule;
    this.coverage = new PageCoverage(db);
    this.history = new HistoryEntries(db);
    this.#statements = {
      upsertConversation: db.prepare(
        `insert into conversations (id, last_message_at, assigned_agent_id, team_id, unread_count, customer_name, customer_phone, business_phone_number_id, state, queued_since, summary_json, seq)
         values (@id, @lastMessageAt, @assignedAgentId, @teamId, @unreadCount, @name, @phone, @number, @state, @queuedSince, @json, @seq)
         on conflict (id) do update set last_message_at = excluded.last_message_at, assigned_agent_id = excluded.assigned_agent_id, team_id = excluded.team_id, queued_since = excluded.queued_since,
           unread_count = excluded.unread_count, customer_name = excluded.customer_name, customer_phone = excluded.customer_phone,
           business_phone_number_id = excluded.business_phone_number_id, state = excluded.state, summary_json = excluded.summary_json, seq = excluded.seq
         where excluded.seq >= conversations.seq`,
      ),
      upsertMessage: db.prepare(
        `insert into messages (id, conversation_id, sent_at, search_text, view_json, media_id, seq) values (@id, @conversationId, @sentAt, @text, @json, @mediaId, @seq)
         on conflict (id) do update set sent_at = excluded.sent_at, search_text = excluded.search_text, view_json = excluded.view_json, media_id = excluded.media_id, seq = excluded.seq
         where excluded.seq >= messages.seq`,
      ),
      forgottenAt: db.prepare<[number], { seq: number }>('select seq from forgotten_conversations where id = ?'),
      remember: db.prepare('insert into forgotten_conversations (id, seq) values (?, ?) on conflict (id) do update set seq = max(seq, excluded.seq)'),
      conversationSeq: db.prepare<[number], { seq: number }>('select seq from conversations where id = ?'),
      deleteMessagesBefore: db.prepare('delete from messages where conversation_id = ? and seq < ?'),
      getState: db.prepare<[string], { value: string }>('select value from sync_state where key = ?'),
      setState: db.prepare('insert into sync_state (key, value) values (?, ?) on conflict (key) do update set value = excluded.value'),
      deleteMessagesOf: db.prepare('delete from messages where conversation_id = ?'),
      deleteConversation: db.prepare('delete from conversations where id = ?'),
      holds: db.prepare<[number], { id: number }>('select id from conversations where id = ?'),
    };
    this.#viewer = storedViewer(this.state(VIEWER_KEY));
  }

  // The view ----------------------------------------------------------------------------------

  /**
   * The agent's view from now on (their roles and teams as the server last said): every cached
   * conversation outside it goes, with its messages, notes, history entries, search words and
   * media, and the lists are no longer vouched for (what the view newly holds is not here yet).
   * Notes and history entries the feed brought for a conversation the cache does not hold go too:
   * nothing tells whose view they were of. Answers whether it changed.
   */
  followView(viewer: ConversationViewer): { changed: boolean; forgotten: number } {
    const next = JSON.stringify(viewerRecord(viewer));
    this.#viewer = viewerRecord(viewer);
    if (this.state(VIEWER_KEY) === next) return { changed: false, forgotten: 0 };
    const held = this.#db
      .prepare<[], { id: number; assigned_agent_id: number | null; team_id: number | null }>('select id, assigned_agent_id, team_id from conversations')
      .all();
    const outside = held.filter((row) => !maySeeConversation(viewer, { assignedAgentId: row.assigned_agent_id, teamId: row.team_id }));
    this.#db.transaction(() => {
      this.setState(VIEWER_KEY, next);
      this.coverage.forgetAll();
      for (const row of outside) this.#forget(row.id);
      this.#db.prepare('delete from notes where conversation_id not in (select id from conversations)').run();
      this.history.deleteOrphans();
    })();
    this.#onForgotten();
    return { changed: true, forgotten: outside.length };
  }

  /** Whether the cache holds this conversation (a page of its messages, notes or history is kept only beside it). */
  holdsConversation(conversationId: number): boolean {
    return this.#statements.holds.get(conversationId) !== undefined;
  }

  get db(): Database.Database {
    return this.#db;
  }

  // Feed position ---------------------------------------------------------------------------

  state(key: string): string | undefined {
    return this.#statements.getState.get(key)?.value;
  }

  setState(key: string, value: string): void {
    this.#statements.setState.run(key, value);
  }

  get lastSeq(): number {
    return Number(this.state('last_seq') ?? '0');
  }

  // Writing ---------------------------------------------------------------------------------

  /** A state older than the feed's word that the conversation left this agent: refused. */
  #forgottenAfter(conversationId: number, seq: number): boolean {
    const forgotten = this.#statements.forgottenAt.get(conversationId);
    return forgotten !== undefined && forgotten.seq > seq;
  }

  #putConversation(summary: ConversationSummary, seq: number): void {
    if (this.#forgottenAfter(summary.id, seq)) return;
    if (this.#viewer !== undefined && !maySeeConversation(this.#viewer, summary)) return;
    this.#statements.upsertConversation.run({
      id: summary.id,
      lastMessageAt: summary.lastMessageAt,
      assignedAgentId: summary.assignedAgentId,
      teamId: summary.teamId,
      unreadCount: summary.unreadCount,
      name: summary.customer.name,
      phone: summary.customer.phone,
      number: summary.businessPhoneNumberId,
      state: summary.state,
      queuedSince: summary.queuedSince,
      json: JSON.stringify(summary),
      seq,
    });
  }

  /** Whether the message put last withdrew a file (quarantined or refused by the server since it was cached). */
  #withdrew = false;

  #putMessage(view: MessageView, seq: number): void {
    if (this.#forgottenAfter(view.conversationId, seq)) return;
    // A file the server quarantined (infected, at once or at a rescan) or refused by its bytes is
    // no longer carried here: the schema's trigger drops its index row, and its sealed file goes.
    const withheld = view.media !== null && (view.media.scan === 'infected' || view.media.scan === 'refused');
    if (withheld) this.#withdrew = true;
    this.#statements.upsertMessage.run({
      id: view.id,
      conversationId: view.conversationId,
      sentAt: view.sentAt,
      text: view.deletedAt === null ? messageText(view.content) : null,
      json: JSON.stringify(view),
      mediaId: withheld ? null : (view.media?.id ?? null),
      seq,
    });
  }

  #putEntry(entry: ConversationHistoryEntry, seq: number): void {
    if (this.#forgottenAfter(entry.conversationId, seq)) return;
    this.history.put(entry, seq);
  }

  /**
   * Rows fetched as pages. `seq` is the feed position the cache had when the page was asked for
   * (not when it arrived): the page holds the state as of at least that position.
   */
  storePage(
    page: { conversations?: readonly ConversationSummary[]; messages?: readonly MessageView[]; history?: readonly ConversationHistoryEntry[] },
    seq: number,
  ): void {
    this.#db.transaction(() => {
      for (const summary of page.conversations ?? []) this.#putConversation(summary, seq);
      for (const view of page.messages ?? []) this.#putMessage(view, seq);
      for (const entry of page.history ?? []) this.#putEntry(entry, seq);
    })();
    if (this.#withdrew) {
      this.#withdrew = false;
      this.#onForgotten();
    }
  }

  /** Feed events in one transaction, and the new feed position with them. */
  applyFeed(events: readonly FeedEvent[], lastSeq: number): void {
    let hidden = false;
    this.#db.transaction(() => {
      for (const event of events) {
        if (event.type === 'conversation') this.#putConversation(event.conversation, event.seq);
        else if (event.type === 'message') {
          this.#putConversation(event.conversation, event.seq);
          this.#putMessage(event.message, event.seq);
        } else if (event.type === 'status') this.#putMessage(event.message, event.seq);
        else if (event.type === 'note' || event.type === 'mention') this.#notes?.put(event.note, event.seq);
        else if (event.type === 'history') this.#putEntry(event.entry, event.seq);
        else if (event.type === 'handover') {
          this.#putConversation(event.conversation, event.seq);
          this.#putEntry(event.entry, event.seq);
          if (event.note !== null) this.#notes?.put(event.note, event.seq);
        } else if (event.type === 'scheduled_message') this.#schedule?.putScheduled(event.scheduled, event.seq);
        else if (event.type === 'reminder') {
          this.#putConversation(event.conversation, event.seq);
          this.#schedule?.putReminder(event.reminder, event.seq);
        } else if (event.type === 'conversation_hidden') {
          this.#hide(event.conversationId, event.seq);
          hidden = true;
        }
      }
      if (lastSeq > this.lastSeq) this.setState('last_seq', String(lastSeq));
    })();
    if (hidden || this.#withdrew) this.#onForgotten();
    this.#withdrew = false;
  }

  /**
   * The conversation left this agent at `seq`: remembered, and every state of it older than
   * that goes, messages included (a state as new or newer was given back since, and stays).
   */
  #hide(conversationId: number, seq: number): void {
    // Its older messages go: if it comes back, they load afresh from the server.
    this.coverage.forgetMessagesOf(conversationId);
    this.#statements.remember.run(conversationId, seq);
    this.#statements.deleteMessagesBefore.run(conversationId, seq);
    this.history.deleteBefore(conversationId, seq);
    const held = this.#statements.conversationSeq.get(conversationId);
    if (held !== undefined && held.seq < seq) this.#statements.deleteConversation.run(conversationId);
  }

  setLastSeq(seq: number): void {
    this.setState('last_seq', String(seq));
  }

  /** Forgets conversations the server's feed could not bring up to date: they reload from pages. */
  forgetConversations(ids: readonly number[]): void {
    this.#db.transaction(() => {
      for (const id of ids) this.#forget(id);
    })();
    this.#onForgotten();
  }

  /**
   * A resync: every cached conversation and its messages go, and with them their media (a
   * conversation may have left this agent in the gap); the outbox and what was forgotten stay.
   */
  forgetAllConversations(): void {
    this.#db.transaction(() => {
      this.coverage.forgetAll();
      this.history.deleteAll();
      this.#db.prepare('delete from messages').run();
      this.#db.prepare('delete from conversations').run();
    })();
    this.#onForgotten();
  }

  #forget(conversationId: number): void {
    this.coverage.forgetMessagesOf(conversationId);
    this.#statements.deleteMessagesOf.run(conversationId);
    this.history.deleteOf(conversationId);
    this.#statements.deleteConversation.run(conversationId);
  }

  // Reading ---------------------------------------------------------------------------------

  conversation(id: number): ConversationSummary | undefined {
    const row = this.#db.prepare<[number], { summary_json: string }>('select summary_json from conversations where id = ?').get(id);
    return row === undefined ? undefined : ConversationSchema.parse(JSON.parse(row.summary_json));
  }

  /** A page of the conversations the viewer may see (main/cache/conversation-list.ts). */
  listConversations(...query: ListQuery): ConversationPage {
    return listCachedConversations(this.#db, ...query);
  }

  listMessages(conversationId: number, cursor: string | undefined, limit: number): MessagePage {
    return conversationPage(this.#db, MESSAGE_ROWS, (json) => MessageSchema.parse(json), conversationId, cursor, limit);
  }

  /** Whether a cached message of a conversation the viewer may see carries this media. */
  showsMedia(viewer: ConversationViewer, mediaId: number): boolean {
    return this.#db
      .prepare<[number], { assigned_agent_id: number | null; team_id: number | null }>(
        'select c.assigned_agent_id, c.team_id from messages m join conversations c on c.id = m.conversation_id where m.media_id = ?',
      )
      .all(mediaId)
      .some((row) => maySeeConversation(viewer, { assignedAgentId: row.assigned_agent_id, teamId: row.team_id }));
  }

  /** The business numbers of the conversations the viewer may see here, by name. */
  numbersSeen(viewer: ConversationViewer): Array<{ phoneNumberId: string; displayName: string }> {
    return this.#db
      .prepare<[], { phoneNumberId: string; displayName: string }>(
        `select business_phone_number_id as phoneNumberId, max(summary_json ->> '$.businessNumberName') as displayName from conversations
         where business_phone_number_id is not null and ${visibleCondition(viewer, 'conversations')} group by business_phone_number_id order by business_phone_number_id`,
      )
      .all();
  }

  messageCount(conversationId: number): number {
    return this.#db.prepare<[number], { n: number }>('select count(*) as n from messages where conversation_id = ?').get(conversationId)?.n ?? 0;
  }

  /** Contacts and messages matching every word typed (main/cache/cache-search.ts). */
  search(viewer: ConversationViewer, input: string, limit: number, number?: string): SearchHit[] {
    return searchCache(this.#db, viewer, input, limit, number);
  }
}
