/**
 * A modal dialog on the native <dialog> element: the browser traps focus, Escape cancels, and
 * the element carries the dialog role; we add its label and return focus where it was.
 */
import { useEffect, useId, useRef } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface DialogProps {
  readonly title: string;
  readonly children: ReactNode;
  readonly confirmLabel: string;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
  readonly pending?: boolean;
  /** A dialog that destroys something (revoke, disable) colours its confirm button as a warning. */
  readonly destructive?: boolean;
}

export function Dialog({ title, children, confirmLabel, onConfirm, onCancel, pending = false, destructive = false }: DialogProps) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const element = dialog.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    element?.showModal();
    return () => {
      element?.close();
      opener?.focus();
    };
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onConfirm();
  };
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <form onSubmit={submit}>
        <h2 id={titleId}>{title}</h2>
        {children}
        <div className="dialog-actions">
          <button type="button" className="button-secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button type="submit" className={destructive ? 'button-danger' : 'button-primary'} disabled={pending}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
