/**
 * Said as the agent types a card number into a message or a note, when the policy refuses them:
 * it would not be sent (the server refuses it too), and a payment link is the way to ask for a
 * payment, which it offers (when an admin set a provider). `blocked` tells the composer to hold its Send button.
 */
import { useTranslation } from 'react-i18next';
import { holdsCardNumber } from '../../../common/cards/outbound-cards.js';
import { RequestPaymentButton } from '../payments/payment-request-context.js';
import { useSafetyPolicy } from './safety-policy-context.js';

export function useCardNumberBlock(text: string): boolean {
  const policy = useSafetyPolicy();
  return policy.cards.refuseOutbound && holdsCardNumber([text]);
}

export function CardNumberWarning({ blocked }: { blocked: boolean }) {
  const { t } = useTranslation();
  if (!blocked) return null;
  return (
    <div className="card-number-warning">
      <p role="alert">{t('cards.outboundWarning')}</p>
      <RequestPaymentButton label={t('payments.requestInstead')} className="button-link" />
    </div>
  );
}
