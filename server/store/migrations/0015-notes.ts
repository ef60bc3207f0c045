import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { dialectOf } from '../sql-dialect.js';
import { notNull, TIME, withId } from './portable-columns.js';

/**
 * Internal notes (issue 12): `notes` holds what an agent wrote in a conversation for colleagues,
 * never sent to the customer (nothing here is read by the outbound dispatcher, which reads
 * `messages`); `client_note_id` is the writer's key, so a retry adds a note once. `note_mentions`
 * names the agents a note mentions. A note becomes a feed event of its own kind (`note`, with
 * `events.note_id`), written by a trigger in the note's own transaction as every other event is;
 * the feed turns it into `note` for those who may see the conversation and `mention` for each
 * mentioned agent who may. Portable (docs/store.md): schema builder, one trigger per dialect.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db.schema.createTable('notes'))
    .addColumn('conversation_id', 'integer', (c) => c.notNull().references('conversations.id'))
    .addColumn('author_agent_id', 'integer', (c) => c.notNull().references('agents.id'))
    .addColumn('body', 'text', notNull)
    .addColumn('client_note_id', 'text', notNull)
    .addColumn('created_at', TIME, notNull)
    .addUniqueConstraint('notes_client_key', ['author_agent_id', 'client_note_id'])
    .execute();
  await db.schema.createIndex('notes_by_conversation').on('notes').columns(['conversation_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('note_mentions')
    .addColumn('note_id', 'integer', (c) => c.notNull().references('notes.id'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id'))
    .addColumn('position', 'integer', notNull)
    .addPrimaryKeyConstraint('note_mentions_key', ['note_id', 'agent_id'])
    .execute();
  await db.schema.createIndex('note_mentions_by_agent').on('note_mentions').columns(['agent_id', 'note_id']).execute();

  await db.schema.alterTable('events').addColumn('note_id', 'integer').execute();

  if (dialectOf(db) === 'postgres') {
    const nowMs = sql.raw('floor(extract(epoch from clock_timestamp()) * 1000)::bigint');
    await sql`CREATE FUNCTION events_note_added() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO events (kind, conversation_id, message_id, note_id, created_at) VALUES ('note', NEW.conversation_id, NULL, NEW.id, ${nowMs}); RETURN NULL; END $$`.execute(
      db,
    );
    await sql`CREATE TRIGGER events_note_added AFTER INSERT ON notes FOR EACH ROW EXECUTE FUNCTION events_note_added()`.execute(db);
    return;
  }
  const nowMs = sql.raw(`CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`);
  await sql`CREATE TRIGGER events_note_added AFTER INSERT ON notes
    BEGIN INSERT INTO events (kind, conversation_id, message_id, note_id, created_at) VALUES ('note', NEW.conversation_id, NULL, NEW.id, ${nowMs}); END`.execute(
    db,
  );
}
