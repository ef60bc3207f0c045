import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../common/api/inbox.js';
import { useTimeFormat } from '../../components/use-time-format.js';

/** An earlier conversation as a line: "Conversation of 1 Dec, 21:30 · resolved by Dora". */
export function EarlierLabel({ conversation }: { conversation: ConversationSummary }) {
  const { t } = useTranslation();
  const format = useTimeFormat();
  const date = format.dateTime(conversation.lastMessageAt ?? conversation.resolvedAt ?? 0);
  return conversation.resolvedBy === null
    ? t('lifecycle.earlier.item', { date })
    : t('lifecycle.earlier.itemResolved', { date, name: conversation.resolvedBy.name });
}
