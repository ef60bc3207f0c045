/**
 * A Stripe Payment Link for one amount, through Stripe's own client (`stripe`): a Price made with
 * `product_data` (the agent's description as the product's name), then a Payment Link of one of
 * it. Each call carries an idempotency key derived from the agent's, so a retry after a lost
 * answer makes no second price or link. `apiUrl` points the client elsewhere than api.stripe.com
 * (the sandbox's stand-in, server/sandbox/stripe-stand-in.ts). Stripe's errors become ours,
 * without Stripe's message (which can quote part of the key).
 */
import Stripe from 'stripe';
import { CodedError } from '../../common/errors/coded-error.js';
import type { PaymentCurrency } from '../../common/payments/payment-links.js';

export interface StripeLinkRequest {
  readonly secretKey: string;
  readonly amount: number;
  readonly currency: PaymentCurrency;
  readonly description: string;
  /** The agent's idempotency key: Stripe's keys for the two calls are made from it. */
  readonly idempotencyKey: string;
  readonly conversationId: number;
}

export interface StripeLink {
  readonly id: string;
  readonly url: string;
}

export class PaymentProviderError extends CodedError<'payment_provider_rejected_key' | 'payment_provider_unavailable' | 'payment_provider_failed'> {
  constructor(problem: { code: PaymentProviderError['code']; stripeType?: string }) {
    const messages: Record<PaymentProviderError['code'], string> = {
      payment_provider_rejected_key: 'Stripe refused the secret key set for payment links: an administrator sets a valid one in the admin screens.',
      payment_provider_unavailable: 'Stripe could not be reached to make the payment link: try again in a moment.',
      payment_provider_failed: 'Stripe refused to make the payment link: try again, or tell an administrator if it keeps failing.',
    };
    super(problem.code, messages[problem.code], problem.stripeType === undefined ? undefined : { stripeType: problem.stripeType });
    this.name = 'PaymentProviderError';
  }
}

export class StripePaymentLinks {
  readonly #config: Stripe.StripeConfig;

  /** `apiUrl`: undefined for Stripe's own API. */
  constructor(apiUrl: string | undefined) {
    const base: Stripe.StripeConfig = { maxNetworkRetries: 2, timeout: 20_000, telemetry: false };
    if (apiUrl === undefined) {
      this.#config = base;
    } else {
      const url = new URL(apiUrl);
      this.#config = { ...base, host: url.hostname, port: url.port === '' ? undefined : url.port, protocol: url.protocol === 'http:' ? 'http' : 'https' };
    }
  }

  async create(request: StripeLinkRequest): Promise<StripeLink> {
    const stripe = new Stripe(request.secretKey, this.#config);
    try {
      const price = await stripe.prices.create(
        { currency: request.currency.toLowerCase(), unit_amount: request.amount, product_data: { name: request.description } },
        { idempotencyKey: `sportello-price-${request.idempotencyKey}` },
      );
      const link = await stripe.paymentLinks.create(
        {
          line_items: [{ price: price.id, quantity: 1 }],
          metadata: { sportello_conversation_id: String(request.conversationId), sportello_request_key: request.idempotencyKey },
        },
        { idempotencyKey: `sportello-link-${request.idempotencyKey}` },
      );
      return { id: link.id, url: link.url };
    } catch (error) {
      throw providerError(error);
    }
  }
}

function providerError(error: unknown): CodedError {
  if (error instanceof Stripe.errors.StripeAuthenticationError || error instanceof Stripe.errors.StripePermissionError) {
    return new PaymentProviderError({ code: 'payment_provider_rejected_key', stripeType: error.type });
  }
  if (error instanceof Stripe.errors.StripeIdempotencyError) {
    return new CodedError('idempotency_key_reused', 'This idempotency key was already used for a different payment request; use a new key for a new request.');
  }
  if (error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeRateLimitError) {
    return new PaymentProviderError({ code: 'payment_provider_unavailable', stripeType: error.type });
  }
  if (error instanceof Stripe.errors.StripeError) return new PaymentProviderError({ code: 'payment_provider_failed', stripeType: error.type });
  return new PaymentProviderError({ code: 'payment_provider_failed' });
}
