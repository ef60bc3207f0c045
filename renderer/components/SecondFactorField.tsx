/**
 * The second factor, as the agent chooses: the 6-digit code of the authenticator app, or one of
 * the recovery codes when the phone is not at hand.
 */
import { useTranslation } from 'react-i18next';
import type { SecondFactor } from '../../common/api/session.js';
import { TextField } from './TextField.js';
import { TotpField } from './TotpField.js';

export interface SecondFactorDraft {
  readonly kind: SecondFactor['kind'];
  readonly code: string;
}

export const EMPTY_SECOND_FACTOR: SecondFactorDraft = { kind: 'totp', code: '' };

/** What the call carries: spaces typed between digit groups are dropped. */
export function toSecondFactor(draft: SecondFactorDraft): SecondFactor {
  return draft.kind === 'totp' ? { kind: 'totp', code: draft.code.replace(/\s/g, '') } : { kind: 'recovery', code: draft.code.trim() };
}

export function SecondFactorField({ value, onChange }: { value: SecondFactorDraft; onChange: (value: SecondFactorDraft) => void }) {
  const { t } = useTranslation();
  const usingTotp = value.kind === 'totp';
  return (
    <div className="second-factor">
      {usingTotp ? (
        <TotpField label={t('secondFactor.totpLabel')} value={value.code} onChange={(code) => onChange({ kind: 'totp', code })} />
      ) : (
        <TextField
          label={t('secondFactor.recoveryLabel')}
          value={value.code}
          onChange={(code) => onChange({ kind: 'recovery', code })}
          autoComplete="off"
          spellCheck={false}
          required
          hint={t('secondFactor.recoveryHint')}
        />
      )}
      <button type="button" className="button-link" onClick={() => onChange({ kind: usingTotp ? 'recovery' : 'totp', code: '' })}>
        {usingTotp ? t('secondFactor.useRecovery') : t('secondFactor.useTotp')}
      </button>
    </div>
  );
}
