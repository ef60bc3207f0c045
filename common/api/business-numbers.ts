/**
 * The business numbers the server serves, as admins see and change them (the admin API, the
 * admin screens, the admin CLI), and the webhooks kept as from numbers it does not serve. A
 * number's access token and app secret are inputs only: no view carries them.
 */
import { z } from 'zod';

const Time = z.number().int();

/** Meta's ids are numeric strings (a phone number ID has 15 or 16 digits). */
export const PhoneNumberId = z
  .string()
  .trim()
  .regex(/^\d{5,20}$/, 'must be a phone number ID: the digits WhatsApp Manager shows (e.g. 106540352242922)');
export const WabaId = z
  .string()
  .trim()
  .regex(/^\d{5,20}$/, 'must be a WhatsApp Business Account ID: digits only');
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
export const NumberDisplayName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(80, 'must be at most 80 characters')
  .refine((name) => !CONTROL.test(name), 'must not contain control characters');
/** A system-user access token: printable, no spaces (a pasted line break or space is trimmed first). */
export const AccessToken = z
  .string()
  .trim()
  .min(20, 'is too short to be an access token')
  .max(4096, 'is too long to be an access token')
  .regex(/^[\x21-\x7e]+$/, 'must be one line of printable characters without spaces');
/** An app secret (App Dashboard → App settings → Basic): letters and digits. */
export const AppSecret = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{16,128}$/, 'must be an app secret: 16 to 128 letters and digits');

export const NumberHealth = z.enum(['ok', 'needs_reauthorization', 'no_token']);
export type NumberHealth = z.infer<typeof NumberHealth>;

export const BusinessNumberView = z.object({
  phoneNumberId: z.string(),
  wabaId: z.string().nullable(),
  displayName: z.string(),
  /** Whether its app is another than WHATSAPP_APP_SECRET's (the secret itself is never shown). */
  ownAppSecret: z.boolean(),
  hasToken: z.boolean(),
  /** The number the WHATSAPP_* settings name, seeded at every start. */
  fromEnvironment: z.boolean(),
  defaultTeamId: z.number().int().nullable(),
  health: NumberHealth,
  healthReason: z.string().nullable(),
  healthChangedAt: Time.nullable(),
  conversations: z.number().int().nonnegative(),
});
export type BusinessNumberView = z.infer<typeof BusinessNumberView>;

/** Webhooks kept as from a number this server does not serve, by number. */
export const UnknownNumberView = z.object({
  phoneNumberId: z.string(),
  wabaId: z.string().nullable(),
  /** not_configured: no such number here; other_app: signed by another app than the number's. */
  reason: z.enum(['not_configured', 'other_app']),
  webhooks: z.number().int().positive(),
  firstReceivedAt: Time,
  lastReceivedAt: Time,
});
export type UnknownNumberView = z.infer<typeof UnknownNumberView>;

export const BusinessNumberList = z.object({ numbers: z.array(BusinessNumberView), unknown: z.array(UnknownNumberView) });
export type BusinessNumberList = z.infer<typeof BusinessNumberList>;

/** An admin adds a number (the admin screens, as `numbers add` in the CLI): the secrets are inputs only, sealed by the server. */
export const AddNumberRequest = z.object({
  phoneNumberId: PhoneNumberId,
  wabaId: WabaId,
  displayName: NumberDisplayName,
  accessToken: AccessToken,
  /** Only when the number's app is another than WHATSAPP_APP_SECRET's. */
  appSecret: AppSecret.optional(),
});
export type AddNumberRequest = z.infer<typeof AddNumberRequest>;

export const RotateNumberTokenRequest = z.object({ accessToken: AccessToken });
export const NumberParams = z.object({ phoneNumberId: PhoneNumberId });
/** Without moveConversationsTo a number with conversations is not removed (number_has_conversations). */
export const RemoveNumberQuery = z.object({ moveConversationsTo: PhoneNumberId.optional() });

export const NumberRemoved = z.object({
  phoneNumberId: z.string(),
  movedConversations: z.number().int().nonnegative(),
  movedTo: z.string().nullable(),
});
export type NumberRemoved = z.infer<typeof NumberRemoved>;
