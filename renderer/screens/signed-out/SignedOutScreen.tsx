import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UiError } from '../../../common/ipc/app-state.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { ScreenCard } from '../../components/ScreenCard.js';
import { SignInNote } from '../../components/SignInNote.js';
import { EnrollStartForm } from './EnrollStartForm.js';
import { LoginForm } from './LoginForm.js';

/** The device is active and nobody is signed in: log in, or enroll the first time. */
export function SignedOutScreen({ deviceLabel, problem }: { deviceLabel: string; problem: UiError | null }) {
  const { t } = useTranslation();
  const [enrolling, setEnrolling] = useState(false);
  return (
    <ScreenCard title={enrolling ? t('enroll.title') : t('login.title')}>
      <p className="muted">{t('login.device', { device: deviceLabel })}</p>
      <ErrorNotice problem={problem} />
      {enrolling ? <EnrollStartForm /> : <LoginForm />}
      <p className="switch-form">
        <button type="button" className="button-link" onClick={() => setEnrolling(!enrolling)}>
          {enrolling ? t('enroll.backToLogin') : t('login.firstTime')}
        </button>
      </p>
      <SignInNote />
    </ScreenCard>
  );
}
