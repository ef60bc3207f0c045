import { useTranslation } from 'react-i18next';
import type { UiError } from '../../common/ipc/app-state.js';
import { useAction } from '../api/use-action.js';
import { useShowState } from '../app/app-state-context.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { ScreenCard } from '../components/ScreenCard.js';

export function OfflineScreen({ serverUrl, problem }: { serverUrl: string; problem: UiError }) {
  const { t } = useTranslation();
  const retry = useAction(() => window.sportello.retry({}), useShowState());
  return (
    <ScreenCard title={t('offline.title')}>
      <p>{t('offline.explanation')}</p>
      <dl className="facts">
        <dt>{t('offline.server')}</dt>
        <dd>
          <code>{serverUrl}</code>
        </dd>
      </dl>
      <ErrorNotice problem={retry.failure ?? problem} />
      <div className="actions">
        <button type="button" className="button-primary" onClick={() => void retry.run()} disabled={retry.pending}>
          {retry.pending ? t('offline.retrying') : t('offline.retry')}
        </button>
      </div>
    </ScreenCard>
  );
}
