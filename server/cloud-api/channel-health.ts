/**
 * Whether one business number can send. After Meta refuses its access token (190) nothing is sent
 * from it until an administrator re-authorises: the state is kept in its `business_numbers` row and
 * reported by /healthz, /metrics and the admin screens. A new token (`numbers rotate-token`, or a
 * different WHATSAPP_ACCESS_TOKEN for the first number at the next start) clears it. The other
 * numbers keep sending.
 */
import type { GroupCommitter } from '../store/group-commit.js';
import type { NumberHealthState } from '../store/schema.js';

export type ChannelState = NumberHealthState;

export class ChannelHealth {
  readonly #committer: GroupCommitter;
  readonly #phoneNumberId: string;
  /** The sealed token this state is about: a refusal never marks a token rotated in meanwhile. */
  readonly #sealedToken: string | null;
  readonly #onChange: () => void;
  #state: ChannelState;
  #reason: string | null;

  constructor(
    committer: GroupCommitter,
    number: { phoneNumberId: string; sealedToken: string | null; state: ChannelState; reason: string | null },
    onChange: () => void,
  ) {
    this.#committer = committer;
    this.#phoneNumberId = number.phoneNumberId;
    this.#sealedToken = number.sealedToken;
    this.#state = number.state;
    this.#reason = number.reason;
    this.#onChange = onChange;
  }

  get state(): ChannelState {
    return this.#state;
  }

  get reason(): string | null {
    return this.#reason;
  }

  /** The store says otherwise (another process changed the row without changing the token). */
  observe(state: ChannelState, reason: string | null): void {
    if (state === this.#state && reason === this.#reason) return;
    this.#state = state;
    this.#reason = reason;
    this.#onChange();
  }

  async needsReauthorization(errorCode: string, reason: string): Promise<void> {
    if (this.#state === 'needs_reauthorization') return;
    this.observe('needs_reauthorization', reason);
    const sealed = this.#sealedToken;
    if (sealed === null) return;
    const now = Date.now();
    await this.#committer.submit((trx) =>
      trx
        .updateTable('business_numbers')
        .set({ health_state: 'needs_reauthorization', health_error_code: errorCode, health_reason: reason, health_changed_at: now, updated_at: now })
        .where('phone_number_id', '=', this.#phoneNumberId)
        .where('access_token_sealed', '=', sealed)
        .execute(),
    );
  }
}
