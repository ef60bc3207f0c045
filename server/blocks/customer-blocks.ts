/**
 * Blocked customers in the store: a block is of one contact on one business number (migration
 * 0025). Asked on the paths that must not route, notify or send to a blocked customer: the
 * webhook's transaction (apply-message.ts), the sending service, the dispatcher, the away
 * message and the read receipts. Prepared queries: the webhook path asks for every message.
 */
import type { Kysely } from 'kysely';
import type { StoreTransaction } from '../store/group-commit.js';
import { prepareQuery } from '../store/prepared-query.js';
import type { InboxDatabase } from '../store/schema.js';

const blockOfPair = prepareQuery((db, v: { contactId: number; phoneNumberId: string }) =>
  db
    .selectFrom('customer_blocks')
    .select(['id', 'whatsapp_outcome'])
    .where('contact_id', '=', v.contactId)
    .where('business_phone_number_id', '=', v.phoneNumberId),
);

/** Whether the contact is blocked on this business number. */
export async function isCustomerBlocked(trx: StoreTransaction, contactId: number, phoneNumberId: string): Promise<boolean> {
  return (await blockOfPair.first(trx, { contactId, phoneNumberId })) !== undefined;
}

/** Whether the conversation's customer is blocked on the conversation's business number. */
export async function isConversationBlocked(db: Kysely<InboxDatabase> | StoreTransaction, conversationId: number): Promise<boolean> {
  const row = await db
    .selectFrom('conversations')
    .innerJoin('customer_blocks', (join) =>
      join
        .onRef('customer_blocks.contact_id', '=', 'conversations.contact_id')
        .onRef('customer_blocks.business_phone_number_id', '=', 'conversations.business_phone_number_id'),
    )
    .select('customer_blocks.id')
    .where('conversations.id', '=', conversationId)
    .executeTakeFirst();
  return row !== undefined;
}
