/**
 * Payment links (issue 13, "Card numbers never in the chat; payment links instead"): the payment
 * provider an admin configures, and an agent's request for a payment in a conversation. A card
 * number is never typed into a chat: the customer pays on the provider's page the link opens.
 * Plain zod, shared by the server, main and the renderer.
 */
import { z } from 'zod';
import { parseWebUrl } from '../links/web-url.js';
import { IdempotencyKey } from '../messages/send-request.js';

export const PAYMENT_PROVIDER_KINDS = ['none', 'stripe', 'fixed_url'] as const;
export const PaymentProviderKind = z.enum(PAYMENT_PROVIDER_KINDS, { error: 'kind must be none, stripe or fixed_url' });
export type PaymentProviderKind = z.infer<typeof PaymentProviderKind>;

/** A Stripe secret key (`sk_live_…`, `sk_test_…`) or a restricted one (`rk_…`): what Stripe's API takes as the bearer. */
export const StripeSecretKey = z
  .string()
  .trim()
  .regex(/^(sk|rk)_(live|test)_[A-Za-z0-9_]{8,240}$/, 'a Stripe secret key starts with sk_live_, sk_test_, rk_live_ or rk_test_');

/** The page a fixed-URL provider sends customers to (a PayPal.me page, a provider's checkout): https with a host, no user name. */
export const FixedPaymentUrl = z
  .string()
  .trim()
  .max(500, 'the payment page address must be at most 500 characters')
  .refine((value) => {
    const url = parseWebUrl(value);
    return url !== undefined && url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '';
  }, 'the payment page must be an https:// address with a host (e.g. https://paypal.me/yourcompany)');

/** PUT /v1/admin/payment-provider: the whole setting. A Stripe key is sealed at rest and never returned. */
export const SetPaymentProviderRequest = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('none') }).strict(),
    z.object({ kind: z.literal('stripe'), secretKey: StripeSecretKey }).strict(),
    z.object({ kind: z.literal('fixed_url'), url: FixedPaymentUrl }).strict(),
  ],
  { error: 'kind must be none, stripe (with secretKey) or fixed_url (with url)' },
);
export type SetPaymentProviderRequest = z.infer<typeof SetPaymentProviderRequest>;

/** The admin's view: which provider, the fixed page, whether a Stripe key is stored (never the key), who changed it. */
export const AdminPaymentProviderView = z.object({
  kind: PaymentProviderKind,
  stripeKeyStored: z.boolean(),
  /** `test` or `live`: which Stripe mode the stored key is for (never the key). */
  stripeMode: z.enum(['test', 'live']).nullable(),
  fixedUrl: z.string().nullable(),
  changedAt: z.number().int().nullable(),
  changedBy: z.string().nullable(),
});
export type AdminPaymentProviderView = z.infer<typeof AdminPaymentProviderView>;

/** An agent's view (GET /v1/payment-provider): which provider, and whether a payment can be requested. */
export const PaymentProviderView = z.object({ kind: PaymentProviderKind, available: z.boolean() });
export type PaymentProviderView = z.infer<typeof PaymentProviderView>;

/**
 * The currencies a payment may be requested in (ISO 4217) and their minor-unit digits, as Stripe
 * counts them: an amount is in minor units (cents; yen have none).
 */
export const PAYMENT_CURRENCIES = {
  EUR: 2,
  USD: 2,
  GBP: 2,
  CHF: 2,
  SEK: 2,
  NOK: 2,
  DKK: 2,
  PLN: 2,
  CZK: 2,
  HUF: 2,
  RON: 2,
  CAD: 2,
  AUD: 2,
  JPY: 0,
} as const satisfies Record<string, number>;
export type PaymentCurrency = keyof typeof PAYMENT_CURRENCIES;
const CURRENCY_CODES = Object.keys(PAYMENT_CURRENCIES) as [PaymentCurrency, ...PaymentCurrency[]];
export const PaymentCurrency = z.enum(CURRENCY_CODES, { error: `currency must be one of ${CURRENCY_CODES.join(', ')}` });

/** Stripe's own bound for one price (99,999,999 minor units), which we keep for every provider. */
export const MAX_PAYMENT_AMOUNT = 99_999_999;
export const MAX_PAYMENT_DESCRIPTION = 200;

/** POST /v1/payment-requests. `language`: the words around the link, as the agent writes to this customer. */
export const CreatePaymentRequestBody = z
  .object({
    conversationId: z.number().int().positive(),
    amount: z
      .number()
      .int('amount is in minor units (cents), a whole number')
      .positive('amount must be more than zero')
      .max(MAX_PAYMENT_AMOUNT, `amount must be at most ${MAX_PAYMENT_AMOUNT} minor units`),
    currency: PaymentCurrency,
    description: z
      .string()
      .trim()
      .min(2, 'description must say what the payment is for')
      .max(MAX_PAYMENT_DESCRIPTION, `description must be at most ${MAX_PAYMENT_DESCRIPTION} characters`),
    language: z.enum(['en', 'it']).default('en'),
    idempotencyKey: IdempotencyKey,
  })
  .strict();
export type CreatePaymentRequestBody = z.input<typeof CreatePaymentRequestBody>;

const Id = z.number().int().positive();

/** A payment an agent asked for in a conversation: what, how much, who, when, through which provider, the link sent. */
export const PaymentRequestView = z.object({
  id: Id,
  conversationId: Id,
  amount: z.number().int().positive(),
  currency: PaymentCurrency,
  description: z.string(),
  provider: z.enum(['stripe', 'fixed_url']),
  url: z.string(),
  requestedBy: z.object({ agentId: Id, name: z.string() }),
  at: z.number().int(),
  /** The agent's message that carried the link. */
  messageId: Id,
});
export type PaymentRequestView = z.infer<typeof PaymentRequestView>;

export const PaymentRequestList = z.object({ items: z.array(PaymentRequestView) });
export type PaymentRequestList = z.infer<typeof PaymentRequestList>;

/** The amount as people read it: `EUR 12.50`, `JPY 1200` (no locale: the same in every language). */
export function formatPaymentAmount(amount: number, currency: PaymentCurrency): string {
  const digits = PAYMENT_CURRENCIES[currency];
  if (digits === 0) return `${currency} ${amount}`;
  const whole = Math.floor(amount / 10 ** digits);
  const minor = String(amount % 10 ** digits).padStart(digits, '0');
  return `${currency} ${whole}.${minor}`;
}

/** The message the customer receives: what it is for, the amount, and the link (a card is entered on the provider's page, never in the chat). */
export function paymentMessageText(request: { description: string; amount: number; currency: PaymentCurrency; language: 'en' | 'it' }, url: string): string {
  const amount = formatPaymentAmount(request.amount, request.currency);
  return request.language === 'it'
    ? `Richiesta di pagamento: ${request.description}\nImporto: ${amount}\nPaghi in modo sicuro qui: ${url}\nNon ci scriva mai i dati della carta in chat.`
    : `Payment request: ${request.description}\nAmount: ${amount}\nPay securely here: ${url}\nNever send us card details in the chat.`;
}
