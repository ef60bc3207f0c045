import { useTranslation } from 'react-i18next';
import { ScreenCard } from '../components/ScreenCard.js';

type ReasonCode = 'key_replaced' | 'access_withdrawn';

/** The end: an admin revoked this workstation (or replaced its key); say why and what was erased. */
export function RevokedScreen({ reason, reasonCode, dataErased }: { reason: string; reasonCode?: ReasonCode | undefined; dataErased: boolean }) {
  const { t } = useTranslation();
  return (
    <ScreenCard title={t('revoked.title')}>
      <p>{t('revoked.explanation')}</p>
      <dl className="facts">
        <dt>{t('revoked.reason')}</dt>
        <dd className="revoked-reason">{reasonCode === undefined ? reason : t(`revoked.reasons.${reasonCode}`)}</dd>
      </dl>
      <p className={dataErased ? 'notice' : 'warning-notice'}>{dataErased ? t('revoked.erased') : t('revoked.notErased')}</p>
      <p>{t('revoked.next')}</p>
    </ScreenCard>
  );
}
