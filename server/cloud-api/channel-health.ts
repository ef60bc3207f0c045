/**
 * Whether the WhatsApp channel can send. After Meta refuses the access token (190) nothing will
 * send until an administrator re-authorises: the state is kept in the store and reported by
 * /healthz and /metrics. A different token (a re-authorisation) clears it at the next start.
 */
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { ChannelStateTable, InboxDatabase } from '../store/schema.js';

export type ChannelState = ChannelStateTable['state'];

export class ChannelHealth {
  readonly #committer: GroupCommitter;
  readonly #metrics: ServerMetrics;
  readonly #phoneNumberId: string;
  readonly #tokenFingerprint: string;
  #state: ChannelState = 'ok';
  #reason: string | null = null;

  private constructor(committer: GroupCommitter, metrics: ServerMetrics, phoneNumberId: string, accessToken: string) {
    this.#committer = committer;
    this.#metrics = metrics;
    this.#phoneNumberId = phoneNumberId;
    this.#tokenFingerprint = crypto.createHash('sha256').update(accessToken).digest('hex').slice(0, 16);
  }

  static async load(
    db: Kysely<InboxDatabase>,
    committer: GroupCommitter,
    metrics: ServerMetrics,
    phoneNumberId: string,
    accessToken: string,
  ): Promise<ChannelHealth> {
    const health = new ChannelHealth(committer, metrics, phoneNumberId, accessToken);
    const row = await db.selectFrom('channel_state').selectAll().where('phone_number_id', '=', phoneNumberId).executeTakeFirst();
    if (row !== undefined && row.token_fingerprint === health.#tokenFingerprint && row.state !== 'ok') {
      health.#state = row.state;
      health.#reason = row.reason;
    }
    metrics.channelNeedsReauthorization.set(health.#state === 'needs_reauthorization' ? 1 : 0);
    return health;
  }

  get state(): ChannelState {
    return this.#state;
  }

  get reason(): string | null {
    return this.#reason;
  }

  async needsReauthorization(errorCode: string, reason: string): Promise<void> {
    if (this.#state === 'needs_reauthorization') return;
    this.#state = 'needs_reauthorization';
    this.#reason = reason;
    this.#metrics.channelNeedsReauthorization.set(1);
    const row = {
      phone_number_id: this.#phoneNumberId,
      state: this.#state,
      error_code: errorCode,
      reason,
      token_fingerprint: this.#tokenFingerprint,
      updated_at: Date.now(),
    };
    await this.#committer.submit((trx) =>
      trx
        .insertInto('channel_state')
        .values(row)
        .onConflict((oc) => oc.column('phone_number_id').doUpdateSet(row))
        .execute(),
    );
  }
}
