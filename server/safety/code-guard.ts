/**
 * The code rule where agents send (common/codes/outbound-code-hold.ts): a message whose text,
 * caption or template parameters look like they carry a one-time code, a PIN or a recovery code is
 * held (`422 code_needs_confirmation`, naming the reasons) when the policy holds them
 * (`codes.holdOutboundCodes`, on by default), unless the agent confirmed it. Each hold is counted
 * and audited as `safety.codes.held`; a confirmed send as `safety.codes.confirmed`, in the send's
 * own transaction, naming the message it stored. By ids only, never the text.
 */
import { CodeNeedsConfirmation, outboundCodeReasons } from '../../common/codes/outbound-code-hold.js';
import type { StoreTransaction } from '../store/group-commit.js';
import { appendSafetyAudit } from './safety-actions.js';
import type { SafetyActions } from './safety-actions.js';
import type { SafetyPolicies } from './safety-policies.js';

export interface CodeSender {
  readonly agentId: number | null;
  readonly conversationId: number;
}

export class CodeGuard {
  readonly #policies: Pick<SafetyPolicies, 'policy'>;
  readonly #actions: SafetyActions;

  constructor(deps: { readonly policies: Pick<SafetyPolicies, 'policy'>; readonly actions: SafetyActions }) {
    this.#policies = deps.policies;
    this.#actions = deps.actions;
  }

  /**
   * Holds (code_needs_confirmation, recorded as held) texts that look like they carry a code when
   * the policy holds them and the agent did not confirm. Answers true when they go as a confirmed
   * code (the caller appends `confirmedIn` to the transaction that stores them); a confirmation
   * on texts without a code, or with the rule off, changes nothing.
   */
  async check(texts: readonly (string | null | undefined)[], confirmed: boolean, sender: CodeSender): Promise<boolean> {
    const reasons = outboundCodeReasons(texts);
    if (reasons.length === 0) return false;
    if (!(await this.#policies.policy()).codes.holdOutboundCodes) return false;
    if (confirmed) return true;
    await this.#actions.record({ rule: 'codes', action: 'held', agentId: sender.agentId, conversationId: sender.conversationId });
    throw new CodeNeedsConfirmation(reasons);
  }

  /** The confirmed send's audit row, in the transaction that stores the message. */
  confirmedIn(trx: StoreTransaction, sent: CodeSender & { readonly messageId: number }, now: number): Promise<void> {
    return appendSafetyAudit(trx, { rule: 'codes', action: 'confirmed', ...sent }, now);
  }

  /** Counts a confirmed send once its transaction committed. */
  confirmedCommitted(): void {
    this.#actions.counted({ rule: 'codes', action: 'confirmed' });
  }
}
