/**
 * One message (inbound, or an echo of one the business sent from the WhatsApp Business app)
 * turned into a message record: who the customer is, when, its content, and what could not be
 * read. Quarantined only when it has no message to keep: no id (nothing to keep it once by), or
 * no customer to file it under.
 */
import type { MessageMeta, UnreadablePart } from '../../common/messages/message-content.js';
import type { CloudApiError } from '../cloud-api/cloud-api-error.js';
import type { CustomerRef } from '../inbox/contacts.js';
import type { IngestRecord, MessageRecord } from './ingest-records.js';
import { quarantineRecord } from './ingest-records.js';
import { normalizeContent } from './normalize-content.js';
import { readLeniently } from './read-leniently.js';
import type { WebhookContact } from './webhook-payload.js';
import { WebhookMessage } from './webhook-payload.js';

export interface MessageSurroundings {
  readonly phoneNumberId: string;
  /** The business's own number (`metadata.display_phone_number`). */
  readonly businessNumber: string | undefined;
  readonly source: 'inbound' | 'echo';
  /** The customer's profile from `contacts[]`, added to the identifiers the message names. */
  readonly customerFor: (ids: CustomerRef) => CustomerRef;
  /** The change's `contacts[]`, readable entries only. */
  readonly contacts: readonly WebhookContact[];
  /** When the webhook arrived: the message's time when its own cannot be read. */
  readonly receivedAt: number;
}

export function normalizeMessage(raw: unknown, around: MessageSurroundings): IngestRecord {
  const read = readLeniently(WebhookMessage, raw, []);
  if (!read.ok) return quarantineRecord('message without a readable id', raw);
  const message = read.data;
  const unreadable: UnreadablePart[] = [...read.unreadable];

  // A group's message is the group's, whoever wrote it: one whose group cannot be read is kept apart, never taken for a person's.
  const group = groupIdOf(raw);
  if (group === null) return quarantineRecord('group message with an unreadable group_id', raw);
  const ids = customerIds(message, around);
  if (ids === undefined) {
    const reason = around.contacts.length > 1 ? 'message without a sender, and contacts[] names more than one customer' : 'message without a sender';
    return quarantineRecord(around.source === 'inbound' ? reason : reason.replace('sender', 'recipient'), raw);
  }
  const type = message.type ?? 'unknown';
  const normalized = normalizeContent(type, message);
  unreadable.push(...normalized.unreadable);

  const meta: MessageMeta = {};
  if (message.context?.forwarded === true) meta.forwarded = true;
  if (message.context?.frequently_forwarded === true) meta.frequentlyForwarded = true;
  if (message.referral !== undefined) meta.referral = message.referral;
  if (message.errors !== undefined && message.errors.length > 0) meta.errors = message.errors.map(summarizeError);
  if (unreadable.length > 0) meta.unreadable = unreadable;

  const record: MessageRecord = {
    kind: 'message',
    wamid: message.id,
    phoneNumberId: around.phoneNumberId,
    customer: around.customerFor(ids),
    direction: around.source === 'inbound' ? 'inbound' : 'outbound',
    origin: around.source === 'inbound' ? 'customer' : 'business_app',
    sentAt: message.timestamp ?? around.receivedAt,
    content: normalized.content,
    meta: Object.keys(meta).length > 0 ? meta : undefined,
    contextWamid: message.context?.id,
    media: normalized.media,
    ...(group === undefined ? {} : { groupId: group }),
    raw,
  };
  return record;
}

/** The message's `group_id` (the Cloud API's groups): undefined when it has none, null when it has one that is no id. */
function groupIdOf(raw: unknown): string | undefined | null {
  if (typeof raw !== 'object' || raw === null || !('group_id' in raw)) return undefined;
  const id = raw.group_id;
  return typeof id === 'string' && /^[A-Za-z0-9_=+/.-]{1,200}$/.test(id) ? id : null;
}

/**
 * The customer's identifiers: the sender of an inbound message, the recipient of an echo. A
 * message that names neither (customers who use a username may be named only by their BSUID in
 * `contacts[]`) belongs to the one customer `contacts[]` names; with several, nobody is guessed.
 */
function customerIds(message: WebhookMessage, around: MessageSurroundings): CustomerRef | undefined {
  const sender: CustomerRef = { waId: message.from, userId: message.from_user_id, parentUserId: message.from_parent_user_id };
  const recipient: CustomerRef = { waId: message.to, userId: message.to_user_id, parentUserId: message.to_parent_user_id };
  // An echo goes from the business to the customer; some payloads carry the two the other way
  // round, so the customer is whichever side is not the business number.
  const echoReversed =
    around.source === 'echo' && around.businessNumber !== undefined && message.to === around.businessNumber && message.from !== around.businessNumber;
  const ids = around.source === 'inbound' || echoReversed ? sender : recipient;
  if (ids.waId !== undefined || ids.userId !== undefined) return ids;
  const only = soleCustomer(around.contacts);
  return only === undefined ? undefined : { waId: only.wa_id, userId: only.user_id, parentUserId: only.parent_user_id };
}

function soleCustomer(contacts: readonly WebhookContact[]): WebhookContact | undefined {
  const people = new Set(contacts.map((contact) => (contact.user_id === undefined ? `wa:${contact.wa_id}` : `user:${contact.user_id}`)));
  return people.size === 1 ? contacts[0] : undefined;
}

function summarizeError(error: CloudApiError): NonNullable<MessageMeta['errors']>[number] {
  return { code: error.code, title: error.title ?? error.message, details: error.error_data?.details };
}
