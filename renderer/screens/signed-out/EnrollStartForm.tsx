/**
 * First time on Sportello: the username and the one-time enrollment code an admin gave, and a
 * new password (twice) with the policy shown as it is met.
 */
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAction } from '../../api/use-action.js';
import { useShowState } from '../../app/app-state-context.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { PasswordField } from '../../components/PasswordField.js';
import { TextField } from '../../components/TextField.js';
import { checkPassword, MIN_PASSWORD_LENGTH, passesChecks } from './password-checks.js';
import type { PasswordChecks } from './password-checks.js';

function PolicyList({ id, checks }: { id: string; checks: PasswordChecks }) {
  const { t } = useTranslation();
  const rules: Array<[keyof PasswordChecks, string]> = [
    ['longEnough', t('enroll.policy.length', { min: MIN_PASSWORD_LENGTH })],
    ['variedEnough', t('enroll.policy.varied')],
    ['withoutUsername', t('enroll.policy.noUsername')],
    ['repeatedExactly', t('enroll.policy.repeated')],
  ];
  return (
    <ul className="policy-list" id={id} aria-label={t('enroll.policy.title')}>
      {rules.map(([rule, text]) => (
        <li key={rule} className={checks[rule] ? 'policy-met' : 'policy-unmet'}>
          <span className="visually-hidden">{checks[rule] ? t('enroll.policy.met') : t('enroll.policy.unmet')}</span>
          {text}
        </li>
      ))}
      <li className="policy-server">{t('enroll.policy.serverChecks')}</li>
    </ul>
  );
}

export function EnrollStartForm() {
  const { t } = useTranslation();
  const policyId = useId();
  const [username, setUsername] = useState('');
  const [enrollmentCode, setEnrollmentCode] = useState('');
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [showUnmet, setShowUnmet] = useState(false);
  const checks = checkPassword(password, repeated, username);
  const enroll = useAction(() => window.sportello.startEnrollment({ username, enrollmentCode, newPassword: password }), useShowState());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!passesChecks(checks)) {
      setShowUnmet(true);
      return;
    }
    void enroll.run();
  };
  return (
    <form className="form" onSubmit={submit} aria-label={t('enroll.title')}>
      <TextField
        label={t('login.username')}
        value={username}
        onChange={setUsername}
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
      />
      <TextField
        label={t('enroll.code')}
        value={enrollmentCode}
        onChange={setEnrollmentCode}
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        required
        hint={t('enroll.codeHint')}
        className="field-code"
      />
      <PasswordField label={t('enroll.newPassword')} onChange={setPassword} autoComplete="new-password" required aria-describedby={policyId} />
      <PasswordField label={t('enroll.repeatPassword')} onChange={setRepeated} autoComplete="new-password" required />
      <PolicyList id={policyId} checks={checks} />
      {showUnmet && !passesChecks(checks) ? (
        <p className="error-notice" role="alert">
          {t('enroll.policy.notMet')}
        </p>
      ) : null}
      <ErrorNotice problem={enroll.failure} />
      <div className="actions">
        <button type="submit" className="button-primary" disabled={enroll.pending}>
          {t('enroll.submit')}
        </button>
      </div>
    </form>
  );
}
