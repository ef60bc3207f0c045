/** The inbox as the client API serves it: conversations, messages, sends, media. */
import { z } from 'zod';
import { MessageContent } from '../messages/message-content.js';
import { SendRequest } from '../messages/send-request.js';
import { ConversationHistoryEntry, ConversationState, HistoryAgent } from './conversation-lifecycle.js';
import { ConversationLabel, LabelFilter } from './replies.js';
import { CustomerBlock } from './blocks.js';

const Id = z.number().int().positive();

export const CONVERSATION_FILTERS = ['mine', 'unassigned', 'all'] as const;
export const ConversationFilter = z.enum(CONVERSATION_FILTERS);
export type ConversationFilter = z.infer<typeof ConversationFilter>;

export const Cursor = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'cursor must be a nextCursor returned by the previous page');
const Limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/** A business number's phone number ID, as a list filter: digits only. */
export const NumberFilter = z.string().regex(/^\d{5,20}$/, 'number must be a phone number ID (digits)');

export const ConversationListQuery = z.object({
  filter: ConversationFilter.default('mine'),
  /** Open by default: resolved conversations leave the usual list; pending, snoozed and resolved ones each have their own. */
  state: ConversationState.default('open'),
  /** Only the conversations of this business number. */
  number: NumberFilter.optional(),
  /** Only the conversations carrying this label. */
  label: LabelFilter.optional(),
  cursor: Cursor.optional(),
  limit: Limit(200, 50),
});
export type ConversationListQuery = z.infer<typeof ConversationListQuery>;

export const MessageListQuery = z.object({
  /** Pages go from the newest message back in time. */
  cursor: Cursor.optional(),
  limit: Limit(200, 50),
});
export type MessageListQuery = z.infer<typeof MessageListQuery>;

export const IdParams = z.object({ id: z.coerce.number().int().positive('id must be a positive whole number') });

export const Customer = z.object({
  contactId: Id,
  name: z.string().nullable(),
  /**
   * The WhatsApp number (wa_id) when Meta gave one; customers known only by username, and groups,
   * have none. Masked (`+39 347 ••• ••01`, common/numbers/masked-number.ts) when `phoneMasked`.
   */
  phone: z.string().nullable(),
  username: z.string().nullable(),
  /** True: the server masked `phone` for this viewer (the policy's maskedNumbers); it may be revealed with a reason. Absent in a summary cached before masking. */
  phoneMasked: z.boolean().optional(),
  /** True: a WhatsApp group, not a person, kept read-only: never routed, never answered (docs/safety-rules.md, "Groups"). */
  group: z.boolean().optional(),
});
export type Customer = z.infer<typeof Customer>;

export const MessageError = z.object({ code: z.string(), title: z.string().nullable(), reason: z.string().nullable() });

export const MediaInfo = z.object({
  id: Id,
  kind: z.string(),
  mimeType: z.string(),
  size: z.number().int().nullable(),
  filename: z.string().nullable(),
  /** pending: the server is still fetching it from Meta; failed: it could not. */
  state: z.enum(['pending', 'stored', 'failed']),
  /**
   * What the byte check and the virus scanner made of the stored file (issue 13): scanning, clean,
   * infected (quarantined on the server: never downloaded), refused (by its bytes), unscanned (no
   * scanner passed it); null while it is not stored. Absent from servers before the scan.
   */
  scan: z.enum(['scanning', 'clean', 'infected', 'refused', 'unscanned']).nullable().default(null),
  /** Why, as a code: the byte check's attachment_* for refused, a scanner_* for unscanned. Never the signature's name. */
  scanReason: z.string().max(64).nullable().default(null),
});

export const Reaction = z.object({ actor: z.enum(['customer', 'business']), emoji: z.string() });

export const MessageView = z.object({
  id: Id,
  conversationId: Id,
  wamid: z.string().nullable(),
  direction: z.enum(['inbound', 'outbound']),
  /** automatic: the server's own message, sent by no agent (a team's away message). */
  origin: z.enum(['customer', 'agent', 'business_app', 'automatic']),
  content: MessageContent,
  sentAt: z.number().int(),
  /** queued, sending, accepted, sent, delivered, read, played, failed (outbound); received, deleted (inbound). */
  status: z.string(),
  statusAt: z.number().int().nullable(),
  error: MessageError.nullable(),
  replyToMessageId: Id.nullable(),
  forwarded: z.boolean(),
  reactions: z.array(Reaction),
  editedAt: z.number().int().nullable(),
  deletedAt: z.number().int().nullable(),
  media: MediaInfo.nullable(),
  sentByAgentId: Id.nullable(),
  /**
   * Where the received message held something that could not be read (`location.latitude`):
   * left out of `content`, kept verbatim on the server. Only the places, never what they held
   * (it passed none of the checks a shown value passes). Absent when everything was read.
   */
  unreadableParts: z.array(z.string().max(200)).max(50).optional(),
});
export type MessageView = z.infer<typeof MessageView>;

export const ConversationSummary = z.object({
  id: Id,
  customer: Customer,
  /** The business number the conversation is on: its replies go out from it. */
  businessPhoneNumberId: z.string(),
  /** What the desk calls that number ("Sales Italy"); the phone number ID when it has no name. */
  businessNumberName: z.string(),
  lastMessage: z
    .object({ id: Id, type: z.string(), direction: z.enum(['inbound', 'outbound']), text: z.string().nullable(), status: z.string(), sentAt: z.number().int() })
    .nullable(),
  lastMessageAt: z.number().int().nullable(),
  lastInboundAt: z.number().int().nullable(),
  /** The 24-hour customer-service window: free-form messages only while it is open. */
  windowClosesAt: z.number().int().nullable(),
  unreadCount: z.number().int().nonnegative(),
  assignedAgentId: Id.nullable(),
  state: ConversationState,
  /** A snoozed conversation opens again at this time (or when the customer writes first). */
  snoozedUntil: z.number().int().nullable(),
  /** Who resolved it and when (kept until it is resolved again). */
  resolvedAt: z.number().int().nullable(),
  resolvedBy: HistoryAgent.nullable(),
  /** The contact's conversation on this number that was resolved before this one began: the history goes on there. */
  previousConversationId: Id.nullable(),
  /** The team the conversation belongs to (its queue, its supervisors); null only while no team exists. A summary cached before teams has none. */
  teamId: Id.nullable().default(null),
  teamName: z.string().nullable().default(null),
  /** Its labels (global ones and its team's), by name. A summary cached before labels has none. */
  labels: z.array(ConversationLabel).default([]),
  /** Who holds it (null: nobody; it waits in its team's queue, or it is not open). A summary cached before it has none. */
  assignee: HistoryAgent.nullable().default(null),
  /**
   * Since when it has waited in its team's queue (unassigned, open, of a team): the last time it
   * became so (server/inbox/queue-wait.ts); null when it is not queued.
   */
  queuedSince: z.number().int().nullable().default(null),
  /** The customer is blocked on this conversation's business number (common/api/blocks.ts); null: not blocked. A summary cached before blocks has none. */
  block: CustomerBlock.nullable().default(null),
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

/** A number agents can filter by: the numbers the server serves (no secret, no health). */
export const BusinessNumberOption = z.object({ phoneNumberId: z.string(), displayName: z.string() });
export type BusinessNumberOption = z.infer<typeof BusinessNumberOption>;
export const BusinessNumberOptions = z.object({ numbers: z.array(BusinessNumberOption) });
export type BusinessNumberOptions = z.infer<typeof BusinessNumberOptions>;

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: Cursor.nullable() });

export const ConversationPage = page(ConversationSummary);
export type ConversationPage = z.infer<typeof ConversationPage>;
export const MessagePage = page(MessageView);
export type MessagePage = z.infer<typeof MessagePage>;

/** POST /v1/messages: a send, with the caller's idempotency key. */
export const SendMessageBody = SendRequest;
export const SendAccepted = z.object({ message: MessageView, duplicate: z.boolean() });
export type SendAccepted = z.infer<typeof SendAccepted>;

export const HistoryPage = page(ConversationHistoryEntry);
export type HistoryPage = z.infer<typeof HistoryPage>;

export const HistoryListQuery = MessageListQuery;

/** A conversation's state changed: how it stands now. */
export const ConversationChanged = z.object({ conversation: ConversationSummary });
export type ConversationChanged = z.infer<typeof ConversationChanged>;

export const MarkReadBody = z.object({ upToMessageId: Id.optional() });
export const MarkedRead = z.object({ conversation: ConversationSummary });
export type MarkedRead = z.infer<typeof MarkedRead>;

export const MediaUploadQuery = z.object({
  kind: z.enum(['image', 'video', 'audio', 'document', 'sticker']),
  filename: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .regex(/^[^/\\\0]+$/, 'filename must be a plain file name'),
});
/** Names the message whose file is wanted: the download is judged by that message alone. */
export const MediaDownloadQuery = z.object({ messageId: z.coerce.number().int().positive('messageId must be a positive whole number').optional() });
export const MediaUploaded = z.object({ mediaId: Id, sha256: z.string(), size: z.number().int() });
export type MediaUploaded = z.infer<typeof MediaUploaded>;
