import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAction } from '../../api/use-action.js';
import { useShowState } from '../../app/app-state-context.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { PasswordField } from '../../components/PasswordField.js';
import { EMPTY_SECOND_FACTOR, SecondFactorField, toSecondFactor } from '../../components/SecondFactorField.js';
import type { SecondFactorDraft } from '../../components/SecondFactorField.js';
import { TextField } from '../../components/TextField.js';

export function LoginForm() {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [secondFactor, setSecondFactor] = useState<SecondFactorDraft>(EMPTY_SECOND_FACTOR);
  const login = useAction(() => window.sportello.login({ username, password, secondFactor: toSecondFactor(secondFactor) }), useShowState());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void login.run().then((state) => {
      // A code is good once: after a failure the agent types the next one.
      if (state === null) setSecondFactor((current) => ({ ...current, code: '' }));
    });
  };
  return (
    <form className="form" onSubmit={submit} aria-label={t('login.title')}>
      <TextField
        label={t('login.username')}
        value={username}
        onChange={setUsername}
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
      />
      <PasswordField label={t('login.password')} onChange={setPassword} autoComplete="current-password" required />
      <SecondFactorField value={secondFactor} onChange={setSecondFactor} />
      <ErrorNotice problem={login.failure} />
      <div className="actions">
        <button type="submit" className="button-primary" disabled={login.pending}>
          {t('login.submit')}
        </button>
      </div>
    </form>
  );
}
