/**
 * The personal-data rule where agents send (issue 13): a message whose text or caption asks the
 * customer for personal data (requestedPersonalData) goes only with its purpose when the policy
 * asks for one (`personalData.requirePurpose`, on by default). Without it the send is refused
 * (`422 personal_data_purpose_required`, naming the kinds, never the text), counted and audited as
 * `safety.personal_data.refused`. With it the message carries one line more, telling the customer
 * what the data is for in their language and linking the privacy notice when the policy names one;
 * the request is kept on the contact (kinds, purpose, who, when, the message) and audited as
 * `safety.personal_data.explained`, both in the send's own transaction. A promotions request goes
 * with Yes/No reply buttons.
 */
import { MAX_CAPTION_LENGTH, MAX_TEXT_LENGTH } from '../../common/messages/send-request.js';
import type { SendRequest } from '../../common/messages/send-request.js';
import type { PersonalDataPurpose, PurposeLanguage } from '../../common/personal-data/personal-data-purpose.js';
import {
  MAX_BUTTON_MESSAGE_LENGTH,
  PersonalDataPurposeRequired,
  promotionsConsentButtons,
  purposeLine,
  withPurposeLine,
} from '../../common/personal-data/personal-data-purpose.js';
import { requestedPersonalData } from '../../common/personal-data/personal-data-requests.js';
import type { PersonalDataKind } from '../../common/personal-data/personal-data-words.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { appendSafetyAudit } from '../safety/safety-actions.js';
import type { SafetyActions } from '../safety/safety-actions.js';
import type { SafetyPolicies } from '../safety/safety-policies.js';
import type { StoreTransaction } from '../store/group-commit.js';
import { customerLanguage } from './customer-language.js';

export interface PersonalDataSender {
  readonly agentId: number | null;
  readonly conversationId: number;
}

/** A send that asks for personal data and says what for: what the line will say. */
export interface AskedWithPurpose {
  readonly kinds: readonly PersonalDataKind[];
  readonly purpose: PersonalDataPurpose;
  readonly privacyNoticeUrl: string | null;
}

/** The agent's words a send carries to the customer that the rule reads: a text's, a caption's. */
function writtenText(request: SendRequest): string | undefined {
  if (request.kind === 'text') return request.text;
  if (request.kind === 'media') return request.caption;
  return undefined;
}

export class PersonalDataGuard {
  readonly #policies: Pick<SafetyPolicies, 'policy'>;
  readonly #actions: SafetyActions;

  constructor(deps: { readonly policies: Pick<SafetyPolicies, 'policy'>; readonly actions: SafetyActions }) {
    this.#policies = deps.policies;
    this.#actions = deps.actions;
  }

  /**
   * Refuses (recorded) a send that asks for personal data without its purpose while the policy
   * requires one. Answers what the added line says when the send asks and carries a purpose;
   * undefined when it asks for nothing (a purpose on it changes nothing) or the rule is off and
   * it carries none.
   */
  async check(request: SendRequest, sender: PersonalDataSender): Promise<AskedWithPurpose | undefined> {
    const text = writtenText(request);
    const kinds = text === undefined ? [] : requestedPersonalData(text);
    if (kinds.length === 0) return undefined;
    const purpose = request.kind === 'text' || request.kind === 'media' ? request.personalDataPurpose : undefined;
    const policy = (await this.#policies.policy()).personalData;
    if (purpose === undefined) {
      if (!policy.requirePurpose) return undefined;
      await this.#actions.record({ rule: 'personal_data', action: 'refused', agentId: sender.agentId, conversationId: sender.conversationId });
      throw new PersonalDataPurposeRequired({ kinds });
    }
    return { kinds, purpose, privacyNoticeUrl: policy.privacyNoticeUrl };
  }

  /** The agent's text with the purpose line, in the customer's language (read in the send's transaction). */
  async explained(trx: StoreTransaction, asked: AskedWithPurpose, conversationId: number, text: string, limit: 'text' | 'caption') {
    const language = await customerLanguage(trx, conversationId, text);
    const explained = withPurposeLine(text, purposeLine(asked.kinds, asked.purpose, language, asked.privacyNoticeUrl));
    const max = limit === 'text' ? MAX_TEXT_LENGTH : MAX_CAPTION_LENGTH;
    if (explained.length > max) {
      throw new CodedError(
        'personal_data_purpose_too_long',
        `With the line that says what the personal data is for, this ${limit} would pass WhatsApp’s ${max} characters: shorten it.`,
        { max },
      );
    }
    // A promotions request goes with Yes and No buttons, whose tap records the customer's consent
    // (consent-replies.ts); a text too long for a message with buttons goes as plain text, and the
    // agent records the answer.
    const buttons =
      asked.purpose.purpose === 'promotions' && limit === 'text' && explained.length <= MAX_BUTTON_MESSAGE_LENGTH
        ? promotionsConsentButtons(language)
        : undefined;
    return { text: explained, language, buttons };
  }

  /** Keeps the request on the contact and appends its audit row, in the transaction that stores the message. */
  async recordIn(
    trx: StoreTransaction,
    asked: AskedWithPurpose,
    sent: PersonalDataSender & { readonly contactId: number; readonly messageId: number; readonly language: PurposeLanguage },
    now: number,
  ): Promise<void> {
    await trx
      .insertInto('personal_data_requests')
      .values({
        contact_id: sent.contactId,
        conversation_id: sent.conversationId,
        message_id: sent.messageId,
        kinds: asked.kinds.join(','),
        purpose: asked.purpose.purpose,
        purpose_text: asked.purpose.text ?? null,
        language: sent.language,
        requested_by_agent_id: sent.agentId,
        requested_at: now,
      })
      .execute();
    await appendSafetyAudit(
      trx,
      { rule: 'personal_data', action: 'explained', agentId: sent.agentId, conversationId: sent.conversationId, messageId: sent.messageId },
      now,
    );
  }

  /** Counts an explained request once its transaction committed. */
  explainedCommitted(): void {
    this.#actions.counted({ rule: 'personal_data', action: 'explained' });
  }
}
