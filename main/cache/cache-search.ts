/** The cache's search: contacts and messages matching what the agent typed, in the conversations the viewer may see. */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { SearchHit } from '../../common/ipc/contract.js';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import { visibleCondition } from './cache-view.js';
import { ftsQuery, MARK_END, MARK_START, markedFragments } from './search-text.js';

/**
 * Contacts (best match first) and messages (newest first: FTS5 walks its index backwards and
 * stops at the limit, so common words stay fast) matching every word typed, as a prefix,
 * accents ignored; matches marked for highlighting; only conversations the viewer may see.
 */
export function searchCache(db: Database.Database, viewer: ConversationViewer, input: string, limit: number, number?: string): SearchHit[] {
  const query = ftsQuery(input);
  if (query === null) return [];
  const visible = `and ${visibleCondition(viewer, 'c')}` + (number === undefined ? '' : ' and c.business_phone_number_id = @number');
  const bound = { query, limit, ...(number === undefined ? {} : { number }) };
  const contacts = db
    .prepare<Record<string, string | number>, { id: number; name: string | null; phone: string | null; marked: string }>(
      `select c.id, c.customer_name as name, c.customer_phone as phone,
         coalesce(highlight(contacts_fts, 0, '${MARK_START}', '${MARK_END}'), '') || ' ' || coalesce(highlight(contacts_fts, 1, '${MARK_START}', '${MARK_END}'), '') as marked
       from contacts_fts join conversations c on c.id = contacts_fts.rowid
       where contacts_fts match @query ${visible} order by rank limit @limit`,
    )
    .all(bound);
  const messages = db
    .prepare<
      Record<string, string | number>,
      { id: number; conversation_id: number; sent_at: number; direction: 'inbound' | 'outbound'; marked: string; name: string | null; phone: string | null }
    >(
      `select m.id, m.conversation_id, m.sent_at, m.view_json ->> '$.direction' as direction, c.customer_name as name, c.customer_phone as phone,
         snippet(messages_fts, 0, '${MARK_START}', '${MARK_END}', '…', 16) as marked
       from messages_fts join messages m on m.id = messages_fts.rowid join conversations c on c.id = m.conversation_id
       where messages_fts match @query ${visible} order by messages_fts.rowid desc limit @limit`,
    )
    .all(bound);
  return [
    ...contacts.map((row) => ({
      kind: 'contact' as const,
      conversationId: row.id,
      messageId: null,
      noteId: null,
      sentAt: null,
      direction: null,
      title: row.name ?? row.phone ?? '',
      fragments: markedFragments(row.marked.trim()),
    })),
    ...messages.map((row) => ({
      kind: 'message' as const,
      conversationId: row.conversation_id,
      messageId: row.id,
      noteId: null,
      sentAt: row.sent_at,
      direction: row.direction,
      title: row.name ?? row.phone ?? '',
      fragments: markedFragments(row.marked),
    })),
  ];
}
