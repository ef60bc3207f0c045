/** The handlers of the client API's payment-link routes (common/api/payment-endpoints.ts). */
import type { PAYMENT_ENDPOINTS } from '../../common/api/payment-endpoints.js';
import { agentActor } from '../audit/actor.js';
import type { PaymentProviderSettings } from '../payments/payment-provider-settings.js';
import type { PaymentRequests } from '../payments/payment-requests.js';
import type { Handlers } from './api-route.js';

export function paymentHandlers(settings: PaymentProviderSettings, requests: PaymentRequests): Handlers<typeof PAYMENT_ENDPOINTS> {
  return {
    getAdminPaymentProvider: () => settings.current(),
    setPaymentProvider: ({ body, principal, request }) => settings.set(body, agentActor(principal, request.ip)),
    getPaymentProvider: () => settings.forAgents(),
    createPaymentRequest: ({ body, principal, request }) => requests.request({ ...principal, actor: agentActor(principal, request.ip) }, body),
    listPaymentRequests: ({ params, principal }) => requests.list(principal, params.id),
  };
}
