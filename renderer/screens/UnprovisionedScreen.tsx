import { useTranslation } from 'react-i18next';
import type { UiError } from '../../common/ipc/app-state.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { ScreenCard } from '../components/ScreenCard.js';

/** The provisioning file is missing or broken: say which file, what is wrong, what IT must do. */
export function UnprovisionedScreen({ problem, provisioningPath }: { problem: UiError; provisioningPath: string }) {
  const { t } = useTranslation();
  return (
    <ScreenCard title={t('unprovisioned.title')}>
      <p>{t('unprovisioned.explanation')}</p>
      <dl className="facts">
        <dt>{t('unprovisioned.file')}</dt>
        <dd>
          <code className="selectable">{provisioningPath}</code>
        </dd>
      </dl>
      <ErrorNotice problem={problem} />
      <h2>{t('unprovisioned.whatItDoesTitle')}</h2>
      <p>{t('unprovisioned.whatItDoes')}</p>
    </ScreenCard>
  );
}
