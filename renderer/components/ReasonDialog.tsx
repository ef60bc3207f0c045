/**
 * A dialog that asks why before an audited act (blocking a customer, revealing their number): the
 * agent's words, trimmed, between `min` and `max` characters; too short is said in place, and the
 * act's own failure shows under the field.
 */
import { useId, useState } from 'react';
import type { IpcFailure } from '../../common/ipc/ipc-result.js';
import { Dialog } from './Dialog.js';
import { ErrorNotice } from './ErrorNotice.js';

export interface ReasonDialogWords {
  readonly title: string;
  readonly explain: string;
  readonly confirm: string;
  readonly reasonLabel: string;
  readonly reasonPlaceholder: string;
  readonly reasonTooShort: string;
}

interface ReasonDialogProps {
  readonly words: ReasonDialogWords;
  readonly min: number;
  readonly max: number;
  /** A few lines to write in (a textarea) rather than one. */
  readonly multiline?: boolean;
  readonly destructive?: boolean;
  readonly pending: boolean;
  readonly failure: IpcFailure | null;
  readonly onConfirm: (reason: string) => void;
  readonly onCancel: () => void;
}

export function ReasonDialog({ words, min, max, multiline = false, destructive, pending, failure, onConfirm, onCancel }: ReasonDialogProps) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [tooShort, setTooShort] = useState(false);
  const field = {
    id,
    maxLength: max,
    value: reason,
    placeholder: words.reasonPlaceholder,
    'aria-invalid': tooShort,
    onChange: (event: { target: { value: string } }) => {
      setTooShort(false);
      setReason(event.target.value);
    },
  };
  return (
    <Dialog
      title={words.title}
      confirmLabel={words.confirm}
      destructive={destructive}
      pending={pending}
      onCancel={onCancel}
      onConfirm={() => {
        const trimmed = reason.trim();
        if (trimmed.length < min) setTooShort(true);
        else onConfirm(trimmed);
      }}
    >
      <p>{words.explain}</p>
      <div className="transfer-field">
        <label htmlFor={id}>{words.reasonLabel}</label>
        {multiline ? <textarea rows={3} {...field} /> : <input type="text" {...field} />}
      </div>
      {tooShort ? (
        <p className="warning-notice" role="alert">
          {words.reasonTooShort}
        </p>
      ) : null}
      <ErrorNotice problem={failure} />
    </Dialog>
  );
}
