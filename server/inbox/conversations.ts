/**
 * One conversation per customer and business number. It keeps what the inbox list needs without
 * scanning messages: the customer's last message time (the 24-hour window), the latest message
 * and the unread count.
 */
import type { StoreTransaction } from '../store/group-commit.js';

export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface ConversationHead {
  readonly id: number;
  readonly last_inbound_at: number | null;
  readonly last_message_at: number | null;
}

export async function openConversation(trx: StoreTransaction, contactId: number, phoneNumberId: string, now: number): Promise<ConversationHead> {
  return trx
    .insertInto('conversations')
    .values({
      contact_id: contactId,
      business_phone_number_id: phoneNumberId,
      last_inbound_at: null,
      last_message_at: null,
      last_message_id: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['contact_id', 'business_phone_number_id']).doUpdateSet({ updated_at: now }))
    .returning(['id', 'last_inbound_at', 'last_message_at'])
    .executeTakeFirstOrThrow();
}

export interface MessageInConversation {
  readonly messageId: number;
  readonly sentAt: number;
  /** A customer's own message: it (re)opens the 24-hour window. */
  readonly fromCustomer: boolean;
  /** Shown as a message of its own (not a reaction, edit or revocation). */
  readonly standalone: boolean;
}

export async function noteMessage(trx: StoreTransaction, head: ConversationHead, message: MessageInConversation, now: number): Promise<void> {
  const opensWindow = message.fromCustomer && (head.last_inbound_at === null || message.sentAt > head.last_inbound_at);
  const isLatest = message.standalone && (head.last_message_at === null || message.sentAt >= head.last_message_at);
  const unread = message.fromCustomer && message.standalone;
  if (!opensWindow && !isLatest && !unread) return;
  await trx
    .updateTable('conversations')
    .set((eb) => ({
      updated_at: now,
      ...(opensWindow ? { last_inbound_at: message.sentAt } : {}),
      ...(isLatest ? { last_message_at: message.sentAt, last_message_id: message.messageId } : {}),
      ...(unread ? { unread_count: eb('unread_count', '+', 1) } : {}),
    }))
    .where('id', '=', head.id)
    .execute();
}

/** True while the customer's last message is less than 24 hours old: free-form messages may go. */
export function isServiceWindowOpen(lastInboundAt: number | null, now: number): boolean {
  return lastInboundAt !== null && now - lastInboundAt < SERVICE_WINDOW_MS;
}
