/**
 * What a WhatsApp group's conversation shows in place of the composer: Sportello keeps a group's
 * messages to read and never writes into one (docs/safety-rules.md, "Groups").
 */
import { useTranslation } from 'react-i18next';

export function GroupNotice() {
  const { t } = useTranslation();
  return (
    <div className="composer-area blocked-note" role="note" aria-label={t('groups.title')}>
      <p>
        <strong>{t('groups.title')}</strong> {t('groups.readOnly')}
      </p>
      <p className="muted">{t('groups.why')}</p>
    </div>
  );
}
