/**
 * What the conversation shows while its customer is blocked on its number: "Blocked", the
 * reason, who and when, and what WhatsApp answered. In place of the composer: nothing can be sent.
 */
import { useTranslation } from 'react-i18next';
import type { CustomerBlock } from '../../../common/api/blocks.js';
import { useTimeFormat } from '../../components/use-time-format.js';

export function BlockedNotice({ block }: { block: CustomerBlock }) {
  const { t } = useTranslation();
  const time = useTimeFormat();
  const { outcome, errorCode } = block.whatsapp;
  return (
    <div className="composer-area blocked-note" role="note" aria-label={t('blocks.blocked')}>
      <p>
        <strong>{t('blocks.blocked')}</strong> {t('blocks.by', { name: block.blockedBy.name, when: time.dateTime(block.blockedAt) })}
      </p>
      <p>{t('blocks.reason', { reason: block.reason })}</p>
      <p className="muted">{t(`blocks.whatsapp.${outcome}`, { code: errorCode ?? '' })}</p>
      <p className="muted">{t('blocks.nothingSent')}</p>
    </div>
  );
}
