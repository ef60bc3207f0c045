/**
 * What an agent (through the client API) asks the server to send. Every send carries the caller's
 * idempotency key: the same key twice sends once.
 */
import { z } from 'zod';
import { PersonalDataPurpose } from '../personal-data/personal-data-purpose.js';
import { TemplateComponent } from './message-content.js';
import { TemplateParameters } from '../templates/template-parameters.js';

export const IdempotencyKey = z
  .string()
  .min(8, 'idempotencyKey must be at least 8 characters (a UUID is ideal)')
  .max(128, 'idempotencyKey must be at most 128 characters')
  .regex(/^[A-Za-z0-9._:-]+$/, 'idempotencyKey may hold letters, digits and . _ : - only');

/**
 * The server's own sends go under keys of these namespaces (the away message: `away:<conversation>:<quiet period>`,
 * derived so that it goes once; a scheduled message: `scheduled:<random>`). A client's send may not take
 * one, or it could make the server's send come back `idempotency_key_reused` and never go.
 */
export const SERVER_SEND_KEY_PREFIXES = ['away:', 'scheduled:'] as const;

export function isServerSendKey(key: string): boolean {
  return SERVER_SEND_KEY_PREFIXES.some((prefix) => key.startsWith(prefix));
}

const Id = z.number().int().positive();

const SendBase = z.object({
  idempotencyKey: IdempotencyKey,
  conversationId: Id,
  /** Our id of the message this one answers (shown quoted on the customer's phone). */
  replyToMessageId: Id.optional(),
  /**
   * The agent saw the warning that this looks like it carries a one-time code, a PIN or a recovery
   * code, and sends it anyway (audited). Without it such a message is held (code_needs_confirmation);
   * on a message without a code it changes nothing.
   */
  confirmedCode: z.boolean().optional(),
});

/** WhatsApp's limit for a text body. */
export const MAX_TEXT_LENGTH = 4096;
export const MAX_CAPTION_LENGTH = 1024;

/**
 * What the personal data a text or caption asks for is for (common/personal-data/): the server
 * adds one line telling the customer, and keeps the request on the contact. Without it, a text
 * that asks for personal data is refused (personal_data_purpose_required) while the policy
 * requires a purpose; on a text that asks for none it changes nothing.
 */
const AsksWithPurpose = { personalDataPurpose: PersonalDataPurpose.optional() };

export const SendText = SendBase.extend({
  kind: z.literal('text'),
  ...AsksWithPurpose,
  text: z.string().trim().min(1, 'text must not be empty').max(MAX_TEXT_LENGTH, `text must be at most ${MAX_TEXT_LENGTH} characters`),
  previewUrl: z.boolean().optional(),
});

/** A file stored beforehand (its id from the upload), sent with an optional caption. */
export const SendMedia = SendBase.extend({
  kind: z.literal('media'),
  mediaId: Id,
  ...AsksWithPurpose,
  caption: z.string().max(MAX_CAPTION_LENGTH, `caption must be at most ${MAX_CAPTION_LENGTH} characters`).optional(),
});

export const SendTemplate = SendBase.extend({
  kind: z.literal('template'),
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'name must be a template name: lowercase letters, digits and _'),
  languageCode: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'languageCode must look like en or en_US'),
  components: z.array(TemplateComponent).max(20).default([]),
  /** What the agent filled in (common/templates/template-parameters.ts): when given, the server builds `components` from it by the same rule as the preview. */
  parameters: TemplateParameters.optional(),
});

export const SendReaction = SendBase.extend({
  kind: z.literal('reaction'),
  targetMessageId: Id,
  /** One emoji; empty removes our reaction. */
  emoji: z.string().max(16, 'emoji must be a single emoji'),
});

export const SendRequest = z.discriminatedUnion('kind', [SendText, SendMedia, SendTemplate, SendReaction]);
export type SendRequest = z.infer<typeof SendRequest>;
export type SendRequestInput = z.input<typeof SendRequest>;

export const MarkReadRequest = z.object({
  conversationId: Id,
  /** Up to which message (ours); the latest customer message when absent. */
  upToMessageId: Id.optional(),
});
export type MarkReadRequest = z.infer<typeof MarkReadRequest>;
