/**
 * What a stored message holds, whatever its direction: the server normalises Meta's webhook and
 * send shapes into these, stores them, and the client renders them. One schema per kind.
 */
import { z } from 'zod';
import { MEDIA_KINDS } from '../attachments/media-limits.js';

/** A reply button under an outgoing text (an interactive message): Sportello's own, the promotions consent's Yes and No. */
export const ReplyButton = z.object({ id: z.string().max(256), title: z.string().max(20) });
export type ReplyButton = z.infer<typeof ReplyButton>;

export const TextContent = z.object({
  type: z.literal('text'),
  body: z.string(),
  previewUrl: z.boolean().optional(),
  /** Sent as an interactive message with these reply buttons (at most three); the customer's tap comes back as a button_reply. */
  buttons: z.array(ReplyButton).max(3).optional(),
});

export const MediaContent = z.object({
  type: z.enum(MEDIA_KINDS),
  mimeType: z.string(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  /** Audio recorded as a voice note. */
  voice: z.boolean().optional(),
  animated: z.boolean().optional(),
});

/** Coordinates are missing only when the customer's could not be read (the message then says so). */
export const LocationContent = z.object({
  type: z.literal('location'),
  latitude: z.number().optional(),
  longitude: z.number().optional(),
  name: z.string().optional(),
  address: z.string().optional(),
  url: z.string().optional(),
});

export const SharedContact = z.object({
  formattedName: z.string(),
  phones: z.array(z.object({ phone: z.string(), waId: z.string().optional(), type: z.string().optional() })),
  emails: z.array(z.object({ email: z.string(), type: z.string().optional() })),
  organization: z.string().optional(),
});

export const ContactsContent = z.object({
  type: z.literal('contacts'),
  contacts: z.array(SharedContact),
});

/** A customer's answer to an interactive message (buttons, list, WhatsApp Flow). */
export const InteractiveReplyContent = z.object({
  type: z.literal('interactive_reply'),
  replyType: z.enum(['button_reply', 'list_reply', 'nfm_reply']),
  replyId: z.string().optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  /** Flow replies: the JSON the flow returned, as Meta sent it (a string). */
  flowResponseJson: z.string().optional(),
  flowName: z.string().optional(),
  body: z.string().optional(),
});

/** A tap on a quick-reply button of a template. */
export const ButtonContent = z.object({
  type: z.literal('button'),
  text: z.string(),
  payload: z.string().optional(),
});

export const ReactionContent = z.object({
  type: z.literal('reaction'),
  targetWamid: z.string(),
  /** null: the reaction was removed. */
  emoji: z.string().nullable(),
});

/** An item's quantity, price or currency is missing only when it could not be read (the message then says so). */
export const OrderContent = z.object({
  type: z.literal('order'),
  catalogId: z.string().optional(),
  text: z.string().optional(),
  items: z.array(
    z.object({
      productRetailerId: z.string(),
      quantity: z.number().optional(),
      itemPrice: z.number().optional(),
      currency: z.string().optional(),
    }),
  ),
});

export const SystemContent = z.object({
  type: z.literal('system'),
  systemType: z.string(),
  body: z.string().optional(),
  /** user_changed_number: the customer's new number. */
  newWaId: z.string().optional(),
});

/** The customer (or, for echoes, the business app) deleted a message for everyone. */
export const RevokeContent = z.object({
  type: z.literal('revoke'),
  targetWamid: z.string(),
});

/** A kind WhatsApp delivers but the Cloud API does not support (131051), or one we do not know yet. */
export const UnsupportedContent = z.object({
  type: z.literal('unsupported'),
  /** Meta's `type`, or the inner `unsupported.type` when given (e.g. "poll"). */
  originalType: z.string(),
});

export const TemplateComponentParameter = z.looseObject({ type: z.string() });
export const TemplateComponent = z.looseObject({
  type: z.string(),
  sub_type: z.string().optional(),
  index: z.union([z.string(), z.number()]).optional(),
  parameters: z.array(TemplateComponentParameter).optional(),
});

export const TemplateContent = z.object({
  type: z.literal('template'),
  name: z.string(),
  languageCode: z.string(),
  components: z.array(TemplateComponent),
});

/** Content that can stand on its own; an edit replaces a message's content with one of these. */
export const PlainMessageContent = z.discriminatedUnion('type', [
  TextContent,
  MediaContent,
  LocationContent,
  ContactsContent,
  InteractiveReplyContent,
  ButtonContent,
  OrderContent,
  SystemContent,
  UnsupportedContent,
  TemplateContent,
]);

export const EditContent = z.object({
  type: z.literal('edit'),
  targetWamid: z.string(),
  content: PlainMessageContent,
});

export const MessageContent = z.discriminatedUnion('type', [
  TextContent,
  MediaContent,
  LocationContent,
  ContactsContent,
  InteractiveReplyContent,
  ButtonContent,
  ReactionContent,
  OrderContent,
  SystemContent,
  RevokeContent,
  EditContent,
  UnsupportedContent,
  TemplateContent,
]);

export type MessageContent = z.infer<typeof MessageContent>;
export type PlainMessageContent = z.infer<typeof PlainMessageContent>;
export type MediaContent = z.infer<typeof MediaContent>;
export type MessageType = MessageContent['type'];

/** Kinds that change another message instead of appearing on their own in a conversation. */
export const AMENDMENT_TYPES: ReadonlySet<MessageType> = new Set(['reaction', 'edit', 'revoke']);

export const UNREADABLE_VALUE_KINDS = ['string', 'number', 'boolean', 'null', 'array', 'object', 'missing'] as const;
export type UnreadableValueKind = (typeof UNREADABLE_VALUE_KINDS)[number];

/**
 * A part of a received message that could not be read and was left out of its content: where it
 * was (`location.latitude`, `order.product_items.0.quantity`), what was found there, and the
 * value's JSON text as Meta sent it. Kept on the server only; a client is told the path alone.
 */
export const UnreadablePart = z.object({
  path: z.string(),
  found: z.enum(UNREADABLE_VALUE_KINDS),
  raw: z.string().optional(),
});
export type UnreadablePart = z.infer<typeof UnreadablePart>;

/** Facts about a message besides its content. */
export const MessageMeta = z.object({
  forwarded: z.boolean().optional(),
  frequentlyForwarded: z.boolean().optional(),
  /** Click-to-WhatsApp ad or post the customer came from. */
  referral: z.record(z.string(), z.unknown()).optional(),
  errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional(), details: z.string().optional() })).optional(),
  /** What could not be read and is not in the content (server only). */
  unreadable: z.array(UnreadablePart).optional(),
});
export type MessageMeta = z.infer<typeof MessageMeta>;
