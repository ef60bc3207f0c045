/**
 * The client API's message templates (docs/templates.md). Using them (`inbox`): the templates a
 * conversation may be answered with, approved first and the conversation's language first, each
 * with its category and whether the customer stopped marketing. Reviewing them (`session`, judged
 * by `mayReviewTemplates`): admins and supervisors see every template with its status, category
 * and quality, and may ask for a sync from Meta now.
 */
import { z } from 'zod';
import { jsonRoute } from './endpoint.js';
import { IdParams } from './inbox.js';
import { StoredTemplate } from '../templates/template.js';

/** Why a listed template cannot be sent in this conversation now (null: it can). */
export const TemplateRefusal = z.enum(['template_not_approved', 'customer_stopped_marketing']);
export type TemplateRefusal = z.infer<typeof TemplateRefusal>;

export const UsableTemplate = StoredTemplate.extend({ refusal: TemplateRefusal.nullable() });
export type UsableTemplate = z.infer<typeof UsableTemplate>;

export const ConversationTemplates = z.object({
  conversationId: z.number().int(),
  /** The business number the conversation is on, and its account's (null: no account known, no templates). */
  businessPhoneNumberId: z.string(),
  wabaId: z.string().nullable(),
  /** The language the conversation's templates are ordered by (the customer's, as routing detected it; null: unknown). */
  language: z.string().nullable(),
  /** The customer asked WhatsApp to stop marketing messages (user_preferences STOP): marketing templates are refused. */
  customerStoppedMarketing: z.boolean(),
  templates: z.array(UsableTemplate),
});
export type ConversationTemplates = z.infer<typeof ConversationTemplates>;

/** One account's last sync from Meta. */
export const TemplateSync = z.object({
  wabaId: z.string(),
  syncedAt: z.number().int().nullable(),
  /** Templates Meta listed in it, and those marked removed because it no longer did. */
  listed: z.number().int(),
  removed: z.number().int(),
  /** Why the last attempt failed (a Graph error code or message); null when it succeeded. */
  error: z.string().nullable(),
});
export type TemplateSync = z.infer<typeof TemplateSync>;

export const ManagedTemplates = z.object({ templates: z.array(StoredTemplate), syncs: z.array(TemplateSync) });
export type ManagedTemplates = z.infer<typeof ManagedTemplates>;

export const TemplateSyncResult = z.object({ syncs: z.array(TemplateSync) });
export type TemplateSyncResult = z.infer<typeof TemplateSyncResult>;

export const TEMPLATE_ENDPOINTS = {
  listConversationTemplates: jsonRoute({
    method: 'GET',
    url: '/v1/conversations/:id/templates',
    summary:
      'The templates of the account of a conversation’s business number, for a conversation this session may see: approved first, the conversation’s language first, each with why it cannot be sent now',
    tag: 'templates',
    access: 'inbox',
    params: IdParams,
    response: ConversationTemplates,
  }),
  listManagedTemplates: jsonRoute({
    method: 'GET',
    url: '/v1/manage/templates',
    summary: 'Every template synced from Meta, with its status, category and quality, and each account’s last sync (admins and supervisors)',
    tag: 'templates',
    access: 'session',
    response: ManagedTemplates,
  }),
  syncTemplates: jsonRoute({
    method: 'POST',
    url: '/v1/manage/templates/sync',
    summary: 'Fetch every account’s templates from Meta now (admins and supervisors); the scheduled sync goes on as before',
    tag: 'templates',
    access: 'session',
    perMinute: 6,
    response: TemplateSyncResult,
  }),
};
