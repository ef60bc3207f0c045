import type { Kysely } from 'kysely';
import { notNull, TIME, withId } from './portable-columns.js';

/**
 * Personal data asked of a customer, with its purpose (issue 13, "Personal data only with its
 * purpose"), kept on the contact: one row per message that asked (the kinds asked, the purpose and
 * the agent's words for `other`, the language the customer was told in, who asked and when),
 * written in the send's own transaction; and the customer's answers to a promotions request
 * (consent yes or no, the wording they were asked with, when, and whether an agent recorded it or
 * the customer's button reply did). Never the customer's data itself: that stays in the messages.
 * Portable (docs/store.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db.schema.createTable('personal_data_requests'))
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('conversation_id', 'integer', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('message_id', 'integer', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('kinds', 'text', notNull)
    .addColumn('purpose', 'text', notNull)
    .addColumn('purpose_text', 'text')
    .addColumn('language', 'text', notNull)
    .addColumn('requested_by_agent_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('requested_at', TIME, notNull)
    .addUniqueConstraint('personal_data_requests_message', ['message_id'])
    .execute();
  await db.schema.createIndex('personal_data_requests_contact').on('personal_data_requests').columns(['contact_id', 'id']).execute();
  await withId(db.schema.createTable('personal_data_consents'))
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('conversation_id', 'integer', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('request_id', 'integer', (c) => c.references('personal_data_requests.id').onDelete('set null'))
    .addColumn('consent', 'text', notNull)
    .addColumn('wording', 'text', notNull)
    .addColumn('source', 'text', notNull)
    .addColumn('recorded_by_agent_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('reply_message_id', 'integer', (c) => c.references('messages.id').onDelete('set null'))
    .addColumn('recorded_at', TIME, notNull)
    .execute();
  await db.schema.createIndex('personal_data_consents_contact').on('personal_data_consents').columns(['contact_id', 'id']).execute();
}
