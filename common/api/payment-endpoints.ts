/** The client API's payment-link routes (common/payments/payment-links.ts): the provider an admin sets, and an agent's request for a payment in a conversation. */
import { z } from 'zod';
import {
  AdminPaymentProviderView,
  CreatePaymentRequestBody,
  PaymentProviderView,
  PaymentRequestList,
  PaymentRequestView,
  SetPaymentProviderRequest,
} from '../payments/payment-links.js';
import { jsonRoute } from './endpoint.js';
import { IdParams, MessageView } from './inbox.js';

/** What POST /v1/payment-requests answers: the request recorded, the message that carries its link, and whether this key had been used already. */
export const PaymentRequestCreated = z.object({ paymentRequest: PaymentRequestView, message: MessageView, duplicate: z.boolean() });
export type PaymentRequestCreated = z.infer<typeof PaymentRequestCreated>;

export const PAYMENT_ENDPOINTS = {
  getAdminPaymentProvider: jsonRoute({
    method: 'GET',
    url: '/v1/admin/payment-provider',
    summary:
      'The payment provider agents’ payment links come from (none, stripe, fixed_url), whether a Stripe key is stored (never the key), and who changed it last',
    tag: 'admin',
    access: 'admin',
    response: AdminPaymentProviderView,
  }),
  setPaymentProvider: jsonRoute({
    method: 'PUT',
    url: '/v1/admin/payment-provider',
    summary:
      'Set the payment provider: none, stripe with its secret key (sealed under the server key, never returned or logged), or fixed_url with an https page. Audited without the key',
    tag: 'admin',
    access: 'admin',
    body: SetPaymentProviderRequest,
    response: AdminPaymentProviderView,
  }),
  getPaymentProvider: jsonRoute({
    method: 'GET',
    url: '/v1/payment-provider',
    summary: 'Which payment provider is configured and whether an agent can request a payment (no secret)',
    tag: 'payments',
    access: 'session',
    response: PaymentProviderView,
  }),
  createPaymentRequest: jsonRoute({
    method: 'POST',
    url: '/v1/payment-requests',
    summary:
      'Request a payment in a conversation: a payment link (a Stripe Payment Link, or the fixed page) is sent to the customer as the agent’s message and recorded in the conversation’s history; the same idempotency key twice makes one link and one message. payment_provider_not_configured when no provider is set',
    tag: 'payments',
    access: 'inbox',
    perMinute: 60,
    body: CreatePaymentRequestBody,
    response: PaymentRequestCreated,
    successStatus: 201,
  }),
  listPaymentRequests: jsonRoute({
    method: 'GET',
    url: '/v1/conversations/:id/payment-requests',
    summary: 'The payments requested in a conversation, newest first, for those who may see it',
    tag: 'payments',
    access: 'inbox',
    params: IdParams,
    response: PaymentRequestList,
  }),
};
