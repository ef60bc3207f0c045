import type { Kysely } from 'kysely';
import { notNull, TIME } from './portable-columns.js';

/**
 * What credential guessing must not be able to undo or hide: the locks of usernames that do not
 * exist (so a restart does not lift them while real accounts stay locked), and the refresh tokens
 * a session has replaced (so one presented again is recognised as a copy and ends the session).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('unknown_username_locks')
    // A keyed hash of the name typed: the table never holds what strangers typed (a password, often).
    .addColumn('username_hash', 'text', (c) => c.primaryKey())
    .addColumn('locked_at', TIME, notNull)
    .execute();
  await db.schema.createIndex('unknown_username_locks_by_time').on('unknown_username_locks').columns(['locked_at', 'username_hash']).execute();

  await db.schema
    .createTable('retired_refresh_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'integer', (c) => c.notNull().references('sessions.id'))
    // The session's absolute end: past it the token could not refresh anyway, and the row goes.
    .addColumn('expires_at', TIME, notNull)
    .addColumn('retired_at', TIME, notNull)
    .execute();
  await db.schema.createIndex('retired_refresh_tokens_by_expiry').on('retired_refresh_tokens').column('expires_at').execute();
}
