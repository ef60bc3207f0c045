import type { Kysely } from 'kysely';
import { notNull } from './portable-columns.js';

/**
 * Several replicas on one PostgreSQL (issue 15, docs/replicas.md). `send_pacing`: each business
 * number's next free send slot, in microseconds of the database's clock, taken under the row's
 * lock by whichever replica sends next, so the number's pace holds across replicas.
 * `messages.dispatched_at`: when the latest attempt of an outbound message was handed out (the
 * database's clock, milliseconds), so the customer pair limit counts every replica's sends.
 * SQLite (one process) paces in memory and leaves both unused. Portable: schema builder only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('send_pacing')
    .addColumn('phone_number_id', 'text', (c) => c.primaryKey())
    .addColumn('next_free_us', 'bigint', notNull)
    .execute();
  await db.schema.alterTable('messages').addColumn('dispatched_at', 'bigint').execute();
}
