/**
 * The language a customer is told the purpose of a request for personal data in: franc-min over
 * their recent messages in the conversation (their last few texts together, so that "ok grazie"
 * and "sì" add up), when it says English or Italian; otherwise the language of the agent's own
 * text (they write to the customer in the language they chose); otherwise English.
 */
import { franc } from 'franc-min';
import { MessageContent } from '../../common/messages/message-content.js';
import { messageText } from '../../common/messages/message-text.js';
import type { PurposeLanguage } from '../../common/personal-data/personal-data-purpose.js';
import type { StoreTransaction } from '../store/group-commit.js';

/** How many of the customer's latest messages are read, and at most how much of their text. */
const RECENT_MESSAGES = 8;
const SAMPLE_LENGTH = 1000;

function purposeLanguageOf(text: string): PurposeLanguage | undefined {
  const detected = franc(text.slice(0, SAMPLE_LENGTH), { minLength: 10 });
  return detected === 'ita' ? 'it' : detected === 'eng' ? 'en' : undefined;
}

export async function customerLanguage(trx: StoreTransaction, conversationId: number, agentText: string): Promise<PurposeLanguage> {
  const recent = await trx
    .selectFrom('messages')
    .select('content_json')
    .where('conversation_id', '=', conversationId)
    .where('direction', '=', 'inbound')
    .orderBy('id', 'desc')
    .limit(RECENT_MESSAGES)
    .execute();
  const texts = recent.flatMap((row) => {
    const content = MessageContent.safeParse(JSON.parse(row.content_json));
    const text = content.success ? messageText(content.data) : null;
    return text === null ? [] : [text];
  });
  return purposeLanguageOf(texts.reverse().join('\n')) ?? purposeLanguageOf(agentText) ?? 'en';
}
