/**
 * Said as the agent types a card number into a message or a note, when the policy refuses them:
 * it would not be sent (the server refuses it too), and a payment link is the way to ask for a
 * payment. `blocked` tells the composer to hold its Send button.
 */
import { useTranslation } from 'react-i18next';
import { holdsCardNumber } from '../../../common/cards/outbound-cards.js';
import { useSafetyPolicy } from './safety-policy-context.js';

export function useCardNumberBlock(text: string): boolean {
  const policy = useSafetyPolicy();
  return policy.cards.refuseOutbound && holdsCardNumber([text]);
}

export function CardNumberWarning({ blocked }: { blocked: boolean }) {
  const { t } = useTranslation();
  if (!blocked) return null;
  return (
    <p className="card-number-warning" role="alert">
      {t('cards.outboundWarning')}
    </p>
  );
}
