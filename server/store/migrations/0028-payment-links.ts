import type { Kysely } from 'kysely';
import { notNull, TIME, withId } from './portable-columns.js';

/**
 * Payment links (issue 13, "Card numbers never in the chat; payment links instead").
 * `payment_provider`: one row (`id` 1) while an admin has set one; no row: none. The kind, a Stripe
 * secret key sealed under the server key (bound to its use, never returned), or the fixed page's
 * address; who changed it when (the audit log's actor name).
 * `payment_requests`: each payment an agent asked for in a conversation, under the agent's
 * idempotency key (a retry makes no second link): the amount in minor units, the currency, what it
 * is for, the provider, the link sent, the provider's id of it, and the message that carried it.
 * `conversation_history.payment_request_id`: the history line (kind `payment`) of each request.
 * Portable (docs/store.md): schema builder only, additive.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('payment_provider')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('kind', 'text', notNull)
    .addColumn('stripe_key_sealed', 'text')
    .addColumn('fixed_url', 'text')
    .addColumn('changed_by', 'text', notNull)
    .addColumn('changed_at', TIME, notNull)
    .execute();
  await withId(db.schema.createTable('payment_requests'))
    .addColumn('conversation_id', 'integer', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id'))
    .addColumn('amount', 'integer', notNull)
    .addColumn('currency', 'text', notNull)
    .addColumn('description', 'text', notNull)
    .addColumn('provider', 'text', notNull)
    .addColumn('url', 'text', notNull)
    .addColumn('provider_ref', 'text')
    .addColumn('message_id', 'integer', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('request_hash', 'text', notNull)
    .addColumn('created_at', TIME, notNull)
    .execute();
  await db.schema.createIndex('payment_requests_by_conversation').on('payment_requests').columns(['conversation_id', 'created_at']).execute();
  await db.schema.alterTable('conversation_history').addColumn('payment_request_id', 'integer').execute();
}
