/**
 * Where an outgoing message is: a clock until Meta accepts it, ✓ sent, ✓✓ delivered, blue ✓✓
 * read, and a warning for failures whose reason (Meta's) shows on hover and on keyboard focus.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../../common/api/inbox.js';

type Stage = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

export function deliveryStage(status: string): Stage | null {
  switch (status) {
    case 'queued':
    case 'sending':
    case 'accepted':
      return 'pending';
    case 'sent':
      return 'sent';
    case 'delivered':
      return 'delivered';
    case 'read':
    case 'played':
      return 'read';
    case 'failed':
      return 'failed';
    default:
      return null;
  }
}

const GLYPHS: Record<Exclude<Stage, 'failed'>, string> = { pending: '◷', sent: '✓', delivered: '✓✓', read: '✓✓' };

interface DeliveryStatusProps {
  readonly status: string;
  readonly error?: MessageView['error'];
  /** In a list row (itself a button) a failure is a mark only; its reason is in the conversation. */
  readonly compact?: boolean;
}

export function DeliveryStatus({ status, error, compact = false }: DeliveryStatusProps) {
  const { t } = useTranslation();
  const reasonId = useId();
  const stage = deliveryStage(status);
  if (stage === null) return null;
  const label = t(`delivery.${stage}`);
  if (stage !== 'failed' || compact) {
    return (
      <span className={`ticks ticks-${stage}`} role="img" aria-label={label} title={label}>
        {stage === 'failed' ? '⚠' : GLYPHS[stage]}
      </span>
    );
  }
  const reason = [error?.title, error?.reason].filter((part) => part != null && part !== '').join(': ') || t('delivery.noReason');
  return (
    <span className="ticks-failed">
      <button type="button" className="failed-marker" aria-describedby={reasonId}>
        <span aria-hidden="true">⚠</span> {label}
      </button>
      <span role="tooltip" id={reasonId} className="tooltip">
        {reason}
        {error == null ? null : <span className="error-code"> ({error.code})</span>}
      </span>
    </span>
  );
}
