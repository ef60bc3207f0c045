/**
 * Payment links: which provider is set, an agent's request for a payment in a conversation and the
 * conversation's requests (online only: the server makes the link, sends it and decides who may),
 * and an admin's read and change of the provider (the Stripe key passes through once, never kept here).
 */
import { CLIENT_API } from '../../../common/api/client-api.js';
import { callJson } from '../../connection/endpoint-request.js';
import { asAdmin } from './admin-handlers.js';
import type { CoreContext, HandlerTable } from './core-context.js';

export type PaymentCall = 'getPaymentProvider' | 'requestPayment' | 'listPaymentRequests' | 'adminGetPaymentProvider' | 'adminSetPaymentProvider';

export function paymentHandlers(core: CoreContext): HandlerTable<PaymentCall> {
  const admin = asAdmin(core);
  const target = () => core.api().target;
  return {
    getPaymentProvider: () => core.inbox().call((token) => callJson(target(), CLIENT_API.getPaymentProvider, { token })),
    requestPayment: (request) => core.inbox().call((token) => callJson(target(), CLIENT_API.createPaymentRequest, { token, body: request })),
    listPaymentRequests: ({ conversationId }) =>
      core.inbox().call((token) => callJson(target(), CLIENT_API.listPaymentRequests, { token, params: { id: conversationId } })),
    adminGetPaymentProvider: () => admin((token) => callJson(target(), CLIENT_API.getAdminPaymentProvider, { token })),
    adminSetPaymentProvider: (change) => admin((token) => callJson(target(), CLIENT_API.setPaymentProvider, { token, body: change })),
  };
}
