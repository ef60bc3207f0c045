/**
 * The IPC calls of message templates (common/api/template-endpoints.ts), spread into IPC_CALLS
 * (contract.ts): the templates a conversation may be answered with, and for admins and
 * supervisors every template with its status, category and quality, and a fetch from Meta now.
 * All online only: the server keeps the templates and judges who may read them.
 */
import { z } from 'zod';
import { ConversationTemplates, ManagedTemplates, TemplateSyncResult } from '../api/template-endpoints.js';

export const TEMPLATE_CALLS = {
  /** The templates of the conversation's business account: its language, whether the customer stopped marketing, and each template with why it cannot be sent. */
  listConversationTemplates: { request: z.object({ conversationId: z.number().int().positive() }).strict(), response: ConversationTemplates },
  /** Every template synced from Meta, and each account's last sync (admins and supervisors). */
  listManagedTemplates: { request: z.object({}).strict(), response: ManagedTemplates },
  /** Fetches every account's templates from Meta now (admins and supervisors). */
  syncTemplates: { request: z.object({}).strict(), response: TemplateSyncResult },
} as const;
