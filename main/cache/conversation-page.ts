/**
 * One page of a conversation's rows (its messages, notes or history entries), newest first, by the
 * server's cursors (time, id), so a page begun in the cache continues at the server. The table and
 * column names are this module's callers' constants, never input.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { decodePageCursor, encodePageCursor } from '../../common/api/page-cursor.js';

export interface ConversationRows {
  readonly table: 'messages' | 'notes' | 'history_entries';
  /** The row's time column, the first half of the cursor. */
  readonly at: 'sent_at' | 'created_at' | 'at';
  /** The column holding the API's view as JSON. */
  readonly json: 'view_json' | 'entry_json';
}

export function conversationPage<T>(
  db: Database.Database,
  rows: ConversationRows,
  parse: (json: unknown) => T,
  conversationId: number,
  cursor: string | undefined,
  limit: number,
): { items: T[]; nextCursor: string | null } {
  const position = cursor === undefined ? undefined : decodePageCursor(cursor);
  if (cursor !== undefined && position === undefined) return { items: [], nextCursor: null };
  const { table, at, json } = rows;
  const found = db
    .prepare<Record<string, number>, { id: number; at: number; json: string }>(
      `select id, ${at} as at, ${json} as json from ${table} where conversation_id = @conversationId
       ${position === undefined ? '' : `and (${at} < @at or (${at} = @at and id < @id))`}
       order by ${at} desc, id desc limit @limit`,
    )
    .all({ conversationId, limit: limit + 1, ...(position === undefined ? {} : { at: position[0], id: position[1] }) });
  const page = found.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => parse(JSON.parse(row.json))),
    nextCursor: found.length > limit && last !== undefined ? encodePageCursor([last.at, last.id]) : null,
  };
}
