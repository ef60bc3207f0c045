import { useTranslation } from 'react-i18next';
import { ScreenCard } from '../components/ScreenCard.js';

/** The end: an admin revoked this workstation (or the agent); say why and what was erased. */
export function RevokedScreen({ reason, dataErased }: { reason: string; dataErased: boolean }) {
  const { t } = useTranslation();
  return (
    <ScreenCard title={t('revoked.title')}>
      <p>{t('revoked.explanation')}</p>
      <dl className="facts">
        <dt>{t('revoked.reason')}</dt>
        <dd className="revoked-reason">{reason}</dd>
      </dl>
      <p className={dataErased ? 'notice' : 'warning-notice'}>{dataErased ? t('revoked.erased') : t('revoked.notErased')}</p>
      <p>{t('revoked.next')}</p>
    </ScreenCard>
  );
}
