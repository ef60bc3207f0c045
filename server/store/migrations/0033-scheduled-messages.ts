import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { dialectOf } from '../sql-dialect.js';
import { notNull, TIME, withId } from './portable-columns.js';

/**
 * Scheduled messages and reminders (issue 14, "Scheduled messages").
 * `scheduled_messages`: what an agent scheduled in a conversation, under their idempotency key
 * (a retry schedules once): the content and the optional fallback template as JSON, the instant
 * and the time zone it was picked in, its state (pending, sending, sent, returned, cancelled), the
 * reason it came back, and the message it became. Each pending one has a job of the runner
 * (`message.scheduled`, dedupe key `scheduled:<id>`).
 * `reminders`: one per agent and conversation ("remind me at"), a job `conversation.reminder`.
 * `events.scheduled_id` / `events.reminder_id`: their feed events, written by triggers in the
 * change's own transaction as every other event is (a scheduled message on every change, a
 * reminder when it comes due). Portable (docs/store.md): schema builder, one trigger set per dialect.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db.schema.createTable('scheduled_messages'))
    .addColumn('conversation_id', 'integer', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id'))
    .addColumn('content_json', 'text', notNull)
    .addColumn('fallback_json', 'text')
    .addColumn('send_at', TIME, notNull)
    .addColumn('time_zone', 'text', notNull)
    .addColumn('state', 'text', notNull)
    .addColumn('reason', 'text')
    .addColumn('message_id', 'integer', (c) => c.references('messages.id').onDelete('set null'))
    .addColumn('sent_as_fallback', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('confirmed_code', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('request_hash', 'text', notNull)
    .addColumn('created_at', TIME, notNull)
    .addColumn('updated_at', TIME, notNull)
    .execute();
  await db.schema.createIndex('scheduled_messages_by_conversation').on('scheduled_messages').columns(['conversation_id', 'state', 'send_at', 'id']).execute();
  await db.schema.createIndex('scheduled_messages_by_state').on('scheduled_messages').columns(['state', 'send_at', 'id']).execute();

  await withId(db.schema.createTable('reminders'))
    .addColumn('conversation_id', 'integer', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id'))
    .addColumn('remind_at', TIME, notNull)
    .addColumn('time_zone', 'text', notNull)
    .addColumn('state', 'text', notNull)
    .addColumn('created_at', TIME, notNull)
    .addColumn('updated_at', TIME, notNull)
    .addUniqueConstraint('reminders_per_agent', ['conversation_id', 'agent_id'])
    .execute();

  await db.schema.alterTable('events').addColumn('scheduled_id', 'integer').execute();
  await db.schema.alterTable('events').addColumn('reminder_id', 'integer').execute();

  if (dialectOf(db) === 'postgres') {
    const nowMs = sql.raw('floor(extract(epoch from clock_timestamp()) * 1000)::bigint');
    await sql`CREATE FUNCTION events_scheduled_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO events (kind, conversation_id, message_id, scheduled_id, created_at) VALUES ('scheduled', NEW.conversation_id, NULL, NEW.id, ${nowMs}); RETURN NULL; END $$`.execute(
      db,
    );
    await sql`CREATE TRIGGER events_scheduled_added AFTER INSERT ON scheduled_messages FOR EACH ROW EXECUTE FUNCTION events_scheduled_changed()`.execute(db);
    await sql`CREATE TRIGGER events_scheduled_updated AFTER UPDATE ON scheduled_messages FOR EACH ROW EXECUTE FUNCTION events_scheduled_changed()`.execute(db);
    await sql`CREATE FUNCTION events_reminder_due() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO events (kind, conversation_id, message_id, reminder_id, created_at) VALUES ('reminder', NEW.conversation_id, NULL, NEW.id, ${nowMs}); RETURN NULL; END $$`.execute(
      db,
    );
    await sql`CREATE TRIGGER events_reminder_due AFTER UPDATE OF state ON reminders
      FOR EACH ROW WHEN (NEW.state = 'due' AND OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION events_reminder_due()`.execute(db);
    return;
  }
  const nowMs = sql.raw(`CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`);
  await sql`CREATE TRIGGER events_scheduled_added AFTER INSERT ON scheduled_messages
    BEGIN INSERT INTO events (kind, conversation_id, message_id, scheduled_id, created_at) VALUES ('scheduled', NEW.conversation_id, NULL, NEW.id, ${nowMs}); END`.execute(
    db,
  );
  await sql`CREATE TRIGGER events_scheduled_updated AFTER UPDATE ON scheduled_messages
    BEGIN INSERT INTO events (kind, conversation_id, message_id, scheduled_id, created_at) VALUES ('scheduled', NEW.conversation_id, NULL, NEW.id, ${nowMs}); END`.execute(
    db,
  );
  await sql`CREATE TRIGGER events_reminder_due AFTER UPDATE OF state ON reminders
    WHEN NEW.state = 'due' AND OLD.state IS NOT NEW.state
    BEGIN INSERT INTO events (kind, conversation_id, message_id, reminder_id, created_at) VALUES ('reminder', NEW.conversation_id, NULL, NEW.id, ${nowMs}); END`.execute(
    db,
  );
}
