import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { notNull, TIME, withId } from './portable-columns.js';

/** Contacts, conversations, messages and everything the Cloud API's webhooks and sends record. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db.schema.createTable('contacts'))
    .addColumn('wa_id', 'text', (c) => c.unique())
    .addColumn('user_id', 'text', (c) => c.unique())
    .addColumn('parent_user_id', 'text')
    .addColumn('profile_name', 'text')
    .addColumn('username', 'text')
    .addColumn('marketing_preference', 'text')
    .addColumn('marketing_preference_at', TIME)
    .addColumn('created_at', TIME, notNull)
    .addColumn('updated_at', TIME, notNull)
    .execute();

  await withId(db.schema.createTable('conversations'))
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id'))
    .addColumn('business_phone_number_id', 'text', notNull)
    .addColumn('last_inbound_at', TIME)
    .addColumn('last_message_at', TIME)
    .addColumn('last_message_id', 'integer')
    .addColumn('unread_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', TIME, notNull)
    .addColumn('updated_at', TIME, notNull)
    .addUniqueConstraint('conversations_contact_number', ['contact_id', 'business_phone_number_id'])
    .execute();
  await db.schema.createIndex('conversations_by_last_message').on('conversations').columns(['last_message_at desc', 'id desc']).execute();

  await withId(db.schema.createTable('media'))
    .addColumn('direction', 'text', notNull)
    .addColumn('kind', 'text', notNull)
    .addColumn('graph_media_id', 'text')
    .addColumn('mime_type', 'text', notNull)
    .addColumn('declared_sha256', 'text')
    .addColumn('declared_size', 'bigint')
    .addColumn('filename', 'text')
    .addColumn('animated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('state', 'text', notNull)
    .addColumn('sha256', 'text')
    .addColumn('size', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', TIME)
    .addColumn('last_error_code', 'text')
    .addColumn('last_error', 'text')
    .addColumn('graph_uploaded_at', TIME)
    .addColumn('created_at', TIME, notNull)
    .addColumn('updated_at', TIME, notNull)
    .execute();
  // One row per media id Meta sent us, however many messages (edits, retries) mention it.
  await db.schema.createIndex('media_inbound_graph_id').on('media').column('graph_media_id').unique().where(sql.ref('direction'), '=', 'inbound').execute();
  await db.schema.createIndex('media_pending').on('media').column('next_attempt_at').where(sql.ref('state'), '=', 'pending').execute();

  await withId(db.schema.createTable('messages'))
    .addColumn('wamid', 'text', (c) => c.unique())
    .addColumn('conversation_id', 'integer', (c) => c.notNull().references('conversations.id'))
    .addColumn('direction', 'text', notNull)
    .addColumn('origin', 'text', notNull)
    .addColumn('type', 'text', notNull)
    .addColumn('content_json', 'text', notNull)
    .addColumn('meta_json', 'text')
    .addColumn('context_wamid', 'text')
    .addColumn('amends_wamid', 'text')
    .addColumn('media_id', 'integer', (c) => c.references('media.id'))
    .addColumn('sent_at', TIME, notNull)
    .addColumn('received_at', TIME, notNull)
    .addColumn('status', 'text', notNull)
    .addColumn('status_rank', 'integer', notNull)
    .addColumn('status_at', TIME)
    .addColumn('error_code', 'text')
    .addColumn('error_title', 'text')
    .addColumn('error_reason', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .addColumn('request_hash', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', TIME)
    .addColumn('edited_at', TIME)
    .addColumn('deleted_at', TIME)
    .addColumn('raw_json', 'text')
    .execute();
  await db.schema.createIndex('messages_by_conversation').on('messages').columns(['conversation_id', 'id']).execute();
  // An edit or revocation can arrive before the message it changes: found again when that one lands.
  await db.schema.createIndex('messages_amending').on('messages').column('amends_wamid').where(sql.ref('amends_wamid'), 'is not', null).execute();
  // The outbound queue: what is waiting to be sent (or was being sent when the server stopped).
  await db.schema
    .createIndex('messages_outbound_pending')
    .on('messages')
    .column('id')
    .where(sql.ref('direction'), '=', 'outbound')
    .where(sql.ref('status'), 'in', ['queued', 'sending'])
    .execute();

  await withId(db.schema.createTable('message_statuses'))
    .addColumn('wamid', 'text', notNull)
    .addColumn('status', 'text', notNull)
    .addColumn('occurred_at', TIME, notNull)
    .addColumn('recipient_id', 'text')
    .addColumn('recipient_user_id', 'text')
    .addColumn('errors_json', 'text')
    .addColumn('details_json', 'text')
    .addColumn('received_at', TIME, notNull)
    .addUniqueConstraint('message_statuses_once', ['wamid', 'status'])
    .execute();

  await withId(db.schema.createTable('reactions'))
    .addColumn('target_wamid', 'text', notNull)
    .addColumn('actor', 'text', notNull)
    .addColumn('emoji', 'text')
    .addColumn('reacted_at', TIME, notNull)
    .addColumn('source_wamid', 'text', notNull)
    .addUniqueConstraint('reactions_one_per_actor', ['target_wamid', 'actor'])
    .execute();

  await withId(db.schema.createTable('business_events'))
    .addColumn('field', 'text', notNull)
    .addColumn('kind', 'text', notNull)
    .addColumn('waba_id', 'text')
    .addColumn('phone_number_id', 'text')
    .addColumn('occurred_at', TIME)
    .addColumn('payload_json', 'text', notNull)
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('received_at', TIME, notNull)
    .execute();

  await withId(db.schema.createTable('webhook_quarantine'))
    .addColumn('reason', 'text', notNull)
    .addColumn('payload', 'text', notNull)
    .addColumn('payload_sha256', 'text', (c) => c.notNull().unique())
    .addColumn('received_at', TIME, notNull)
    .execute();

  await db.schema
    .createTable('read_receipts')
    .addColumn('conversation_id', 'integer', (c) => c.primaryKey().references('conversations.id'))
    .addColumn('wamid', 'text', notNull)
    .addColumn('state', 'text', notNull)
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', TIME)
    .addColumn('error_code', 'text')
    .addColumn('error_reason', 'text')
    .addColumn('updated_at', TIME, notNull)
    .execute();

  await db.schema
    .createTable('channel_state')
    .addColumn('phone_number_id', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', notNull)
    .addColumn('error_code', 'text')
    .addColumn('reason', 'text')
    .addColumn('token_fingerprint', 'text')
    .addColumn('updated_at', TIME, notNull)
    .execute();
}
