import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { dialectOf } from '../sql-dialect.js';
import { TIME } from './portable-columns.js';

/**
 * What the virus scanner and the byte check made of each stored file (issue 13): its scan state
 * (`scanning`, `clean`, `infected`, `refused`, `unscanned`; null while the file is not stored),
 * why (an `attachment_*` code for a refusal, a `scanner_*` code for a file that could not be
 * scanned), when, and the signature clamd named, kept on the server only. `rescan_due` marks the
 * files the periodic rescan has still to scan again, so a rescan cut short resumes after a restart.
 * Files stored before this migration were never scanned: `unscanned`, which the next rescan scans.
 * A change of scan state is a `message` event of every message carrying the file, written by the
 * store itself as the other feed events are (migration 0003).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('media').addColumn('scan_state', 'text').execute();
  await db.schema.alterTable('media').addColumn('scan_reason', 'text').execute();
  await db.schema.alterTable('media').addColumn('scan_signature', 'text').execute();
  await db.schema.alterTable('media').addColumn('scanned_at', TIME).execute();
  await db.schema
    .alterTable('media')
    .addColumn('rescan_due', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await sql`UPDATE media SET scan_state = 'unscanned', scan_reason = 'scanner_not_configured' WHERE state = 'stored'`.execute(db);
  await db.schema.createIndex('media_rescan_due').on('media').columns(['rescan_due', 'id']).execute();
  if (dialectOf(db) === 'postgres') {
    await sql`CREATE FUNCTION events_media_scan_state() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at)
        SELECT 'message', conversation_id, id, floor(extract(epoch from clock_timestamp()) * 1000)::bigint FROM messages WHERE media_id = NEW.id;
      RETURN NULL; END $$`.execute(db);
    await sql`CREATE TRIGGER events_media_scan_state AFTER UPDATE OF scan_state ON media FOR EACH ROW
      WHEN (OLD.scan_state IS DISTINCT FROM NEW.scan_state) EXECUTE FUNCTION events_media_scan_state()`.execute(db);
    return;
  }
  const nowMs = sql.raw(`CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`);
  await sql`CREATE TRIGGER events_media_scan_state AFTER UPDATE OF scan_state ON media WHEN OLD.scan_state IS NOT NEW.scan_state
    BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at)
      SELECT 'message', conversation_id, id, ${nowMs} FROM messages WHERE media_id = NEW.id; END`.execute(db);
}
