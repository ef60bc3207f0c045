/** The business number a conversation is on, where the desk serves more than one. */
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../common/api/inbox.js';

export function NumberLabel({ conversation }: { conversation: ConversationSummary }) {
  const { t } = useTranslation();
  return <span className="number-label">{t('conversations.onNumber', { name: conversation.businessNumberName })}</span>;
}
