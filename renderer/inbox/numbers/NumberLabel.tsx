/**
 * The business number a conversation is on, where the desk serves more than one: "On Sportello
 * Sales" in the conversation's header; in a list row, where room is short, the name alone
 * (with the full words for screen readers and as its tooltip).
 */
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../common/api/inbox.js';

export function NumberLabel({ conversation, short = false }: { conversation: ConversationSummary; short?: boolean }) {
  const { t } = useTranslation();
  const words = t('conversations.onNumber', { name: conversation.businessNumberName });
  if (!short) return <span className="number-label">{words}</span>;
  return (
    <span className="number-label" title={words} aria-label={words}>
      {conversation.businessNumberName}
    </span>
  );
}
