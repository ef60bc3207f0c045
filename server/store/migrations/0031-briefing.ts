import type { Kysely } from 'kysely';
import { notNull, TIME, withId } from './portable-columns.js';

/**
 * The security briefing (issue 13). `briefing_versions`: each version an admin published, whole
 * (its rules as JSON text: ids, titles and texts in English and Italian), who published it (the
 * audit log's actor name) and when; no row: the built-in version 1 (common/briefing/briefing.ts)
 * is in force. `briefing_acknowledgements`: one row per rule an agent acknowledged of a version,
 * all of a version's rules in one transaction, so any row of (agent, version) means the whole
 * version was acknowledged then. Portable (docs/store.md): schema builder only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('briefing_versions')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('rules_json', 'text', notNull)
    .addColumn('published_by', 'text', notNull)
    .addColumn('published_at', TIME, notNull)
    .execute();
  await withId(db.schema.createTable('briefing_acknowledgements'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('version', 'integer', notNull)
    .addColumn('rule_id', 'text', notNull)
    .addColumn('acknowledged_at', TIME, notNull)
    .addUniqueConstraint('briefing_acknowledgements_rule', ['agent_id', 'version', 'rule_id'])
    .execute();
}
