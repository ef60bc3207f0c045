import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { dialectOf } from '../sql-dialect.js';
import { notNull, TIME, withId } from './portable-columns.js';

/**
 * Blocked customers (issue 13, "Blocking a customer"). A block is of one contact on one business
 * number, as WhatsApp's own are (the Cloud API blocks a user per phone number ID): the customer's
 * conversations on that number stop routing, notifying and receiving, those on the company's other
 * numbers go on. One row while it holds (unblocking deletes it; the audit log keeps the history):
 * the agent's reason, who blocked and when, and what WhatsApp answered (`blocked`, `not_supported`,
 * `failed` with Meta's code, `pending` while the call runs). Blocking or unblocking writes the
 * `conversation` feed event of each of the contact's conversations on the number, by triggers in
 * the change's own transaction, so every viewer's list and cache follow. Portable (docs/store.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db.schema.createTable('customer_blocks'))
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('business_phone_number_id', 'text', notNull)
    .addColumn('reason', 'text', notNull)
    .addColumn('blocked_by_agent_id', 'integer', (c) => c.notNull().references('agents.id'))
    .addColumn('blocked_at', TIME, notNull)
    .addColumn('whatsapp_outcome', 'text', notNull)
    .addColumn('whatsapp_error_code', 'text')
    .addColumn('whatsapp_checked_at', TIME)
    .addUniqueConstraint('customer_blocks_contact_number', ['contact_id', 'business_phone_number_id'])
    .execute();
  if (dialectOf(db) === 'postgres') await feedTriggersOnPostgres(db);
  else await feedTriggersOnSqlite(db);
}

const CONVERSATIONS_OF = (row: 'NEW' | 'OLD') =>
  `FROM conversations WHERE contact_id = ${row}.contact_id AND business_phone_number_id = ${row}.business_phone_number_id`;

async function feedTriggersOnSqlite(db: Kysely<unknown>): Promise<void> {
  const nowMs = `CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`;
  for (const [name, when, row] of [
    ['events_customer_blocked', 'AFTER INSERT', 'NEW'],
    ['events_customer_block_changed', 'AFTER UPDATE', 'NEW'],
    ['events_customer_unblocked', 'AFTER DELETE', 'OLD'],
  ] as const) {
    await sql`CREATE TRIGGER ${sql.raw(name)} ${sql.raw(when)} ON customer_blocks
      BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at)
        SELECT 'conversation', id, NULL, ${sql.raw(nowMs)} ${sql.raw(CONVERSATIONS_OF(row))}; END`.execute(db);
  }
}

/** The same triggers as PL/pgSQL functions, inserting unnumbered rows (0003's `postgresFeedTriggers`). */
async function feedTriggersOnPostgres(db: Kysely<unknown>): Promise<void> {
  const nowMs = 'floor(extract(epoch from clock_timestamp()) * 1000)::bigint';
  for (const [name, when, row] of [
    ['events_customer_blocked', 'AFTER INSERT', 'NEW'],
    ['events_customer_block_changed', 'AFTER UPDATE', 'NEW'],
    ['events_customer_unblocked', 'AFTER DELETE', 'OLD'],
  ] as const) {
    await sql`CREATE FUNCTION ${sql.raw(name)}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at)
        SELECT 'conversation', id, NULL, ${sql.raw(nowMs)} ${sql.raw(CONVERSATIONS_OF(row))}; RETURN NULL; END $$`.execute(db);
    await sql`CREATE TRIGGER ${sql.raw(name)} ${sql.raw(when)} ON customer_blocks FOR EACH ROW EXECUTE FUNCTION ${sql.raw(name)}()`.execute(db);
  }
}
