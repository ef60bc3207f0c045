/**
 * Enrollment, second step: the agent adds Sportello to their authenticator app (scanning the
 * otpauth QR, or typing the key) and proves it with one current code.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { UiError } from '../../../common/ipc/app-state.js';
import { useAction } from '../../api/use-action.js';
import { useShowState } from '../../app/app-state-context.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { GroupedCode } from '../../components/GroupedCode.js';
import { QrCode } from '../../components/QrCode.js';
import { ScreenCard } from '../../components/ScreenCard.js';
import { SignInNote } from '../../components/SignInNote.js';
import { TotpField } from '../../components/TotpField.js';

interface AuthenticatorStepProps {
  readonly username: string;
  readonly otpauthUri: string;
  readonly manualKey: string;
  readonly problem: UiError | null;
}

export function AuthenticatorStep({ username, otpauthUri, manualKey, problem }: AuthenticatorStepProps) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const confirm = useAction(() => window.sportello.confirmEnrollment({ code: code.replace(/\s/g, '') }), useShowState());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void confirm.run().then((state) => {
      if (state === null) setCode('');
    });
  };
  return (
    <ScreenCard title={t('authenticator.title')} wide>
      <p>{t('authenticator.explanation', { username })}</p>
      <div className="pairing-layout">
        <QrCode text={otpauthUri} label={t('authenticator.qrLabel')} />
        <div>
          <h2>{t('authenticator.manualTitle')}</h2>
          <p className="muted">{t('authenticator.manualHint')}</p>
          <p className="manual-key" data-testid="manual-key">
            <GroupedCode value={manualKey} className="selectable" />
          </p>
          <form className="form" onSubmit={submit}>
            <TotpField label={t('authenticator.codeLabel')} value={code} onChange={setCode} />
            <ErrorNotice problem={confirm.failure ?? problem} />
            <div className="actions">
              <button type="submit" className="button-primary" disabled={confirm.pending}>
                {t('authenticator.confirm')}
              </button>
            </div>
          </form>
        </div>
      </div>
      <SignInNote />
    </ScreenCard>
  );
}
