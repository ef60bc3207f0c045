/**
 * The card-number rule where agents write (common/cards/outbound-cards.ts): what they send,
 * note, save as a quick reply or as an away message is refused when it holds a card number and
 * the policy refuses them (`cards.refuseOutbound`, on by default); each refusal is counted and
 * audited by ids. Customers' card numbers are masked on arrival whatever the policy
 * (server/webhooks/redact-webhook-cards.ts), audited in the webhook's own transaction.
 */
import { CardNumberRefused, holdsCardNumber } from '../../common/cards/outbound-cards.js';
import type { CardPlace, CardRefusals, CardWriter } from '../../common/cards/outbound-cards.js';
import type { SafetyActions } from './safety-actions.js';
import type { SafetyPolicies } from './safety-policies.js';

export class CardGuard implements CardRefusals {
  readonly #policies: Pick<SafetyPolicies, 'policy'>;
  readonly #actions: SafetyActions;

  constructor(deps: { readonly policies: Pick<SafetyPolicies, 'policy'>; readonly actions: SafetyActions }) {
    this.#policies = deps.policies;
    this.#actions = deps.actions;
  }

  async refuse(place: CardPlace, texts: readonly (string | null | undefined)[], writer: CardWriter): Promise<void> {
    if (!holdsCardNumber(texts)) return;
    if (!(await this.#policies.policy()).cards.refuseOutbound) return;
    await this.#actions.record({ rule: 'cards', action: 'refused', agentId: writer.agentId, conversationId: writer.conversationId ?? null });
    throw new CardNumberRefused({ place });
  }
}
