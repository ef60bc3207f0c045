/**
 * Adding a business number from the admin screen. The access token (and an app secret) are typed
 * into uncontrolled password inputs, held in a ref only until the one call that hands them to main,
 * and cleared, inputs and ref alike, once the call is made: whatever it answered, nothing of them
 * stays in the renderer.
 */
import { useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { AddNumberRequest } from '../../common/api/business-numbers.js';
import type { IpcFailure } from '../../common/ipc/ipc-result.js';
import { useAction } from '../api/use-action.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { PasswordField } from '../components/PasswordField.js';
import { TextField } from '../components/TextField.js';

/** The same rules the server and the CLI apply, checked first so a slip is named here. */
const detailsInvalid = (message: string): IpcFailure => ({ ok: false, code: 'number_details_invalid', message });

export function AddNumber({ onAdded }: { onAdded: () => void }) {
  const { t } = useTranslation();
  const titleId = useId();
  const [displayName, setDisplayName] = useState('');
  const [phoneNumberId, setPhoneNumberId] = useState('');
  const [wabaId, setWabaId] = useState('');
  const secrets = useRef({ accessToken: '', appSecret: '' });
  // A new key remounts the password inputs empty.
  const [secretInputs, setSecretInputs] = useState(0);
  const [invalid, setInvalid] = useState<IpcFailure | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const add = useAction(
    (request: AddNumberRequest) => window.sportello.adminAddNumber(request),
    (number) => {
      setAdded(number.displayName);
      setDisplayName('');
      setPhoneNumberId('');
      setWabaId('');
      onAdded();
    },
  );
  const forgetSecrets = () => {
    secrets.current = { accessToken: '', appSecret: '' };
    setSecretInputs((generation) => generation + 1);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAdded(null);
    const { accessToken, appSecret } = secrets.current;
    const checked = AddNumberRequest.safeParse({ displayName, phoneNumberId, wabaId, accessToken, appSecret: appSecret.trim() === '' ? undefined : appSecret });
    forgetSecrets();
    if (!checked.success) {
      setInvalid(detailsInvalid(checked.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')));
      return;
    }
    setInvalid(null);
    void add.run(checked.data);
  };
  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('numbers.addTitle')}</h2>
      <p className="muted">{t('numbers.addHint')}</p>
      <form className="inline-form" onSubmit={submit}>
        <TextField
          label={t('numbers.displayName')}

          value={displayName}
          onChange={setDisplayName}
          autoComplete="off"
          required
        />
        <TextField
          label={t('numbers.phoneNumberId')}
          value={phoneNumberId}
          onChange={setPhoneNumberId}
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          required
        />
        <TextField label={t('numbers.wabaId')} value={wabaId} onChange={setWabaId} inputMode="numeric" autoComplete="off" spellCheck={false} required />
        <PasswordField
          key={`token-${secretInputs}`}
          label={t('numbers.accessToken')}
          onChange={(value) => (secrets.current.accessToken = value)}
          autoComplete="off"
          spellCheck={false}
          required
        />
        <PasswordField
          key={`secret-${secretInputs}`}
          label={t('numbers.appSecret')}
          onChange={(value) => (secrets.current.appSecret = value)}
          autoComplete="off"
          spellCheck={false}
        />
        <button type="submit" className="button-primary" disabled={add.pending}>
          {t('numbers.add')}
        </button>
      </form>
      {added === null ? null : (
        <p role="status" className="muted">
          {t('numbers.added', { name: added })}
        </p>
      )}
      <ErrorNotice problem={invalid ?? add.failure} />
    </section>
  );
}
