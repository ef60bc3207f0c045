/**
 * One conversation per customer and business number. It keeps what the inbox list needs without
 * scanning messages: the customer's last message time (the 24-hour window), the latest message
 * and the unread count.
 */
import type { StoreTransaction } from '../store/group-commit.js';
import { prepareQuery, prepareQueryShapes } from '../store/prepared-query.js';
import { teamForNewConversation } from './team-placement.js';

export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface ConversationHead {
  readonly id: number;
  readonly last_inbound_at: number | null;
  readonly last_message_at: number | null;
}

const conversationHead = prepareQuery((db, v: { contactId: number; phoneNumberId: string }) =>
  db
    .selectFrom('conversations')
    .select(['id', 'last_inbound_at', 'last_message_at'])
    .where('contact_id', '=', v.contactId)
    .where('business_phone_number_id', '=', v.phoneNumberId),
);

/** The customer's conversation on this number, started if there is none. */
export async function openConversation(trx: StoreTransaction, contactId: number, phoneNumberId: string, now: number): Promise<ConversationHead> {
  // A lookup first: nearly every message lands in a conversation that exists, and a read is cheaper than an upsert.
  const existing = await conversationHead.first(trx, { contactId, phoneNumberId });
  if (existing !== undefined) return existing;
  const teamId = await teamForNewConversation(trx, phoneNumberId);
  return trx
    .insertInto('conversations')
    .values({
      contact_id: contactId,
      business_phone_number_id: phoneNumberId,
      team_id: teamId,
      last_inbound_at: null,
      last_message_at: null,
      last_message_id: null,
      created_at: now,
      updated_at: now,
    })
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

interface NoteValues {
  readonly conversationId: number;
  readonly messageId: number;
  readonly sentAt: number;
  readonly now: number;
}

/** What a new message changes in its conversation, as bits: one update statement per combination. */
const OPENS_WINDOW = 1;
const IS_LATEST = 2;
const UNREAD = 4;

const noteUpdate = prepareQueryShapes(
  (changes: number) => (db, v: NoteValues) =>
    db
      .updateTable('conversations')
      .set((eb) => ({
        updated_at: v.now,
        ...(changes & OPENS_WINDOW ? { last_inbound_at: v.sentAt } : {}),
        ...(changes & IS_LATEST ? { last_message_at: v.sentAt, last_message_id: v.messageId } : {}),
        ...(changes & UNREAD ? { unread_count: eb('unread_count', '+', 1) } : {}),
      }))
      .where('id', '=', v.conversationId),
);

/** Notes a new message in its conversation; `head` is the conversation as read in this transaction. */
export async function noteMessage(trx: StoreTransaction, head: ConversationHead, message: MessageInConversation, now: number): Promise<void> {
  const opensWindow = message.fromCustomer && (head.last_inbound_at === null || message.sentAt > head.last_inbound_at);
  const isLatest = message.standalone && (head.last_message_at === null || message.sentAt >= head.last_message_at);
  const unread = message.fromCustomer && message.standalone;
  const changes = (opensWindow ? OPENS_WINDOW : 0) | (isLatest ? IS_LATEST : 0) | (unread ? UNREAD : 0);
  if (changes === 0) return;
  await noteUpdate(changes).execute(trx, { conversationId: head.id, messageId: message.messageId, sentAt: message.sentAt, now });
}

/** True while the customer's last message is less than 24 hours old: free-form messages may go. */
export function isServiceWindowOpen(lastInboundAt: number | null, now: number): boolean {
  return lastInboundAt !== null && now - lastInboundAt < SERVICE_WINDOW_MS;
}
