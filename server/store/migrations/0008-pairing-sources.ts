import type { Kysely } from 'kysely';

/**
 * A pairing request proves nothing about who sent it, so it no longer supersedes another
 * pending pairing of the same machine ID: several may wait side by side, a few per machine ID,
 * and the requests that join one already waiting are limited per source address. Each pairing
 * keeps the address it came from and whether another was waiting when it arrived. Rows from
 * before have no address and count as uncontested.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('pairings').addColumn('requested_from', 'text').execute();
  await db.schema
    .alterTable('pairings')
    .addColumn('contested', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('pairings_by_source').on('pairings').columns(['requested_from', 'created_at']).execute();
}
