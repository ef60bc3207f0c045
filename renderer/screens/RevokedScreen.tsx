import { useTranslation } from 'react-i18next';
import { ScreenCard } from '../components/ScreenCard.js';

type ReasonCode = 'key_replaced' | 'access_withdrawn';

/**
 * The end: an admin revoked this workstation (or replaced its key); say why and what was erased.
 * A reason code is the app's own words for what happened; only an admin's reason is "given".
 */
export function RevokedScreen({ reason, reasonCode, dataErased }: { reason: string; reasonCode?: ReasonCode | undefined; dataErased: boolean }) {
  const { t } = useTranslation();
  return (
    <ScreenCard title={t('revoked.title')}>
      {reasonCode === undefined ? (
        <>
          <p>{t('revoked.explanation')}</p>
          <dl className="facts">
            <dt>{t('revoked.reason')}</dt>
            <dd className="revoked-reason">{reason}</dd>
          </dl>
        </>
      ) : (
        <p className="revoked-reason">{t(`revoked.reasons.${reasonCode}`)}</p>
      )}
      <p className={dataErased ? 'notice' : 'warning-notice'}>{dataErased ? t('revoked.erased') : t('revoked.notErased')}</p>
      <p>{reasonCode === 'key_replaced' ? t('revoked.nextKeyReplaced') : t('revoked.next')}</p>
    </ScreenCard>
  );
}
