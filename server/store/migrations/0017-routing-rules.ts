import type { Kysely } from 'kysely';
import { notNull, TIME, withId } from './portable-columns.js';

/**
 * Routing rules (issue 12): which team a new conversation goes to, decided in order (`position`,
 * 1 first), the first enabled rule whose condition matches winning. A condition is one of a few
 * kinds (`condition_kind`) with its parameters as JSON text (`condition_json`, read through the
 * schema in common/api/routing.ts). `team_id` names the team without a foreign key on purpose: a
 * team can be deleted while rules still name it, and such a rule is skipped (ids are never reused,
 * so it can never start naming another team). Portable (docs/store.md): schema builder only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db.schema.createTable('routing_rules'))
    .addColumn('position', 'integer', notNull)
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('condition_kind', 'text', notNull)
    .addColumn('condition_json', 'text', notNull)
    .addColumn('team_id', 'integer', notNull)
    .addColumn('created_at', TIME, notNull)
    .addColumn('updated_at', TIME, notNull)
    .execute();
  await db.schema.createIndex('routing_rules_in_order').on('routing_rules').columns(['position', 'id']).execute();
}
