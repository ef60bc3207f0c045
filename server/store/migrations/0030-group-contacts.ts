import type { Kysely } from 'kysely';

/**
 * No customer groups (issue 13): a WhatsApp group whose messages reach a business number (the
 * Cloud API's groups, `messages[].group_id`) is kept as a contact of its own, named by the group
 * id in `group_id` and holding no number, and its messages as that contact's conversation. The
 * server never routes such a conversation to an agent nor sends into it (docs/safety-rules.md,
 * "Groups"). One nullable column and a unique index: additive and portable (docs/store.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('contacts').addColumn('group_id', 'text').execute();
  await db.schema.createIndex('contacts_by_group').unique().on('contacts').column('group_id').execute();
}
