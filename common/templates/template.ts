/**
 * A message template as the server keeps it, synced from Meta (`GET /{waba-id}/message_templates`,
 * cloud-api.md §11) and kept current by the template webhooks. One template per name and language
 * of a WhatsApp Business Account (WABA); Meta's id is its key. Meta's component objects are read
 * into the shape below (`readTemplateComponents`), so every part of Sportello (the picker, its
 * preview, the server's check of a send) reads the same model.
 */
import { z } from 'zod';

export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export const TemplateCategory = z.enum(TEMPLATE_CATEGORIES);
export type TemplateCategory = z.infer<typeof TemplateCategory>;

/** The statuses Sportello acts on; Meta lists more (IN_APPEAL, PENDING_DELETION…), kept as they come. */
export const KNOWN_TEMPLATE_STATUSES = ['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED'] as const;
export const TemplateStatus = z.union([z.enum(KNOWN_TEMPLATE_STATUSES), z.string().regex(/^[A-Z_]{1,40}$/)]);
export type TemplateStatus = z.infer<typeof TemplateStatus>;

export const TEMPLATE_QUALITIES = ['GREEN', 'YELLOW', 'RED', 'UNKNOWN'] as const;
export const TemplateQuality = z.enum(TEMPLATE_QUALITIES);
export type TemplateQuality = z.infer<typeof TemplateQuality>;

/** POSITIONAL: `{{1}}`, `{{2}}`…; NAMED: `{{first_name}}`. */
export const TemplateParameterFormat = z.enum(['POSITIONAL', 'NAMED']);
export type TemplateParameterFormat = z.infer<typeof TemplateParameterFormat>;

export const HEADER_FORMATS = ['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'] as const;
export const HeaderFormat = z.enum(HEADER_FORMATS);
export type HeaderFormat = z.infer<typeof HeaderFormat>;

/** A text with variables (`{{1}}` or `{{name}}`), and Meta's example values for them when it gave some. */
const TemplateText = z.object({ text: z.string(), examples: z.array(z.string()).default([]) });

export const TemplateHeader = z.discriminatedUnion('format', [
  TemplateText.extend({ format: z.literal('TEXT') }),
  z.object({ format: z.literal('IMAGE') }),
  z.object({ format: z.literal('VIDEO') }),
  z.object({ format: z.literal('DOCUMENT') }),
  z.object({ format: z.literal('LOCATION') }),
]);
export type TemplateHeader = z.infer<typeof TemplateHeader>;

export const TemplateButton = z.discriminatedUnion('type', [
  z.object({ type: z.literal('QUICK_REPLY'), text: z.string() }),
  /** `url` may end in one variable (`https://shop.example/orders/{{1}}`): the agent fills the suffix. */
  z.object({ type: z.literal('URL'), text: z.string(), url: z.string(), example: z.string().optional() }),
  z.object({ type: z.literal('PHONE_NUMBER'), text: z.string(), phoneNumber: z.string() }),
  /** The code the customer copies (an offer code): given at the send. */
  z.object({ type: z.literal('COPY_CODE'), text: z.string(), example: z.string().optional() }),
  /** An authentication template's one-time-password button: the code is given at the send. */
  z.object({ type: z.literal('OTP'), text: z.string(), otpType: z.string().optional() }),
  z.object({ type: z.literal('FLOW'), text: z.string(), flowId: z.string().optional(), flowAction: z.string().optional() }),
  /** A button kind Sportello does not know yet (Meta's type as it came): shown, never filled. */
  z.object({ type: z.literal('OTHER'), text: z.string(), metaType: z.string() }),
]);
export type TemplateButton = z.infer<typeof TemplateButton>;

export const TemplateComponents = z.object({
  header: TemplateHeader.nullable(),
  body: TemplateText,
  footer: z.string().nullable(),
  buttons: z.array(TemplateButton),
});
export type TemplateComponents = z.infer<typeof TemplateComponents>;

export const StoredTemplate = z.object({
  /** Meta's template id (a numeric string). */
  id: z.string(),
  /** The WhatsApp Business Account it belongs to: every business number of that account may send it. */
  wabaId: z.string(),
  name: z.string(),
  /** Meta's language code: `en`, `en_US`, `it`… */
  language: z.string(),
  category: TemplateCategory,
  status: TemplateStatus,
  /** Why Meta rejected, paused or disabled it, as Meta said it (`INVALID_FORMAT`, its rejection text…); null otherwise. */
  statusReason: z.string().nullable(),
  quality: TemplateQuality,
  parameterFormat: TemplateParameterFormat,
  components: TemplateComponents,
  /** Meta no longer lists it (deleted in WhatsApp Manager): kept for the messages that used it, never sent again. */
  removed: z.boolean(),
  updatedAt: z.number().int(),
});
export type StoredTemplate = z.infer<typeof StoredTemplate>;

const VARIABLE = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The variables of a text in the order they first appear, each once: `['1', '2']` or `['first_name']`. */
export function variablesOf(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(VARIABLE)) {
    const name = match[1];
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names;
}

/** A text with each variable replaced by `fill(name)` (the preview's words, or the sent values). */
export function fillVariables(text: string, fill: (name: string) => string): string {
  return text.replace(VARIABLE, (_whole, name: string) => fill(name));
}

/** Whether a template may be sent at all (Meta sends approved templates only). */
export function isSendable(template: Pick<StoredTemplate, 'status' | 'removed'>): boolean {
  return template.status === 'APPROVED' && !template.removed;
}
