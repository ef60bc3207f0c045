/**
 * The language a customer is told the purpose of a request for personal data in: franc-min over
 * their recent messages in the conversation (their last few texts together, so that "ok grazie"
 * and "sì" add up), when it says English or Italian; otherwise the language of the agent's own
 * text (they write to the customer in the language they chose); otherwise English.
 */
import { franc } from 'franc-min';
import type { PurposeLanguage } from '../../common/personal-data/personal-data-purpose.js';
import type { StoreTransaction } from '../store/group-commit.js';
import { recentCustomerTexts } from '../inbox/recent-customer-texts.js';

/** How many of the customer's latest messages are read, and at most how much of their text. */
const SAMPLE_LENGTH = 1000;

function purposeLanguageOf(text: string): PurposeLanguage | undefined {
  const detected = franc(text.slice(0, SAMPLE_LENGTH), { minLength: 10 });
  return detected === 'ita' ? 'it' : detected === 'eng' ? 'en' : undefined;
}

export async function customerLanguage(trx: StoreTransaction, conversationId: number, agentText: string): Promise<PurposeLanguage> {
  const texts = await recentCustomerTexts(trx, conversationId);
  return purposeLanguageOf(texts) ?? purposeLanguageOf(agentText) ?? 'en';
}
