import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { dialectOf } from '../sql-dialect.js';

/**
 * A conversation taken by another agent must leave the other agents' screens and caches, so an
 * assignment change becomes a feed event of its own kind (`assignment`), which the feed turns into
 * `conversation` for those who may see it and `conversation_hidden` for those who no longer may.
 * Reads stay `conversation` events, delivered only to those who see the conversation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) === 'postgres') return await upOnPostgres(db);
  const nowMs = sql.raw(`CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`);
  await sql`DROP TRIGGER events_conversation_changed`.execute(db);
  await sql`CREATE TRIGGER events_conversation_read AFTER UPDATE OF unread_count ON conversations
    WHEN NEW.unread_count < OLD.unread_count AND OLD.assigned_agent_id IS NEW.assigned_agent_id
    BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at) VALUES ('conversation', NEW.id, NULL, ${nowMs}); END`.execute(db);
  await sql`CREATE TRIGGER events_conversation_assigned AFTER UPDATE OF assigned_agent_id ON conversations
    WHEN OLD.assigned_agent_id IS NOT NEW.assigned_agent_id
    BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at) VALUES ('assignment', NEW.id, NULL, ${nowMs}); END`.execute(db);
}

/** The same triggers as PL/pgSQL functions, inserting unnumbered rows (0003's `postgresFeedTriggers`). */
async function upOnPostgres(db: Kysely<unknown>): Promise<void> {
  const nowMs = sql.raw('floor(extract(epoch from clock_timestamp()) * 1000)::bigint');
  await sql`DROP TRIGGER events_conversation_changed ON conversations`.execute(db);
  await sql`DROP FUNCTION events_conversation_changed()`.execute(db);
  for (const [name, kind, when] of [
    ['events_conversation_read', 'conversation', 'NEW.unread_count < OLD.unread_count AND OLD.assigned_agent_id IS NOT DISTINCT FROM NEW.assigned_agent_id'],
    ['events_conversation_assigned', 'assignment', 'OLD.assigned_agent_id IS DISTINCT FROM NEW.assigned_agent_id'],
  ] as const) {
    await sql`CREATE FUNCTION ${sql.raw(name)}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at) VALUES (${sql.lit(kind)}, NEW.id, NULL, ${nowMs}); RETURN NULL; END $$`.execute(
      db,
    );
    await sql`CREATE TRIGGER ${sql.raw(name)} AFTER UPDATE OF ${sql.raw(kind === 'assignment' ? 'assigned_agent_id' : 'unread_count')} ON conversations
      FOR EACH ROW WHEN (${sql.raw(when)}) EXECUTE FUNCTION ${sql.raw(name)}()`.execute(db);
  }
}
