import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppState } from '../../common/ipc/app-state.js';
import { useAction } from '../api/use-action.js';
import { useShowState } from '../app/app-state-context.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { ScreenCard } from '../components/ScreenCard.js';
import { SignInNote } from '../components/SignInNote.js';
import { EMPTY_SECOND_FACTOR, SecondFactorField, toSecondFactor } from '../components/SecondFactorField.js';
import type { SecondFactorDraft } from '../components/SecondFactorField.js';

type LockedState = Extract<AppState, { screen: 'locked' }>;

/** The session is kept but hidden: the second factor resumes it, or the agent signs out. */
export function LockedScreen({ state }: { state: LockedState }) {
  const { t } = useTranslation();
  const showState = useShowState();
  const [secondFactor, setSecondFactor] = useState<SecondFactorDraft>(EMPTY_SECOND_FACTOR);
  const unlock = useAction(() => window.sportello.unlock({ secondFactor: toSecondFactor(secondFactor) }), showState);
  const logout = useAction(() => window.sportello.logout({}), showState);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void unlock.run().then((next) => {
      if (next === null) setSecondFactor((current) => ({ ...current, code: '' }));
    });
  };
  return (
    <ScreenCard title={t('locked.title')}>
      <p>{t(`locked.reason.${state.reason}`)}</p>
      <p className="muted">{t('locked.signedInAs', { name: state.agent.displayName, username: state.agent.username })}</p>
      <form className="form" onSubmit={submit} aria-label={t('locked.formLabel')}>
        <SecondFactorField value={secondFactor} onChange={setSecondFactor} />
        <ErrorNotice problem={unlock.failure ?? state.problem} />
        <div className="actions">
          <button type="button" className="button-secondary" onClick={() => void logout.run()} disabled={logout.pending}>
            {t('locked.signOut')}
          </button>
          <button type="submit" className="button-primary" disabled={unlock.pending}>
            {t('locked.unlock')}
          </button>
        </div>
        <ErrorNotice problem={logout.failure} />
      </form>
      <SignInNote />
    </ScreenCard>
  );
}
