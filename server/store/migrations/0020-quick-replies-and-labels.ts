import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { dialectOf } from '../sql-dialect.js';
import { notNull, TIME, withId } from './portable-columns.js';

/**
 * Quick replies and labels (issue 12). Each is global (`team_id` null) or of one team;
 * `scope_key` is the team's id or 0 for global, so a shortcut or a label name is unique within
 * its scope by a plain unique constraint (NULLs would all differ). Both go with their team.
 * `conversation_labels` holds which labels a conversation carries: putting one on or taking it
 * off, and renaming or recolouring a label, writes the `conversation` feed event of each
 * conversation concerned, by triggers in the change's own transaction, so every viewer's list and
 * cache get the summary with its labels as they are. Portable (docs/store.md): schema builder,
 * one set of triggers per dialect.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db.schema.createTable('quick_replies'))
    .addColumn('team_id', 'integer', (c) => c.references('teams.id').onDelete('cascade'))
    .addColumn('scope_key', 'integer', notNull)
    .addColumn('shortcut', 'text', notNull)
    .addColumn('text_en', 'text')
    .addColumn('text_it', 'text')
    .addColumn('created_at', TIME, notNull)
    .addColumn('updated_at', TIME, notNull)
    .addUniqueConstraint('quick_replies_shortcut', ['scope_key', 'shortcut'])
    .execute();

  await withId(db.schema.createTable('labels'))
    .addColumn('team_id', 'integer', (c) => c.references('teams.id').onDelete('cascade'))
    .addColumn('scope_key', 'integer', notNull)
    .addColumn('name', 'text', notNull)
    .addColumn('name_key', 'text', notNull)
    .addColumn('color', 'text', notNull)
    .addColumn('created_at', TIME, notNull)
    .addColumn('updated_at', TIME, notNull)
    .addUniqueConstraint('labels_name', ['scope_key', 'name_key'])
    .execute();

  await db.schema
    .createTable('conversation_labels')
    .addColumn('conversation_id', 'integer', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('label_id', 'integer', (c) => c.notNull().references('labels.id').onDelete('cascade'))
    .addColumn('added_by_agent_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('added_at', TIME, notNull)
    .addPrimaryKeyConstraint('conversation_labels_key', ['conversation_id', 'label_id'])
    .execute();
  await db.schema.createIndex('conversation_labels_by_label').on('conversation_labels').columns(['label_id', 'conversation_id']).execute();

  if (dialectOf(db) === 'postgres') await feedTriggersOnPostgres(db);
  else await feedTriggersOnSqlite(db);
}

async function feedTriggersOnSqlite(db: Kysely<unknown>): Promise<void> {
  const nowMs = sql.raw(`CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`);
  await sql`CREATE TRIGGER events_conversation_labelled AFTER INSERT ON conversation_labels
    BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at) VALUES ('conversation', NEW.conversation_id, NULL, ${nowMs}); END`.execute(db);
  await sql`CREATE TRIGGER events_conversation_unlabelled AFTER DELETE ON conversation_labels
    BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at) VALUES ('conversation', OLD.conversation_id, NULL, ${nowMs}); END`.execute(db);
  await sql`CREATE TRIGGER events_label_changed AFTER UPDATE OF name, color ON labels
    WHEN OLD.name IS NOT NEW.name OR OLD.color IS NOT NEW.color
    BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at)
      SELECT 'conversation', conversation_id, NULL, ${nowMs} FROM conversation_labels WHERE label_id = NEW.id; END`.execute(db);
}

/** The same three triggers as PL/pgSQL functions, inserting unnumbered rows (0003's `postgresFeedTriggers`). */
async function feedTriggersOnPostgres(db: Kysely<unknown>): Promise<void> {
  const nowMs = sql.raw('floor(extract(epoch from clock_timestamp()) * 1000)::bigint');
  await sql`CREATE FUNCTION events_conversation_labelled() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at) VALUES ('conversation', NEW.conversation_id, NULL, ${nowMs}); RETURN NULL; END $$`.execute(
    db,
  );
  await sql`CREATE TRIGGER events_conversation_labelled AFTER INSERT ON conversation_labels FOR EACH ROW EXECUTE FUNCTION events_conversation_labelled()`.execute(
    db,
  );
  await sql`CREATE FUNCTION events_conversation_unlabelled() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at) VALUES ('conversation', OLD.conversation_id, NULL, ${nowMs}); RETURN NULL; END $$`.execute(
    db,
  );
  await sql`CREATE TRIGGER events_conversation_unlabelled AFTER DELETE ON conversation_labels FOR EACH ROW EXECUTE FUNCTION events_conversation_unlabelled()`.execute(
    db,
  );
  await sql`CREATE FUNCTION events_label_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at)
      SELECT 'conversation', conversation_id, NULL, ${nowMs} FROM conversation_labels WHERE label_id = NEW.id; RETURN NULL; END $$`.execute(db);
  await sql`CREATE TRIGGER events_label_changed AFTER UPDATE OF name, color ON labels
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.color IS DISTINCT FROM NEW.color)
    EXECUTE FUNCTION events_label_changed()`.execute(db);
}
