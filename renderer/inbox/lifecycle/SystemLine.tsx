/**
 * One change in the conversation's history, among its messages: who did what, and when
 * ("Anna resolved the conversation · 14:02").
 */
import { memo } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ConversationHistoryEntry } from '../../../common/api/conversation-lifecycle.js';
import { formatPaymentAmount } from '../../../common/payments/payment-links.js';
import type { PaymentCurrency } from '../../../common/payments/payment-links.js';
import { useTimeFormat } from '../../components/use-time-format.js';
import { useToday } from '../../components/use-today.js';

function changeText(entry: ConversationHistoryEntry, t: TFunction, moment: (at: number) => string): string {
  const who = entry.actor?.name ?? t('lifecycle.system.someone');
  if (entry.kind === 'payment') {
    if (entry.payment === null) return t('payments.system.requestedGone', { who });
    const { amount, currency, description } = entry.payment;
    return t('payments.system.requested', { who, amount: formatPaymentAmount(amount, currency as PaymentCurrency), description });
  }
  if (entry.kind === 'assignment') {
    if (entry.cause === 'routing')
      return entry.assignee === null ? t('lifecycle.system.requeuedOffline') : t('lifecycle.system.routed', { assignee: entry.assignee.name });
    if (entry.assignee === null && entry.team !== null) return t('handover.system.toTeam', { who, team: entry.team.name });
    if (entry.assignee === null) return t('lifecycle.system.unassigned', { who });
    if (entry.actor?.agentId === entry.assignee.agentId) return t('lifecycle.system.claimed', { who });
    if (entry.team !== null) return t('handover.system.toAgentOfTeam', { who, assignee: entry.assignee.name, team: entry.team.name });
    return t('lifecycle.system.assigned', { who, assignee: entry.assignee.name });
  }
  if (entry.cause === 'customer') return t('lifecycle.system.openedByCustomer');
  if (entry.cause === 'timer') return t('lifecycle.system.wokenByTimer');
  switch (entry.state) {
    case 'resolved':
      return t('lifecycle.system.resolved', { who });
    case 'pending':
      return t('lifecycle.system.pending', { who });
    case 'snoozed':
      return t('lifecycle.system.snoozed', { who, until: entry.snoozedUntil === null ? '' : moment(entry.snoozedUntil) });
    default:
      return t('lifecycle.system.reopened', { who });
  }
}

export const SystemLine = memo(function SystemLine({ entry }: { entry: ConversationHistoryEntry }) {
  const { t } = useTranslation();
  const format = useTimeFormat();
  const today = useToday();
  const moment = (at: number) => format.moment(at, today);
  return (
    <p className={`system-line system-line-${entry.kind === 'state' ? (entry.state ?? 'open') : entry.kind}`}>
      <time dateTime={new Date(entry.at).toISOString()}>{t('lifecycle.system.line', { text: changeText(entry, t, moment), time: moment(entry.at) })}</time>
    </p>
  );
});
