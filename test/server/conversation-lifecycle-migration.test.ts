/**
 * Migration 0016 on a SQLite store written before it: SQLite cannot drop the "one conversation
 * per contact and number" constraint, so the table is rebuilt from its own stored definition. The
 * rows, their ids and the AUTOINCREMENT high-water mark, the rows that point at them, the indexes
 * and the feed's triggers all come through; foreign keys are on and hold afterwards; and where
 * the constraint was, one conversation per contact and number that is not resolved remains.
 */
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { Kysely, Migrator, sql, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../server/store/migrations/index.js';
import { DATABASE_FILE, openDatabase } from '../../server/store/open-database.js';
import type { OpenedDatabase } from '../../server/store/open-database.js';
import type { InboxDatabase } from '../../server/store/schema.js';
import { contactRow } from '../helpers/fresh-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const BEFORE_0016 = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '0016'));
const NUMBER = '100000000000001';

const schemaOf = async (db: Kysely<InboxDatabase>, type: 'index' | 'trigger') =>
  (
    await sql<{
      name: string;
      sql: string;
    }>`SELECT name, sql FROM sqlite_master WHERE tbl_name = 'conversations' AND type = ${type} AND sql IS NOT NULL ORDER BY name`.execute(db)
  ).rows;

describe('migration 0016 on SQLite', () => {
  it('rebuilds conversations without the one-per-contact constraint, keeping rows, ids, references, indexes and triggers', async () => {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    const old = new Kysely<InboxDatabase>({ dialect: new SqliteDialect({ database: new Database(path.join(temp.dir, DATABASE_FILE)) }) });
    let before: { rows: unknown[]; indexes: unknown[]; triggers: unknown[] };
    try {
      expect((await new Migrator({ db: old, provider: { getMigrations: () => Promise.resolve(BEFORE_0016) } }).migrateToLatest()).error).toBeUndefined();
      await sql`PRAGMA foreign_keys = ON`.execute(old);
      const contacts = [];
      for (const waId of ['393470000001', '393470000002', '393470000003']) {
        contacts.push((await old.insertInto('contacts').values(contactRow(waId)).returning('id').executeTakeFirstOrThrow()).id);
      }
      const ids = [];
      for (const contactId of contacts) {
        const row = {
          contact_id: contactId,
          business_phone_number_id: NUMBER,
          last_inbound_at: 5,
          last_message_at: 5,
          last_message_id: null,
          created_at: 1,
          updated_at: 1,
        };
        ids.push((await old.insertInto('conversations').values(row).returning('id').executeTakeFirstOrThrow()).id);
      }
      // The last conversation is gone again: its id is never handed out twice.
      await old
        .deleteFrom('conversations')
        .where('id', '=', ids[2] ?? 0)
        .execute();
      await sql`INSERT INTO messages (wamid, conversation_id, direction, origin, type, content_json, sent_at, received_at, status, status_rank)
        VALUES ('wamid.kept', ${ids[0] ?? 0}, 'inbound', 'customer', 'text', '{"type":"text","body":"hello"}', 5, 5, 'received', 0)`.execute(old);
      await old
        .insertInto('read_receipts')
        .values({
          conversation_id: ids[1] ?? 0,
          wamid: 'wamid.other',
          state: 'queued',
          next_attempt_at: null,
          error_code: null,
          error_reason: null,
          updated_at: 1,
        })
        .execute();
      await old.updateTable('conversations').set({ unread_count: 3 }).execute();
      before = {
        rows: (await sql`SELECT * FROM conversations ORDER BY id`.execute(old)).rows,
        indexes: await schemaOf(old, 'index'),
        triggers: await schemaOf(old, 'trigger'),
      };
    } finally {
      await old.destroy();
    }

    const store: OpenedDatabase = await openDatabase(temp.dir);
    cleanups.push(() => store.close());
    const { db } = store;
    const rows = (await sql<Record<string, unknown>>`SELECT * FROM conversations ORDER BY id`.execute(db)).rows;
    // The columns the rows had, as they were; the new ones at their defaults.
    const oldColumns = Object.keys(before.rows[0] ?? {});
    expect(rows.map((row) => Object.fromEntries(oldColumns.map((column) => [column, row[column]])))).toEqual(before.rows);
    expect(rows.every((row) => row.state === 'open' && row.resolved_by_agent_id === null)).toBe(true);
    expect(await schemaOf(db, 'index')).toEqual(expect.arrayContaining(before.indexes));
    expect(await schemaOf(db, 'trigger')).toEqual(expect.arrayContaining(before.triggers));
    expect((await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(db)).rows[0]?.foreign_keys).toBe(1);
    expect((await sql`PRAGMA foreign_key_check`.execute(db)).rows).toEqual([]);
    expect((await sql`SELECT name FROM sqlite_master WHERE name = 'conversations_rebuilt'`.execute(db)).rows).toEqual([]);

    // The feed's triggers still fire on the rebuilt table.
    const [first, second] = rows.map((row) => Number(row.id));
    if (first === undefined || second === undefined) throw new Error('two conversations were made');
    await db.updateTable('conversations').set({ unread_count: 0 }).where('id', '=', first).execute();
    expect(await db.selectFrom('events').select('kind').where('conversation_id', '=', first).execute()).toContainEqual({ kind: 'conversation' });
    // A new conversation takes a new id, past the one deleted before the migration.
    const contactId = Number(rows[0]?.contact_id);
    const another = { business_phone_number_id: NUMBER, last_inbound_at: null, last_message_at: null, last_message_id: null, created_at: 2, updated_at: 2 };
    // One conversation per contact and number that is not resolved, as the constraint said; after a resolution, another.
    await expect(
      db
        .insertInto('conversations')
        .values({ ...another, contact_id: contactId })
        .execute(),
    ).rejects.toThrow(/UNIQUE/);
    await db.updateTable('conversations').set({ state: 'resolved' }).where('id', '=', first).execute();
    const next = await db
      .insertInto('conversations')
      .values({ ...another, contact_id: contactId })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(next.id).toBe(second + 2);
    // References still bite: a message of a conversation that does not exist is refused.
    await expect(
      sql`INSERT INTO read_receipts (conversation_id, wamid, state, attempts, updated_at) VALUES (9999, 'w', 'queued', 0, 1)`.execute(db),
    ).rejects.toThrow(/FOREIGN KEY/);
  });
});
