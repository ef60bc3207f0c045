/**
 * Whether a payment can be requested in the conversation shown, and how: the composer, the card
 * warning and the note on a hidden card each offer "Request payment" through this, and one dialog
 * opens. Offered only where a reply may be written and an admin has set a payment provider.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { MessageView } from '../../../common/api/inbox.js';
import { settle } from '../../api/use-action.js';
import { PaymentRequestDialog } from './PaymentRequestDialog.js';

/** Opens the dialog; undefined when no payment can be requested here. */
const RequestPayment = createContext<(() => void) | undefined>(undefined);

export function useRequestPayment(): (() => void) | undefined {
  return useContext(RequestPayment);
}

interface PaymentRequestProviderProps {
  readonly conversationId: number;
  /** Whether the agent may write a reply here now (not read-only, blocked, resolved or outside the window). */
  readonly writable: boolean;
  /** The message with the link, as the server stored it. */
  readonly onSent: (message: MessageView) => void;
  readonly children: ReactNode;
}

export function PaymentRequestProvider({ conversationId, writable, onSent, children }: PaymentRequestProviderProps) {
  const [available, setAvailable] = useState(false);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!writable) return;
    let current = true;
    void settle(window.sportello.getPaymentProvider({})).then((result) => {
      if (current) setAvailable(result.ok && result.value.available);
    });
    return () => {
      current = false;
    };
  }, [writable, conversationId]);
  const show = useCallback(() => setOpen(true), []);
  const value = useMemo(() => (writable && available ? show : undefined), [writable, available, show]);
  return (
    <RequestPayment.Provider value={value}>
      {children}
      {open && value !== undefined ? <PaymentRequestDialog conversationId={conversationId} onSent={onSent} onClose={() => setOpen(false)} /> : null}
    </RequestPayment.Provider>
  );
}

/** The "Request payment" button, wherever it is offered; nothing when no payment can be requested. */
export function RequestPaymentButton({ label, className = 'button-secondary' }: { label: string; className?: string }) {
  const request = useRequestPayment();
  if (request === undefined) return null;
  return (
    <button type="button" className={className} onClick={request}>
      {label}
    </button>
  );
}
