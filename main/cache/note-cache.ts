/**
 * The internal notes as the cache keeps them: upserted from pages and from the feed (a `note` or
 * a `mention` carries one), each row remembering the feed seq of the state it holds; a note of a
 * conversation the feed took away is refused when older than that word, and goes with the
 * conversation (the cache's triggers, cache-migrations.ts 5). Searched like messages.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import type { NotePage, NoteView } from '../../common/api/notes.js';
import { NoteView as NoteSchema } from '../../common/api/notes.js';
import type { SearchHit } from '../../common/ipc/contract.js';
import { visibleCondition } from './cache-view.js';
import { ftsQuery, MARK_END, MARK_START, markedFragments } from './search-text.js';
import { conversationPage } from './conversation-page.js';
import type { ConversationRows } from './conversation-page.js';

const NOTE_ROWS: ConversationRows = { table: 'notes', at: 'created_at', json: 'view_json' };

export class NoteCache {
  readonly #db: Database.Database;
  readonly #statements;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#statements = {
      upsert: db.prepare(
        `insert into notes (id, conversation_id, created_at, search_text, view_json, seq) values (@id, @conversationId, @createdAt, @text, @json, @seq)
         on conflict (id) do update set search_text = excluded.search_text, view_json = excluded.view_json, seq = excluded.seq
         where excluded.seq >= notes.seq`,
      ),
      forgottenAt: db.prepare<[number], { seq: number }>('select seq from forgotten_conversations where id = ?'),
    };
  }

  /** A note as of feed position `seq`; refused when its conversation left this agent after that. */
  put(note: NoteView, seq: number): void {
    const forgotten = this.#statements.forgottenAt.get(note.conversationId);
    if (forgotten !== undefined && forgotten.seq > seq) return;
    this.#statements.upsert.run({
      id: note.id,
      conversationId: note.conversationId,
      createdAt: note.createdAt,
      text: note.body,
      json: JSON.stringify(note),
      seq,
    });
  }

  /** Notes read as a page at feed position `seq`, in one transaction. */
  store(notes: readonly NoteView[], seq: number): void {
    this.#db.transaction(() => {
      for (const note of notes) this.put(note, seq);
    })();
  }

  listNotes(conversationId: number, cursor: string | undefined, limit: number): NotePage {
    return conversationPage(this.#db, NOTE_ROWS, (json) => NoteSchema.parse(json), conversationId, cursor, limit);
  }

  /**
   * Notes matching every word typed (as a prefix, accents ignored), newest first, in
   * conversations this workstation holds and the viewer may see (the rule, once more, on what the
   * cache holds); `number`: only in the conversations of that business number.
   */
  search(viewer: ConversationViewer, input: string, limit: number, number?: string): SearchHit[] {
    const query = ftsQuery(input);
    if (query === null) return [];
    const rows = this.#db
      .prepare<
        Record<string, string | number>,
        { id: number; conversation_id: number; created_at: number; marked: string; name: string | null; phone: string | null }
      >(
        `select n.id, n.conversation_id, n.created_at, c.customer_name as name, c.customer_phone as phone,
           snippet(notes_fts, 0, '${MARK_START}', '${MARK_END}', '…', 16) as marked
         from notes_fts join notes n on n.id = notes_fts.rowid join conversations c on c.id = n.conversation_id
         where notes_fts match @query and ${visibleCondition(viewer, 'c')} ${number === undefined ? '' : 'and c.business_phone_number_id = @number'}
         order by notes_fts.rowid desc limit @limit`,
      )
      .all({ query, limit, ...(number === undefined ? {} : { number }) });
    return rows.map((row) => ({
      kind: 'note' as const,
      conversationId: row.conversation_id,
      messageId: null,
      noteId: row.id,
      sentAt: row.created_at,
      direction: null,
      title: row.name ?? row.phone ?? '',
      fragments: markedFragments(row.marked),
    }));
  }
}
