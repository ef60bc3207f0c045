/**
 * Meta's webhook shapes (../shared/docs/cloud-api.md §3), as loose as Meta's own evolution requires:
 * unknown keys pass through, and only what the inbox relies on is required.
 */
import { z } from 'zod';
import { CloudApiError } from '../cloud-api/cloud-api-error.js';

/** Epoch seconds, as a string in real payloads and a number in some libraries' fixtures → ms. */
export const EpochSeconds = z.union([z.string().regex(/^\d{1,12}$/), z.number().int().nonnegative().max(1e12)]).transform((value) => Number(value) * 1000);

const NonEmpty = z.string().min(1);

/** A number, or one written as a string ("3", "30.50"), as some payloads send quantities and prices. */
const NumberOrNumeral = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d{1,15}(\.\d{1,15})?$/)
    .transform(Number),
]);

export const Metadata = z.looseObject({
  display_phone_number: z.string().optional(),
  phone_number_id: NonEmpty,
});

export const WebhookContact = z.looseObject({
  wa_id: NonEmpty.optional(),
  user_id: NonEmpty.optional(),
  parent_user_id: NonEmpty.optional(),
  profile: z.looseObject({ name: z.string().optional(), username: z.string().optional() }).optional(),
});
export type WebhookContact = z.infer<typeof WebhookContact>;

export const MessageContext = z.looseObject({
  from: z.string().optional(),
  id: z.string().optional(),
  forwarded: z.boolean().optional(),
  frequently_forwarded: z.boolean().optional(),
});

/**
 * The fields every message (inbound or echo) shares; the per-type object is read separately.
 * Only the id is required: it is what keeps a message once however often Meta delivers it.
 * The rest, when it cannot be read, is left out and noted (read-leniently.ts).
 */
export const WebhookMessage = z.looseObject({
  id: NonEmpty,
  timestamp: EpochSeconds.optional(),
  type: NonEmpty.optional(),
  from: NonEmpty.optional(),
  from_user_id: NonEmpty.optional(),
  from_parent_user_id: NonEmpty.optional(),
  to: NonEmpty.optional(),
  to_user_id: NonEmpty.optional(),
  to_parent_user_id: NonEmpty.optional(),
  context: MessageContext.optional(),
  errors: z.array(CloudApiError).optional(),
  referral: z.record(z.string(), z.unknown()).optional(),
});
export type WebhookMessage = z.infer<typeof WebhookMessage>;

export const WebhookStatus = z.looseObject({
  id: NonEmpty,
  status: NonEmpty,
  timestamp: EpochSeconds,
  recipient_id: z.string().optional(),
  recipient_user_id: z.string().optional(),
  recipient_participant_user_id: z.string().optional(),
  errors: z.array(CloudApiError).optional(),
});
export type WebhookStatus = z.infer<typeof WebhookStatus>;

/** `field: "messages"` and `field: "smb_message_echoes"`. */
export const MessagesValue = z.looseObject({
  messaging_product: z.string().optional(),
  metadata: Metadata,
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  message_echoes: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(z.unknown()).optional(),
});

export const UserPreference = z.looseObject({
  wa_id: NonEmpty.optional(),
  user_id: NonEmpty.optional(),
  category: z.string(),
  value: z.string(),
  detail: z.string().optional(),
  timestamp: EpochSeconds,
});
export type UserPreference = z.infer<typeof UserPreference>;

export const Change = z.looseObject({
  field: NonEmpty,
  value: z.record(z.string(), z.unknown()),
});

export const Entry = z.looseObject({
  id: z.string().optional(),
  time: z.number().optional(),
  changes: z.array(z.unknown()),
});

export const Envelope = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.unknown()),
});

/** The per-type objects the normaliser reads (loose: Meta adds fields over time). */
export const TypeObjects = {
  text: z.looseObject({ body: z.string() }),
  media: z.looseObject({
    id: NonEmpty.optional(),
    mime_type: z.string().optional(),
    sha256: z.string().optional(),
    caption: z.string().optional(),
    filename: z.string().optional(),
    voice: z.boolean().optional(),
    animated: z.boolean().optional(),
    url: z.string().optional(),
    file_size: z.union([z.number(), z.string()]).optional(),
  }),
  location: z.looseObject({
    latitude: z.number().optional(),
    longitude: z.number().optional(),
    name: z.string().optional(),
    address: z.string().optional(),
    url: z.string().optional(),
  }),
  contacts: z.array(
    z.looseObject({
      name: z.looseObject({ formatted_name: z.string().optional(), first_name: z.string().optional(), last_name: z.string().optional() }).optional(),
      phones: z.array(z.looseObject({ phone: z.string().optional(), wa_id: z.string().optional(), type: z.string().optional() })).optional(),
      emails: z.array(z.looseObject({ email: z.string().optional(), type: z.string().optional() })).optional(),
      org: z.looseObject({ company: z.string().optional() }).optional(),
    }),
  ),
  interactive: z.looseObject({
    type: z.string(),
    button_reply: z.looseObject({ id: z.string().optional(), title: z.string().optional() }).optional(),
    list_reply: z.looseObject({ id: z.string().optional(), title: z.string().optional(), description: z.string().optional() }).optional(),
    nfm_reply: z.looseObject({ response_json: z.string().optional(), body: z.string().optional(), name: z.string().optional() }).optional(),
  }),
  button: z.looseObject({ text: z.string(), payload: z.string().optional() }),
  reaction: z.looseObject({ message_id: NonEmpty, emoji: z.string().optional() }),
  order: z.looseObject({
    catalog_id: z.string().optional(),
    text: z.string().optional(),
    product_items: z.array(
      z.looseObject({
        product_retailer_id: z.string(),
        quantity: NumberOrNumeral.optional(),
        item_price: NumberOrNumeral.optional(),
        currency: z.string().optional(),
      }),
    ),
  }),
  system: z.looseObject({ type: z.string().optional(), body: z.string().optional(), wa_id: z.string().optional() }),
  revoke: z.looseObject({ original_message_id: NonEmpty }),
  edit: z.looseObject({ original_message_id: NonEmpty, message: z.looseObject({ type: NonEmpty }) }),
  unsupported: z.looseObject({ type: z.string().optional() }),
} as const;
