import type { Kysely } from 'kysely';
import { notNull, TIME } from './portable-columns.js';

/**
 * The safety policy (issue 13): one row (`id` 1), the document an admin set
 * (common/safety/safety-policy.ts, as JSON text, read leniently), its version (each change adds 1;
 * a change made from an older version is refused) and who changed it when. No row: the defaults,
 * version 0. Who changed it is kept as the audit log's actor name (`agent:7:alice`, `cli:root`),
 * so a change made with the admin CLI is named too. Portable (docs/store.md): schema builder only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('safety_policy')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'integer', notNull)
    .addColumn('policy_json', 'text', notNull)
    .addColumn('changed_by', 'text', notNull)
    .addColumn('changed_at', TIME, notNull)
    .execute();
}
