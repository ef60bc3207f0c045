import type { Kysely } from 'kysely';
import { notNull, TIME } from './portable-columns.js';

/**
 * Message templates synced from Meta (issue 14, docs/templates.md). `message_templates`: one row
 * per template of a WhatsApp Business Account, keyed by Meta's template id, with what Meta said
 * of it (status and its reason, category, quality) and its components read into Sportello's model
 * (common/templates/template.ts, as JSON text). A template Meta no longer lists keeps its row with
 * `removed_at` set. `template_syncs`: each account's last sync (when, how many, its error).
 * The customers' marketing opt-out lives on `contacts` since 0001 (`marketing_preference`).
 * Portable (docs/store.md): schema builder only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('message_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('waba_id', 'text', notNull)
    .addColumn('name', 'text', notNull)
    .addColumn('language', 'text', notNull)
    .addColumn('category', 'text', notNull)
    .addColumn('status', 'text', notNull)
    .addColumn('status_reason', 'text')
    .addColumn('quality', 'text', notNull)
    .addColumn('parameter_format', 'text', notNull)
    .addColumn('components_json', 'text', notNull)
    .addColumn('removed_at', TIME)
    .addColumn('synced_at', TIME, notNull)
    .addColumn('updated_at', TIME, notNull)
    .execute();
  await db.schema.createIndex('message_templates_account').on('message_templates').columns(['waba_id', 'name', 'language']).execute();
  await db.schema
    .createTable('template_syncs')
    .addColumn('waba_id', 'text', (c) => c.primaryKey())
    .addColumn('synced_at', TIME)
    .addColumn('listed', 'integer', notNull)
    .addColumn('removed', 'integer', notNull)
    .addColumn('error', 'text')
    .addColumn('attempted_at', TIME, notNull)
    .execute();
}
