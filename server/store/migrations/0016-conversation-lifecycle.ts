import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { dialectOf } from '../sql-dialect.js';
import { notNull, TIME, withId } from './portable-columns.js';

/**
 * Conversation states (issue 12): open, pending (waiting for the customer), snoozed (until a
 * time), resolved. A customer writing after a resolution starts a new conversation of the same
 * contact on the same number, so "one conversation per contact and number" becomes "one not yet
 * resolved": the unique constraint of 0001 goes and a partial unique index takes its place. Each
 * change is a row of `conversation_history`, which the feed carries (`events.entry_id`); a state
 * change is a `conversation` event of its own.
 *
 * Additive for the conversations table but for that constraint: SQLite cannot drop a table
 * constraint, so there the table is rebuilt from its own stored definition, whatever columns,
 * indexes and triggers earlier migrations gave it (read from sqlite_master, not written out here).
 * PostgreSQL drops the constraint by its name. Portable otherwise (docs/store.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = dialectOf(db) === 'postgres';
  if (postgres) await sql`ALTER TABLE conversations DROP CONSTRAINT conversations_contact_number`.execute(db);
  else await rebuildConversationsWithoutContactConstraint(db);

  await db.schema
    .alterTable('conversations')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('open'))
    .execute();
  await db.schema.alterTable('conversations').addColumn('state_changed_at', TIME).execute();
  await db.schema.alterTable('conversations').addColumn('snoozed_until', TIME).execute();
  await db.schema
    .alterTable('conversations')
    .addColumn('resolved_by_agent_id', 'integer', (c) => c.references('agents.id'))
    .execute();
  await db.schema.alterTable('conversations').addColumn('resolved_at', TIME).execute();
  await db.schema
    .alterTable('conversations')
    .addColumn('previous_conversation_id', 'integer', (c) => c.references('conversations.id'))
    .execute();
  await db.schema
    .alterTable('conversations')
    .addColumn('previous_resolved_by_agent_id', 'integer', (c) => c.references('agents.id'))
    .execute();

  // The webhook's lookup (the contact's latest conversation on the number) and the history route.
  await db.schema.createIndex('conversations_by_contact').on('conversations').columns(['contact_id', 'business_phone_number_id', 'id']).execute();
  await db.schema
    .createIndex('conversations_one_unresolved')
    .on('conversations')
    .columns(['contact_id', 'business_phone_number_id'])
    .unique()
    .where(sql.ref('state'), '<>', 'resolved')
    .execute();
  await db.schema.createIndex('conversations_snoozed_due').on('conversations').column('snoozed_until').where(sql.ref('state'), '=', 'snoozed').execute();
  await db.schema.createIndex('conversations_by_agent_state').on('conversations').columns(['assigned_agent_id', 'state']).execute();

  await withId(db.schema.createTable('conversation_history'))
    .addColumn('conversation_id', 'integer', (c) => c.notNull().references('conversations.id'))
    .addColumn('kind', 'text', notNull)
    .addColumn('from_state', 'text')
    .addColumn('state', 'text')
    .addColumn('snoozed_until', TIME)
    .addColumn('assigned_agent_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('actor_agent_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('cause', 'text', notNull)
    .addColumn('at', TIME, notNull)
    .addColumn('after_message_id', 'integer', (c) => c.references('messages.id'))
    .execute();
  await db.schema.createIndex('conversation_history_by_conversation').on('conversation_history').columns(['conversation_id', 'at', 'id']).execute();

  await db.schema.alterTable('events').addColumn('entry_id', 'integer').execute();
  if (postgres) await feedTriggersOnPostgres(db);
  else await feedTriggersOnSqlite(db);
}

async function feedTriggersOnSqlite(db: Kysely<unknown>): Promise<void> {
  const nowMs = sql.raw(`CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`);
  await sql`CREATE TRIGGER events_history_added AFTER INSERT ON conversation_history
    BEGIN INSERT INTO events (kind, conversation_id, message_id, entry_id, created_at) VALUES ('history', NEW.conversation_id, NULL, NEW.id, ${nowMs}); END`.execute(
    db,
  );
  await sql`CREATE TRIGGER events_conversation_state AFTER UPDATE OF state, snoozed_until ON conversations
    WHEN OLD.state IS NOT NEW.state OR OLD.snoozed_until IS NOT NEW.snoozed_until
    BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at) VALUES ('conversation', NEW.id, NULL, ${nowMs}); END`.execute(db);
}

/** The same two triggers as PL/pgSQL functions, inserting unnumbered rows (0003's `postgresFeedTriggers`). */
async function feedTriggersOnPostgres(db: Kysely<unknown>): Promise<void> {
  const nowMs = sql.raw('floor(extract(epoch from clock_timestamp()) * 1000)::bigint');
  await sql`CREATE FUNCTION events_history_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO events (kind, conversation_id, message_id, entry_id, created_at) VALUES ('history', NEW.conversation_id, NULL, NEW.id, ${nowMs}); RETURN NULL; END $$`.execute(
    db,
  );
  await sql`CREATE TRIGGER events_history_added AFTER INSERT ON conversation_history FOR EACH ROW EXECUTE FUNCTION events_history_added()`.execute(db);
  await sql`CREATE FUNCTION events_conversation_state() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at) VALUES ('conversation', NEW.id, NULL, ${nowMs}); RETURN NULL; END $$`.execute(db);
  await sql`CREATE TRIGGER events_conversation_state AFTER UPDATE OF state, snoozed_until ON conversations
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.snoozed_until IS DISTINCT FROM NEW.snoozed_until)
    EXECUTE FUNCTION events_conversation_state()`.execute(db);
}

interface SchemaEntry {
  readonly type: string;
  readonly name: string;
  readonly sql: string | null;
}

const CONTACT_CONSTRAINT = /,\s*constraint\s+"conversations_contact_number"\s+unique\s*\(\s*"contact_id"\s*,\s*"business_phone_number_id"\s*\)/i;

/**
 * SQLite's way to drop a table constraint (https://sqlite.org/lang_altertable.html#otheralter):
 * a new table from the stored definition without it, the rows copied, the old table dropped and
 * the new one renamed, its indexes and triggers made again from their stored text, and the
 * AUTOINCREMENT high-water mark kept, all in one transaction with foreign keys off (they are
 * checked before it commits). Kysely runs SQLite migrations outside a transaction, which is what
 * lets the foreign keys pragma change here.
 */
async function rebuildConversationsWithoutContactConstraint(db: Kysely<unknown>): Promise<void> {
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    await sql`BEGIN IMMEDIATE`.execute(db);
    try {
      const entries = (await sql<SchemaEntry>`SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'conversations'`.execute(db)).rows;
      const table = entries.find((entry) => entry.type === 'table');
      if (table?.sql == null || !CONTACT_CONSTRAINT.test(table.sql)) {
        throw new Error('the conversations table does not hold the constraint conversations_contact_number as migration 0001 made it');
      }
      const rebuilt = table.sql.replace(CONTACT_CONSTRAINT, '').replace(/^CREATE TABLE "conversations"/, 'CREATE TABLE "conversations_rebuilt"');
      const kept = entries.filter((entry) => entry.type !== 'table' && entry.sql !== null);
      const sequence = await sql<{ seq: number }>`SELECT seq FROM sqlite_sequence WHERE name = 'conversations'`.execute(db);
      await sql.raw(rebuilt).execute(db);
      await sql`INSERT INTO conversations_rebuilt SELECT * FROM conversations`.execute(db);
      await sql`DROP TABLE conversations`.execute(db);
      // Legacy renaming: the rest of the schema is neither checked nor rewritten against the table's absence.
      await sql`PRAGMA legacy_alter_table = ON`.execute(db);
      await sql`ALTER TABLE conversations_rebuilt RENAME TO conversations`.execute(db);
      await sql`PRAGMA legacy_alter_table = OFF`.execute(db);
      for (const entry of kept) await sql.raw(entry.sql ?? '').execute(db);
      const highWater = sequence.rows[0]?.seq;
      if (highWater !== undefined) {
        await sql`DELETE FROM sqlite_sequence WHERE name IN ('conversations', 'conversations_rebuilt')`.execute(db);
        await sql`INSERT INTO sqlite_sequence (name, seq) VALUES ('conversations', ${highWater})`.execute(db);
      }
      const broken = await sql`PRAGMA foreign_key_check`.execute(db);
      if (broken.rows.length > 0) throw new Error(`rebuilding conversations would break ${broken.rows.length} foreign key(s)`);
      await sql`COMMIT`.execute(db);
    } catch (error) {
      await sql`ROLLBACK`.execute(db);
      throw error;
    }
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}
