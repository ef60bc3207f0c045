/**
 * Personal data asked of a customer, as the client API and the admin CLI offer it (issue 13):
 * what was asked of the conversation's customer and why (by anyone who may see the conversation,
 * a conversation they may not see being "not found"), their answer to promotions recorded by an
 * agent or by their own tap on a Yes/No button, and an administrator's export for a data-subject
 * request (audited, personal-data-export.ts). A consent answers the contact's latest promotions request: without one there
 * is nothing the answer is to, and it is refused.
 */
import type { Kysely } from 'kysely';
import type { ConsentAnswer, ConsentView, ContactPersonalData, PersonalDataExport, RecordConsentBody } from '../../common/api/personal-data.js';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { MessageContent } from '../../common/messages/message-content.js';
import { messageText } from '../../common/messages/message-text.js';
import type { Actor } from '../audit/actor.js';
import type { InboxViews } from '../inbox/inbox-views.js';
import { visibleConversation } from '../inbox/visible-conversation.js';
import { appendSafetyAudit } from '../safety/safety-actions.js';
import type { SafetyActions } from '../safety/safety-actions.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { exportPersonalData } from './personal-data-export.js';
import { personalDataOfContact } from './personal-data-records.js';

export interface PersonalDataServiceDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly views: InboxViews;
  readonly actions: Pick<SafetyActions, 'counted'>;
  readonly now: () => number;
}

async function contactOf(db: Kysely<InboxDatabase> | StoreTransaction, conversationId: number): Promise<number> {
  const row = await db.selectFrom('conversations').select('contact_id').where('id', '=', conversationId).executeTakeFirst();
  if (row === undefined) throw new CodedError('conversation_not_found', `There is no conversation ${conversationId} you may see.`);
  return row.contact_id;
}

/** The contact's latest request that asked with the promotions purpose, if any, and what its message said. */
async function latestPromotionsRequest(trx: StoreTransaction, contactId: number): Promise<{ id: number; asked: string } | undefined> {
  const row = await trx
    .selectFrom('personal_data_requests as request')
    .innerJoin('messages', 'messages.id', 'request.message_id')
    .select(['request.id', 'messages.content_json'])
    .where('request.contact_id', '=', contactId)
    .where('request.purpose', '=', 'promotions')
    .orderBy('request.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const content = MessageContent.safeParse(JSON.parse(row.content_json));
  return { id: row.id, asked: (content.success ? messageText(content.data) : null) ?? '' };
}

export interface ConsentEntry {
  readonly conversationId: number;
  readonly consent: ConsentAnswer;
  /** What the customer was asked; a button reply's is the promotions request's own text. */
  readonly wording?: string;
  readonly agentId: number | null;
  readonly replyMessageId: number | null;
}

/**
 * Records a consent answer in the caller's transaction, with its audit row (`safety.personal_data.consent_recorded`);
 * undefined when the contact was never sent a promotions request. The caller counts it once committed.
 */
export async function recordConsentIn(trx: StoreTransaction, entry: ConsentEntry, now: number): Promise<number | undefined> {
  const contactId = await contactOf(trx, entry.conversationId);
  const request = await latestPromotionsRequest(trx, contactId);
  if (request === undefined) return undefined;
  const inserted = await trx
    .insertInto('personal_data_consents')
    .values({
      contact_id: contactId,
      conversation_id: entry.conversationId,
      request_id: request.id,
      consent: entry.consent,
      wording: entry.wording ?? request.asked,
      source: entry.agentId === null ? 'button_reply' : 'agent',
      recorded_by_agent_id: entry.agentId,
      reply_message_id: entry.replyMessageId,
      recorded_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendSafetyAudit(
    trx,
    { rule: 'personal_data', action: 'consent_recorded', agentId: entry.agentId, conversationId: entry.conversationId, messageId: entry.replyMessageId },
    now,
  );
  return inserted.id;
}

export class PersonalDataService {
  readonly #deps: PersonalDataServiceDeps;

  constructor(deps: PersonalDataServiceDeps) {
    this.#deps = deps;
  }

  async forConversation(viewer: ConversationViewer, conversationId: number): Promise<ContactPersonalData> {
    await visibleConversation(this.#deps.views, viewer, conversationId);
    return personalDataOfContact(this.#deps.db, await contactOf(this.#deps.db, conversationId));
  }

  async recordConsent(viewer: ConversationViewer, conversationId: number, body: RecordConsentBody): Promise<ConsentView> {
    await visibleConversation(this.#deps.views, viewer, conversationId);
    const { id, contactId } = await this.#deps.committer.submit(async (trx) => {
      const entry = { conversationId, consent: body.consent, wording: body.wording, agentId: viewer.agentId, replyMessageId: null };
      const recorded = await recordConsentIn(trx, entry, this.#deps.now());
      if (recorded === undefined) {
        throw new CodedError(
          'consent_needs_promotions_request',
          'This customer has not been asked about promotions: send a request for personal data with the promotions purpose first.',
        );
      }
      return { id: recorded, contactId: await contactOf(trx, conversationId) };
    });
    this.#deps.actions.counted({ rule: 'personal_data', action: 'consent_recorded' });
    const { consents } = await personalDataOfContact(this.#deps.db, contactId);
    const consent = consents.find((row) => row.id === id);
    if (consent === undefined) throw new Error(`consent ${id} was recorded and cannot be read back`);
    return consent;
  }

  /** A data-subject export of a contact (audited): server/personal-data/personal-data-export.ts. */
  exportContact(actor: Actor, contactId: number): Promise<PersonalDataExport> {
    return exportPersonalData(this.#deps, actor, contactId);
  }
}
