import type { Kysely } from 'kysely';
import { notNull, TIME } from './portable-columns.js';

/**
 * Several replicas on one PostgreSQL (issue 15, docs/replicas.md). `send_pacing`: each business
 * number's next free send slot, in microseconds of the database's clock, taken under the row's
 * lock by whichever replica sends next, so the number's pace holds across replicas.
 * `messages.dispatched_at`: when the latest attempt of an outbound message was handed out (the
 * database's clock, milliseconds), so the customer pair limit counts every replica's sends.
 * `unknown_username_failures`: failed logins against usernames that do not exist, below the lock,
 * counted in the store so a name locks after as many failures as a real account whichever replica
 * took them (a real account's count is on `agents` already); keyed hashes, bounded like the locks.
 * `page_login_attempts`: the approval page's throttle (server/approval-page/shared-login-throttle.ts),
 * per kind (address, username) and keyed hash, so every replica brakes one guesser together.
 * SQLite (one process) paces and counts in memory and leaves these unused. Portable: schema builder only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('send_pacing')
    .addColumn('phone_number_id', 'text', (c) => c.primaryKey())
    .addColumn('next_free_us', 'bigint', notNull)
    .execute();
  await db.schema.alterTable('messages').addColumn('dispatched_at', 'bigint').execute();
  await db.schema
    .createTable('unknown_username_failures')
    .addColumn('username_hash', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', notNull)
    .addColumn('last_at', TIME, notNull)
    .execute();
  await db.schema.createIndex('unknown_username_failures_by_age').on('unknown_username_failures').columns(['last_at', 'username_hash']).execute();
  await db.schema
    .createTable('page_login_attempts')
    .addColumn('kind', 'text', notNull)
    .addColumn('key_hash', 'text', notNull)
    .addColumn('attempts', 'integer', notNull)
    .addColumn('last_at', TIME, notNull)
    .addPrimaryKeyConstraint('page_login_attempts_key', ['kind', 'key_hash'])
    .execute();
  await db.schema.createIndex('page_login_attempts_by_age').on('page_login_attempts').columns(['kind', 'last_at', 'key_hash']).execute();
}
