/** The customer's latest texts in a conversation, oldest first: what language detectors read (routing, the purpose line, the template list). */
import type { Kysely } from 'kysely';
import { MessageContent } from '../../common/messages/message-content.js';
import { messageText } from '../../common/messages/message-text.js';
import type { StoreTransaction } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';

const RECENT_MESSAGES = 8;

export async function recentCustomerTexts(db: Kysely<InboxDatabase> | StoreTransaction, conversationId: number): Promise<string> {
  const recent = await db
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
  return texts.reverse().join('\n');
}
