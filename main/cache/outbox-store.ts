/** The outbox table of the cache: messages composed but not yet accepted by the server. */
import type Database from 'better-sqlite3-multiple-ciphers';
import { ComposeMessage, OutboxEntry } from '../../common/ipc/contract.js';
import type { MessageView } from '../../common/api/inbox.js';

interface OutboxRow {
  client_message_id: string;
  conversation_id: number;
  request_json: string;
  state: 'pending' | 'sending' | 'failed';
  error_code: string | null;
  error_message: string | null;
  created_at: number;
}

function entryOf(row: OutboxRow): OutboxEntry {
  return OutboxEntry.parse({
    clientMessageId: row.client_message_id,
    conversationId: row.conversation_id,
    compose: ComposeMessage.parse(JSON.parse(row.request_json)),
    state: row.state,
    error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    message: null,
    createdAt: row.created_at,
  });
}

export class OutboxStore {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  /** Adds a composed message; the same client message id twice keeps the first. */
  add(compose: ComposeMessage, now: number): OutboxEntry {
    this.#db
      .prepare(
        `insert into outbox (client_message_id, conversation_id, request_json, state, created_at, updated_at) values (?, ?, ?, 'pending', ?, ?)
         on conflict (client_message_id) do nothing`,
      )
      .run(compose.clientMessageId, compose.conversationId, JSON.stringify(compose), now, now);
    const entry = this.get(compose.clientMessageId);
    if (entry === undefined) throw new Error('outbox entry vanished');
    return entry;
  }

  get(clientMessageId: string): OutboxEntry | undefined {
    const row = this.#db.prepare<[string], OutboxRow>('select * from outbox where client_message_id = ?').get(clientMessageId);
    return row === undefined ? undefined : entryOf(row);
  }

  list(conversationId: number): OutboxEntry[] {
    return this.#db.prepare<[number], OutboxRow>('select * from outbox where conversation_id = ? order by created_at, rowid').all(conversationId).map(entryOf);
  }

  /** Every entry still to send, oldest first (a `sending` one was cut off and goes again with its key). */
  due(): OutboxEntry[] {
    return this.#db.prepare<[], OutboxRow>(`select * from outbox where state in ('pending', 'sending') order by created_at, rowid`).all().map(entryOf);
  }

  /** Conversations whose queue is held behind a refused message. */
  blockedConversations(): Set<number> {
    return new Set(
      this.#db
        .prepare<[], { conversation_id: number }>(`select distinct conversation_id from outbox where state = 'failed'`)
        .all()
        .map((row) => row.conversation_id),
    );
  }

  markSending(clientMessageId: string, now: number): void {
    this.#db.prepare(`update outbox set state = 'sending', attempts = attempts + 1, updated_at = ? where client_message_id = ?`).run(now, clientMessageId);
  }

  markFailed(clientMessageId: string, error: { code: string; message: string }, now: number): OutboxEntry | undefined {
    this.#db
      .prepare(`update outbox set state = 'failed', error_code = ?, error_message = ?, updated_at = ? where client_message_id = ?`)
      .run(error.code, error.message, now, clientMessageId);
    return this.get(clientMessageId);
  }

  /** The agent confirmed that the message, held by the server as looking like it carries a code, goes as it is. */
  confirmCode(clientMessageId: string): void {
    const entry = this.get(clientMessageId);
    if (entry === undefined) return;
    const compose = ComposeMessage.parse({ ...entry.compose, confirmedCode: true });
    this.#db.prepare('update outbox set request_json = ? where client_message_id = ?').run(JSON.stringify(compose), clientMessageId);
  }

  markPending(clientMessageId: string, now: number): OutboxEntry | undefined {
    this.#db
      .prepare(`update outbox set state = 'pending', error_code = null, error_message = null, updated_at = ? where client_message_id = ?`)
      .run(now, clientMessageId);
    return this.get(clientMessageId);
  }

  /** The server has it: the entry leaves the outbox, the message joins the cache (one transaction). */
  complete(clientMessageId: string, store: (message: MessageView) => void, message: MessageView): void {
    this.#db.transaction(() => {
      this.#db.prepare('delete from outbox where client_message_id = ?').run(clientMessageId);
      store(message);
    })();
  }

  remove(clientMessageId: string): boolean {
    return this.#db.prepare('delete from outbox where client_message_id = ?').run(clientMessageId).changes === 1;
  }
}
