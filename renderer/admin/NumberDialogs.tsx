/** A number's row actions: a new access token (typed once, sent once), and removal, moving its conversations. */
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BusinessNumberView, NumberRemoved } from '../../common/api/business-numbers.js';
import { AccessToken } from '../../common/api/business-numbers.js';
import type { IpcFailure } from '../../common/ipc/ipc-result.js';
import { useAction } from '../api/use-action.js';
import { Dialog } from '../components/Dialog.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { PasswordField } from '../components/PasswordField.js';

export function RotateTokenDialog({ number, onDone, onCancel }: { number: BusinessNumberView; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const token = useRef('');
  // A new key remounts the password input empty after each try.
  const [inputs, setInputs] = useState(0);
  const [invalid, setInvalid] = useState<IpcFailure | null>(null);
  const rotate = useAction((accessToken: string) => window.sportello.adminRotateNumberToken({ phoneNumberId: number.phoneNumberId, accessToken }), onDone);
  const confirm = () => {
    const checked = AccessToken.safeParse(token.current);
    token.current = '';
    setInputs((generation) => generation + 1);
    if (!checked.success) {
      setInvalid({ ok: false, code: 'number_details_invalid', message: checked.error.issues[0]?.message ?? 'is invalid' });
      return;
    }
    setInvalid(null);
    void rotate.run(checked.data);
  };
  return (
    <Dialog
      title={t('numbers.newTokenTitle', { name: number.displayName })}
      confirmLabel={t('numbers.saveToken')}
      onConfirm={confirm}
      onCancel={onCancel}
      pending={rotate.pending}
    >
      <p>{t('numbers.newTokenExplanation')}</p>
      <PasswordField
        key={inputs}
        label={t('numbers.accessToken')}
        onChange={(value) => (token.current = value)}
        autoComplete="off"
        spellCheck={false}
        required
      />
      <ErrorNotice problem={invalid ?? rotate.failure} />
    </Dialog>
  );
}

export function RemoveNumberDialog({
  number,
  others,
  onDone,
  onCancel,
}: {
  number: BusinessNumberView;
  others: readonly BusinessNumberView[];
  onDone: (removed: NumberRemoved) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const moveToId = useId();
  const mustMove = number.conversations > 0;
  const [moveTo, setMoveTo] = useState(others[0]?.phoneNumberId ?? '');
  const remove = useAction(
    () => window.sportello.adminRemoveNumber({ phoneNumberId: number.phoneNumberId, ...(mustMove ? { moveConversationsTo: moveTo } : {}) }),
    onDone,
  );
  return (
    <Dialog
      title={t('numbers.removeTitle', { name: number.displayName })}
      confirmLabel={t('numbers.remove')}
      onConfirm={() => void remove.run()}
      onCancel={onCancel}
      pending={remove.pending || (mustMove && moveTo === '')}
      destructive
    >
      <p>{t('numbers.removeExplanation')}</p>
      {mustMove ? (
        others.length === 0 ? (
          <p className="warning-notice">{t('numbers.noOtherNumber')}</p>
        ) : (
          <>
            <p>{t('numbers.removeMove', { count: number.conversations })}</p>
            <div className="field">
              <label htmlFor={moveToId}>{t('numbers.moveTo')}</label>
              <select id={moveToId} value={moveTo} onChange={(event) => setMoveTo(event.target.value)}>
                {others.map((other) => (
                  <option key={other.phoneNumberId} value={other.phoneNumberId}>
                    {other.displayName} ({other.phoneNumberId})
                  </option>
                ))}
              </select>
            </div>
          </>
        )
      ) : null}
      <ErrorNotice problem={remove.failure} />
    </Dialog>
  );
}
