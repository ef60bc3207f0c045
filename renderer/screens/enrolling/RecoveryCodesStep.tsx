/**
 * Enrollment, last step: the ten recovery codes, shown once. The agent copies or prints them and
 * says they have saved them before going on.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAction } from '../../api/use-action.js';
import { useShowState } from '../../app/app-state-context.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { ScreenCard } from '../../components/ScreenCard.js';
import { CopyButton } from '../../components/CopyButton.js';

export function RecoveryCodesStep({ username, recoveryCodes }: { username: string; recoveryCodes: readonly string[] }) {
  const { t } = useTranslation();
  const savedId = useId();
  const [saved, setSaved] = useState(false);
  const finish = useAction(() => window.sportello.finishEnrollment({}), useShowState());
  return (
    <ScreenCard title={t('recoveryCodes.title')}>
      <p>{t('recoveryCodes.explanation')}</p>
      <p className="warning-notice">{t('recoveryCodes.shownOnce')}</p>
      <section className="printable" aria-label={t('recoveryCodes.listLabel')}>
        <p className="print-only">{t('recoveryCodes.printHeading', { username })}</p>
        <ol className="recovery-codes selectable" translate="no">
          {recoveryCodes.map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ol>
      </section>
      <div className="actions actions-start">
        <button type="button" className="button-secondary" onClick={() => window.print()}>
          {t('recoveryCodes.print')}
        </button>
        <CopyButton text={recoveryCodes.join('\n')} />
      </div>
      <div className="checkbox-field">
        <input id={savedId} type="checkbox" checked={saved} onChange={(event) => setSaved(event.target.checked)} />
        <label htmlFor={savedId}>{t('recoveryCodes.saved')}</label>
      </div>
      <ErrorNotice problem={finish.failure} />
      <div className="actions">
        <button type="button" className="button-primary" disabled={!saved || finish.pending} onClick={() => void finish.run()}>
          {t('recoveryCodes.continue')}
        </button>
      </div>
    </ScreenCard>
  );
}
