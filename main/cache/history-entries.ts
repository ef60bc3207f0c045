/**
 * The cached history of each conversation (schema 6): its state changes and assignments, shown as
 * system lines among its messages. Kept as messages are: each row with the feed seq of the state
 * it holds (an entry never changes, but a page read before a hand-over must not bring it back),
 * and gone with its conversation. InboxCache decides when; this holds the statements.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { ConversationHistoryEntry } from '../../common/api/conversation-lifecycle.js';
import { ConversationHistoryEntry as EntrySchema } from '../../common/api/conversation-lifecycle.js';
import type { HistoryPage } from '../../common/api/inbox.js';
import { conversationPage } from './conversation-page.js';
import type { ConversationRows } from './conversation-page.js';

const HISTORY_ROWS: ConversationRows = { table: 'history_entries', at: 'at', json: 'entry_json' };

export class HistoryEntries {
  readonly #db: Database.Database;
  readonly #statements;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#statements = {
      upsert: db.prepare(
        `insert into history_entries (id, conversation_id, at, entry_json, seq) values (@id, @conversationId, @at, @json, @seq)
         on conflict (id) do update set conversation_id = excluded.conversation_id, at = excluded.at, entry_json = excluded.entry_json, seq = excluded.seq
         where excluded.seq >= history_entries.seq`,
      ),
      deleteBefore: db.prepare('delete from history_entries where conversation_id = ? and seq < ?'),
      deleteOf: db.prepare('delete from history_entries where conversation_id = ?'),
      deleteAll: db.prepare('delete from history_entries'),
      deleteOrphans: db.prepare('delete from history_entries where conversation_id not in (select id from conversations)'),
    };
  }

  put(entry: ConversationHistoryEntry, seq: number): void {
    this.#statements.upsert.run({ id: entry.id, conversationId: entry.conversationId, at: entry.at, json: JSON.stringify(entry), seq });
  }

  /** The conversation left this agent at `seq`: its entries older than that go. */
  deleteBefore(conversationId: number, seq: number): void {
    this.#statements.deleteBefore.run(conversationId, seq);
  }

  deleteOf(conversationId: number): void {
    this.#statements.deleteOf.run(conversationId);
  }

  deleteAll(): void {
    this.#statements.deleteAll.run();
  }

  /** Entries of conversations the cache does not hold (the feed brought them before or without their conversation). */
  deleteOrphans(): void {
    this.#statements.deleteOrphans.run();
  }

  /** Newest first, with the server's cursors (time, id). */
  list(conversationId: number, cursor: string | undefined, limit: number): HistoryPage {
    return conversationPage(this.#db, HISTORY_ROWS, (json) => EntrySchema.parse(json), conversationId, cursor, limit);
  }
}
