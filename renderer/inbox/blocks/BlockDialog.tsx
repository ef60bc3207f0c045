/** Asks why the customer is blocked (3–500 characters): the agent's words, kept with the block and in the audit log. */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BLOCK_REASON_MAX, BLOCK_REASON_MIN } from '../../../common/api/blocks.js';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';

interface BlockDialogProps {
  readonly customer: string;
  readonly pending: boolean;
  readonly failure: IpcFailure | null;
  readonly onBlock: (reason: string) => void;
  readonly onCancel: () => void;
}

export function BlockDialog({ customer, pending, failure, onBlock, onCancel }: BlockDialogProps) {
  const { t } = useTranslation();
  const id = useId();
  const [reason, setReason] = useState('');
  const [tooShort, setTooShort] = useState(false);
  return (
    <Dialog
      title={t('blocks.dialogTitle', { customer })}
      confirmLabel={t('blocks.confirm')}
      destructive
      pending={pending}
      onCancel={onCancel}
      onConfirm={() => {
        const trimmed = reason.trim();
        if (trimmed.length < BLOCK_REASON_MIN) setTooShort(true);
        else onBlock(trimmed);
      }}
    >
      <p>{t('blocks.explain')}</p>
      <div className="transfer-field">
        <label htmlFor={id}>{t('blocks.reasonLabel')}</label>
        <textarea
          id={id}
          rows={3}
          maxLength={BLOCK_REASON_MAX}
          value={reason}
          placeholder={t('blocks.reasonPlaceholder')}
          aria-invalid={tooShort}
          onChange={(event) => {
            setTooShort(false);
            setReason(event.target.value);
          }}
        />
      </div>
      {tooShort ? (
        <p className="warning-notice" role="alert">
          {t('blocks.reasonTooShort', { min: BLOCK_REASON_MIN })}
        </p>
      ) : null}
      <ErrorNotice problem={failure} />
    </Dialog>
  );
}
