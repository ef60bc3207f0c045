/** In a list row: who holds the conversation ("You", "Anna"), or, while it waits in its team's queue, for how long. */
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../common/api/inbox.js';
import { WaitedLabel } from './WaitedLabel.js';

export function AssigneeBadge({ conversation, now, selfId }: { conversation: ConversationSummary; now: number; selfId: number | undefined }) {
  const { t } = useTranslation();
  if (conversation.queuedSince !== null) return <WaitedLabel since={conversation.queuedSince} now={now} />;
  const { assignee } = conversation;
  if (assignee === null) return null;
  return (
    <span className="assignee-badge" title={t('desk.assignedTo', { name: assignee.name })}>
      {assignee.agentId === selfId ? t('desk.assignedToYou') : assignee.name}
    </span>
  );
}
