import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { notNull, TIME, withId } from './portable-columns.js';

/**
 * Several business numbers (issue 11). `business_numbers` holds each number the server serves:
 * its access token and (when it differs from WHATSAPP_APP_SECRET) its app secret sealed under the
 * server key (server/numbers/number-secrets.ts), never in the clear; its health (a token Meta
 * refused); a default team for when teams exist. `unknown_number_webhooks` keeps signed webhook
 * bodies naming a number that is not configured, for an admin to see, never lost.
 *
 * Existing conversations belong to the numbers they were received on: each distinct
 * `business_phone_number_id` becomes a number with no token yet (`no_token`), which the start-up
 * seeding of WHATSAPP_* fills in for the number those settings name (server/numbers/seed-numbers.ts).
 * Portable (docs/store.md): schema builder, an INSERT … SELECT, no triggers.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db.schema.createTable('business_numbers'))
    .addColumn('phone_number_id', 'text', (c) => c.notNull().unique())
    .addColumn('waba_id', 'text')
    .addColumn('display_name', 'text', notNull)
    .addColumn('access_token_sealed', 'text')
    .addColumn('app_secret_sealed', 'text')
    .addColumn('default_team_id', 'integer')
    .addColumn('from_environment', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('health_state', 'text', notNull)
    .addColumn('health_error_code', 'text')
    .addColumn('health_reason', 'text')
    .addColumn('health_changed_at', TIME)
    .addColumn('created_at', TIME, notNull)
    .addColumn('updated_at', TIME, notNull)
    .execute();

  await withId(db.schema.createTable('unknown_number_webhooks'))
    .addColumn('phone_number_id', 'text', notNull)
    .addColumn('waba_id', 'text')
    .addColumn('reason', 'text', notNull)
    .addColumn('payload', 'text', notNull)
    .addColumn('payload_sha256', 'text', (c) => c.notNull().unique())
    .addColumn('received_at', TIME, notNull)
    .execute();
  await db.schema.createIndex('unknown_number_webhooks_by_number').on('unknown_number_webhooks').columns(['phone_number_id', 'received_at']).execute();

  const now = Date.now();
  await sql`INSERT INTO business_numbers (phone_number_id, display_name, health_state, created_at, updated_at)
    SELECT DISTINCT business_phone_number_id, business_phone_number_id, 'no_token', ${sql.lit(now)}, ${sql.lit(now)} FROM conversations`.execute(db);
}
