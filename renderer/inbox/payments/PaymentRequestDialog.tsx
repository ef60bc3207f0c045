/**
 * Asks for a payment in the conversation: the amount, its currency and what it is for. The server
 * makes the link with the provider an admin set (a Stripe Payment Link, or the company's payment
 * page) and sends it to the customer as this agent's message: the customer pays on the
 * provider's page, and a card number never passes through the chat.
 */
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_PAYMENT_DESCRIPTION, PAYMENT_CURRENCIES } from '../../../common/payments/payment-links.js';
import type { PaymentCurrency } from '../../../common/payments/payment-links.js';
import type { MessageView } from '../../../common/api/inbox.js';
import { useAction } from '../../api/use-action.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { minorUnitsOf } from './amount-input.js';

const CURRENCIES = Object.keys(PAYMENT_CURRENCIES) as PaymentCurrency[];

interface PaymentRequestDialogProps {
  readonly conversationId: number;
  readonly onSent: (message: MessageView) => void;
  readonly onClose: () => void;
}

type Problem = 'amount' | 'description' | null;

export function PaymentRequestDialog({ conversationId, onSent, onClose }: PaymentRequestDialogProps) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState<PaymentCurrency>('EUR');
  const [description, setDescription] = useState('');
  const [problem, setProblem] = useState<Problem>(null);
  // One key per request the agent means: a retry after a failure is the same request, and the server makes one link.
  const attempt = useRef<{ readonly content: string; readonly key: string } | null>(null);
  const send = useAction(
    (request: { amount: number; currency: PaymentCurrency; description: string }) => {
      const content = JSON.stringify(request);
      if (attempt.current?.content !== content) attempt.current = { content, key: crypto.randomUUID() };
      return window.sportello.requestPayment({
        conversationId,
        ...request,
        language: i18n.language.startsWith('it') ? 'it' : 'en',
        idempotencyKey: attempt.current.key,
      });
    },
    (created) => {
      onSent(created.message);
      onClose();
    },
  );
  const confirm = () => {
    const minor = minorUnitsOf(amount, currency);
    if (minor === null) return setProblem('amount');
    if (description.trim().length < 2) return setProblem('description');
    setProblem(null);
    void send.run({ amount: minor, currency, description: description.trim() });
  };
  return (
    <Dialog title={t('payments.dialogTitle')} confirmLabel={t('payments.send')} pending={send.pending} onCancel={onClose} onConfirm={confirm}>
      <p>{t('payments.explain')}</p>
      <div className="payment-amount-row">
        <div className="transfer-field">
          <label htmlFor={`${id}-amount`}>{t('payments.amountLabel')}</label>
          <input
            id={`${id}-amount`}
            inputMode="decimal"
            autoComplete="off"
            value={amount}
            placeholder={PAYMENT_CURRENCIES[currency] === 0 ? '1200' : '12,50'}
            aria-invalid={problem === 'amount'}
            onChange={(event) => {
              setProblem(null);
              setAmount(event.target.value);
            }}
          />
        </div>
        <div className="transfer-field">
          <label htmlFor={`${id}-currency`}>{t('payments.currencyLabel')}</label>
          <select id={`${id}-currency`} value={currency} onChange={(event) => setCurrency(event.target.value as PaymentCurrency)}>
            {CURRENCIES.map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="transfer-field">
        <label htmlFor={`${id}-description`}>{t('payments.descriptionLabel')}</label>
        <input
          id={`${id}-description`}
          maxLength={MAX_PAYMENT_DESCRIPTION}
          value={description}
          placeholder={t('payments.descriptionPlaceholder')}
          aria-invalid={problem === 'description'}
          onChange={(event) => {
            setProblem(null);
            setDescription(event.target.value);
          }}
        />
      </div>
      {problem === null ? null : (
        <p className="warning-notice" role="alert">
          {t(problem === 'amount' ? 'payments.amountInvalid' : 'payments.descriptionTooShort')}
        </p>
      )}
      <ErrorNotice problem={send.failure} />
    </Dialog>
  );
}
