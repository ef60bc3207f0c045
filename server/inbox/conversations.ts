/**
 * A customer's conversations on a business number: one at a time that is not resolved, and a new
 * one when the customer writes after a resolution. Each keeps what the inbox list needs without
 * scanning messages: the customer's last message time (the 24-hour window), the latest message
 * and the unread count.
 */
import type { TeamFilling } from './team-filling.js';
import type { StoreTransaction } from '../store/group-commit.js';
import { prepareQuery, prepareQueryShapes } from '../store/prepared-query.js';
import { openOnCustomerMessage } from './conversation-lifecycle.js';
import { queuedAtAfter } from './queue-wait.js';
import type { FirstMessage } from '../routing/first-message.js';
import { NO_FIRST_MESSAGE } from '../routing/first-message.js';
import { teamForNewConversation } from './team-placement.js';

export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface ConversationHead {
  readonly id: number;
  readonly last_inbound_at: number | null;
  readonly last_message_at: number | null;
}

/** The contact's latest conversation on this number: the one a message lands in, unless it is resolved and the customer writes. */
const latestConversation = prepareQuery((db, v: { contactId: number; phoneNumberId: string }) =>
  db
    .selectFrom('conversations')
    .select(['id', 'last_inbound_at', 'last_message_at', 'state', 'resolved_by_agent_id', 'assigned_agent_id', 'team_id'])
    .where('contact_id', '=', v.contactId)
    .where('business_phone_number_id', '=', v.phoneNumberId)
    .orderBy('id', 'desc')
    .limit(1),
);

/**
 * The conversation a message of this customer on this number lands in, started if there is none.
 * `customerWrites`: it is the customer's own message (not a reaction, an edit, a system notice or
 * an echo of the business). Then a resolved conversation is not reopened: a new one of the same
 * contact begins, naming the resolved one and who resolved it; a pending or snoozed one is open
 * again. Anything else lands in the latest conversation as it is. `firstMessage`: what routing
 * rules may read of this message, should it start a conversation. With `routing`, a new
 * conversation, or one opened again with nobody holding it, is given to an agent of its team if
 * one has room, and waits in the team's queue otherwise (server/routing/).
 */
export async function openConversation(
  trx: StoreTransaction,
  contactId: number,
  phoneNumberId: string,
  now: number,
  customerWrites = false,
  firstMessage: FirstMessage = NO_FIRST_MESSAGE,
  routing?: TeamFilling,
): Promise<ConversationHead> {
  // A lookup first: nearly every message lands in a conversation that exists, and a read is cheaper than an upsert.
  const latest = await latestConversation.first(trx, { contactId, phoneNumberId });
  if (latest !== undefined && !(customerWrites && latest.state === 'resolved')) {
    if (customerWrites) {
      const reopened = await openOnCustomerMessage(trx, latest.id, latest.state, now);
      if (reopened && latest.assigned_agent_id === null && latest.team_id !== null) await routing?.fillTeam(trx, latest.team_id, now);
    }
    return latest;
  }
  // A new conversation (the first, or one after a resolution) goes where the routing rules send it.
  const teamId = await teamForNewConversation(trx, phoneNumberId, firstMessage);
  const started = await trx
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
      previous_conversation_id: latest?.id ?? null,
      previous_resolved_by_agent_id: latest?.resolved_by_agent_id ?? null,
      queued_at: queuedAtAfter(undefined, { assigned_agent_id: null, team_id: teamId, state: 'open' }, now),
    })
    .returning(['id', 'last_inbound_at', 'last_message_at'])
    .executeTakeFirstOrThrow();
  if (teamId !== null) await routing?.fillTeam(trx, teamId, now);
  return started;
}

export interface MessageInConversation {
  readonly messageId: number;
  readonly sentAt: number;
  /** A customer's own message: it (re)opens the 24-hour window. */
  readonly fromCustomer: boolean;
  /** Shown as a message of its own (not a reaction, edit or revocation). */
  readonly standalone: boolean;
  /** A blocked customer's message: kept and shown, never counted unread (nothing notifies of it). */
  readonly quiet?: boolean;
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
  const unread = message.fromCustomer && message.standalone && message.quiet !== true;
  const changes = (opensWindow ? OPENS_WINDOW : 0) | (isLatest ? IS_LATEST : 0) | (unread ? UNREAD : 0);
  if (changes === 0) return;
  await noteUpdate(changes).execute(trx, { conversationId: head.id, messageId: message.messageId, sentAt: message.sentAt, now });
}

/** True while the customer's last message is less than 24 hours old: free-form messages may go. */
export function isServiceWindowOpen(lastInboundAt: number | null, now: number): boolean {
  return lastInboundAt !== null && now - lastInboundAt < SERVICE_WINDOW_MS;
}
