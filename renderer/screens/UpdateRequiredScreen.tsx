import { useTranslation } from 'react-i18next';
import { useAction } from '../api/use-action.js';
import { useShowState } from '../app/app-state-context.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { ScreenCard } from '../components/ScreenCard.js';

/** The server no longer serves this version of the app: say which versions, and what to do. */
export function UpdateRequiredScreen({ appVersion, minimumVersion }: { appVersion: string; minimumVersion: string | null }) {
  const { t } = useTranslation();
  const retry = useAction(() => window.sportello.retry({}), useShowState());
  return (
    <ScreenCard title={t('updateRequired.title')}>
      <p>{t('updateRequired.explanation')}</p>
      <dl className="facts">
        <dt>{t('updateRequired.appVersion')}</dt>
        <dd>
          <code>{appVersion}</code>
        </dd>
        <dt>{t('updateRequired.minimumVersion')}</dt>
        <dd>{minimumVersion === null ? t('updateRequired.minimumUnknown') : <code>{minimumVersion}</code>}</dd>
      </dl>
      <p>{t('updateRequired.next')}</p>
      <ErrorNotice problem={retry.failure} />
      <div className="actions">
        <button type="button" className="button-secondary" onClick={() => void retry.run()} disabled={retry.pending}>
          {retry.pending ? t('updateRequired.checking') : t('updateRequired.checkAgain')}
        </button>
      </div>
    </ScreenCard>
  );
}
