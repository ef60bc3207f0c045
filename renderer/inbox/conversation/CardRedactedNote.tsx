/**
 * Says that the server hid a card number the customer wrote (only its first six and last four
 * digits were kept; the rest was never stored), and offers the answer that tells the customer
 * never to send card details in a chat and that a payment link will come instead, and the payment
 * link itself (when an admin set a provider).
 */
import { useTranslation } from 'react-i18next';
import { RequestPaymentButton } from '../payments/payment-request-context.js';

export function CardRedactedNote({ onAnswer }: { onAnswer?: ((text: string) => void) | undefined }) {
  const { t } = useTranslation();
  return (
    <div className="card-redacted-note" role="note">
      <p>{t('cards.redacted')}</p>
      {onAnswer === undefined ? null : (
        <button type="button" className="button-link" onClick={() => onAnswer(t('cards.readyReply'))}>
          {t('cards.answer')}
        </button>
      )}
      {onAnswer === undefined ? null : <RequestPaymentButton label={t('payments.request')} className="button-link" />}
    </div>
  );
}
