import { useTranslation } from 'react-i18next';
import { waitedFor } from './waited.js';

/** "Waiting 12 min" since `since`, as of `now`. */
export function WaitedLabel({ since, now, className = 'queue-badge' }: { since: number; now: number; className?: string }) {
  const { t } = useTranslation();
  const { unit, count } = waitedFor(now - since);
  return <span className={className}>{t(`desk.waiting.${unit}`, { count })}</span>;
}
