/**
 * The payment provider an admin set (common/payments/payment-links.ts): none, Stripe with its
 * secret key, or a fixed page. The key is sealed under the server key (AES-256-GCM, bound to its
 * use) and opened only to call Stripe: no view, log line or audit row ever holds it. A change is
 * committed with its audit row, which names the kinds before and after, never the key or the page.
 */
import type { Kysely } from 'kysely';
import { CodedError } from '../../common/errors/coded-error.js';
import type { AdminPaymentProviderView, PaymentProviderView, SetPaymentProviderRequest } from '../../common/payments/payment-links.js';
import type { Actor } from '../audit/actor.js';
import { commitAudited } from '../audit/audited-commit.js';
import type { ServerKey } from '../secrets/server-key.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';

const ROW_ID = 1;
const STRIPE_KEY_CONTEXT = 'payment-provider:stripe-secret-key';

/** What a payment request is made with: the provider and what it needs (the opened key stays in the server's memory for the call). */
export type ConfiguredProvider =
  { readonly kind: 'none' } | { readonly kind: 'stripe'; readonly secretKey: string } | { readonly kind: 'fixed_url'; readonly url: string };

export class PaymentProviderNotConfigured extends CodedError<'payment_provider_not_configured'> {
  constructor() {
    super('payment_provider_not_configured', 'No payment provider is set up: an administrator sets one (Stripe or a payment page) in the admin screens.');
    this.name = 'PaymentProviderNotConfigured';
  }
}

export interface PaymentProviderSettingsDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly key: ServerKey;
  readonly now: () => number;
}

function stripeMode(secretKey: string): 'test' | 'live' {
  return /^(sk|rk)_test_/.test(secretKey) ? 'test' : 'live';
}

export class PaymentProviderSettings {
  readonly #deps: PaymentProviderSettingsDeps;

  constructor(deps: PaymentProviderSettingsDeps) {
    this.#deps = deps;
  }

  /** The admin's view: never the key. */
  async current(): Promise<AdminPaymentProviderView> {
    const row = await this.#row();
    if (row === undefined) return { kind: 'none', stripeKeyStored: false, stripeMode: null, fixedUrl: null, changedAt: null, changedBy: null };
    const key = row.stripe_key_sealed === null ? null : this.#open(row.stripe_key_sealed);
    return {
      kind: row.kind,
      stripeKeyStored: key !== null,
      stripeMode: key === null ? null : stripeMode(key),
      fixedUrl: row.fixed_url,
      changedAt: Number(row.changed_at),
      changedBy: row.changed_by,
    };
  }

  /** An agent's view: which provider, and whether a payment can be requested. */
  async forAgents(): Promise<PaymentProviderView> {
    const provider = await this.configured();
    return { kind: provider.kind, available: provider.kind !== 'none' };
  }

  /** The provider with what it needs to make a link. */
  async configured(): Promise<ConfiguredProvider> {
    const row = await this.#row();
    if (row === undefined) return { kind: 'none' };
    if (row.kind === 'stripe' && row.stripe_key_sealed !== null) return { kind: 'stripe', secretKey: this.#open(row.stripe_key_sealed) };
    if (row.kind === 'fixed_url' && row.fixed_url !== null) return { kind: 'fixed_url', url: row.fixed_url };
    return { kind: 'none' };
  }

  /** Replaces the setting (already checked by its schema), with its audit row. */
  async set(request: SetPaymentProviderRequest, actor: Actor): Promise<AdminPaymentProviderView> {
    const sealed = request.kind === 'stripe' ? this.#deps.key.seal(Buffer.from(request.secretKey, 'utf8'), STRIPE_KEY_CONTEXT) : null;
    await commitAudited(this.#deps.committer, actor, 'payments.provider_changed', this.#deps.now(), async (trx, now) => {
      const before = await trx.selectFrom('payment_provider').select('kind').where('id', '=', ROW_ID).executeTakeFirst();
      const values = {
        kind: request.kind,
        stripe_key_sealed: sealed,
        fixed_url: request.kind === 'fixed_url' ? request.url : null,
        changed_by: actor.name,
        changed_at: now,
      };
      await trx
        .insertInto('payment_provider')
        .values({ id: ROW_ID, ...values })
        .onConflict((conflict) => conflict.column('id').doUpdateSet(values))
        .execute();
      return { result: undefined, details: { fromKind: before?.kind ?? 'none', kind: request.kind, stripeKeyReplaced: sealed !== null } };
    });
    return this.current();
  }

  #row() {
    return this.#deps.db.selectFrom('payment_provider').selectAll().where('id', '=', ROW_ID).executeTakeFirst();
  }

  #open(sealed: string): string {
    return this.#deps.key.open(sealed, STRIPE_KEY_CONTEXT).toString('utf8');
  }
}
