/**
 * The template lists of the client API (common/api/template-endpoints.ts): a conversation's,
 * for whoever may see it (its account's templates, approved first and the conversation's
 * language first, each with why it cannot be sent now), and the review list of admins and
 * supervisors (every template, and each account's last sync).
 */
import type { Kysely } from 'kysely';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import type { ConversationTemplates, ManagedTemplates, TemplateRefusal, UsableTemplate } from '../../common/api/template-endpoints.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { mayReviewTemplates } from '../../common/templates/template-access.js';
import type { StoredTemplate } from '../../common/templates/template.js';
import { isSendable } from '../../common/templates/template.js';
import type { InboxViews } from '../inbox/inbox-views.js';
import { visibleConversation } from '../inbox/visible-conversation.js';
import { recentCustomerTexts } from '../inbox/recent-customer-texts.js';
import { detectLanguage } from '../routing/detect-language.js';
import type { InboxDatabase } from '../store/schema.js';
import { templateSyncs, templatesOfAccount } from './template-store.js';

/** Whether the customer asked WhatsApp to stop marketing messages (user_preferences STOP, not RESUMEd since). */
export function stoppedMarketing(preference: string | null): boolean {
  return preference?.toLowerCase() === 'stop';
}

/** Why a template cannot be sent to this customer now; null: it can. */
export function refusalOf(template: StoredTemplate, customerStoppedMarketing: boolean): TemplateRefusal | null {
  if (!isSendable(template)) return 'template_not_approved';
  if (template.category === 'MARKETING' && customerStoppedMarketing) return 'customer_stopped_marketing';
  return null;
}

/** `en_US` matches `en`. */
const inLanguage = (template: StoredTemplate, language: string | null) => language !== null && template.language.split('_')[0]?.toLowerCase() === language;

export class TemplateLists {
  readonly #db: Kysely<InboxDatabase>;
  readonly #views: InboxViews;

  constructor(deps: { db: Kysely<InboxDatabase>; views: InboxViews }) {
    this.#db = deps.db;
    this.#views = deps.views;
  }

  async ofConversation(viewer: ConversationViewer, conversationId: number): Promise<ConversationTemplates> {
    const conversation = await visibleConversation(this.#views, viewer, conversationId);
    const row = await this.#db
      .selectFrom('conversations')
      .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
      .leftJoin('business_numbers', 'business_numbers.phone_number_id', 'conversations.business_phone_number_id')
      .select(['contacts.marketing_preference', 'business_numbers.waba_id'])
      .where('conversations.id', '=', conversationId)
      .executeTakeFirstOrThrow();
    const stopped = stoppedMarketing(row.marketing_preference);
    const language = await this.#language(conversationId);
    const wabaId = row.waba_id ?? null;
    const templates: UsableTemplate[] = (wabaId === null ? [] : await templatesOfAccount(this.#db, wabaId))
      .filter((template) => !template.removed)
      .map((template) => ({ ...template, refusal: refusalOf(template, stopped) }))
      .sort(
        (a, b) =>
          Number(a.status !== 'APPROVED') - Number(b.status !== 'APPROVED') ||
          Number(!inLanguage(a, language)) - Number(!inLanguage(b, language)) ||
          a.name.localeCompare(b.name) ||
          a.language.localeCompare(b.language),
      );
    return { conversationId, businessPhoneNumberId: conversation.businessPhoneNumberId, wabaId, language, customerStoppedMarketing: stopped, templates };
  }

  async managed(viewer: ConversationViewer): Promise<ManagedTemplates> {
    if (!mayReviewTemplates(viewer)) throw new CodedError('forbidden_role', 'Only administrators and supervisors review the message templates.');
    const [templates, syncs] = await Promise.all([templatesOfAccount(this.#db, undefined), templateSyncs(this.#db)]);
    return { templates, syncs };
  }

  /** The language of the customer's latest texts (routing's detector); null when they say too little. */
  async #language(conversationId: number): Promise<string | null> {
    const texts = await recentCustomerTexts(this.#db, conversationId);
    return texts === '' ? null : (detectLanguage(texts) ?? null);
  }
}
