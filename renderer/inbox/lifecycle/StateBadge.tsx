import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../common/api/inbox.js';
import { useTimeFormat } from '../../components/use-time-format.js';

/** "Waiting for the customer", "Snoozed until 9:00", "Resolved"; an open conversation says so only where `showOpen`. */
export function StateBadge({ conversation, now, showOpen = false }: { conversation: ConversationSummary; now: number; showOpen?: boolean }) {
  const { t } = useTranslation();
  const format = useTimeFormat();
  const { state, snoozedUntil } = conversation;
  if (state === 'open' && !showOpen) return null;
  const text =
    state === 'snoozed' ? t('lifecycle.state.snoozed', { time: snoozedUntil === null ? '' : format.moment(snoozedUntil, now) }) : t(`lifecycle.state.${state}`);
  return <span className={`state-badge state-${state}`}>{text}</span>;
}
