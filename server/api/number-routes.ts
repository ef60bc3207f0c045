/** The handler of the client API's route that reveals a masked customer number (common/api/number-endpoints.ts). */
import type { NUMBER_ENDPOINTS } from '../../common/api/number-endpoints.js';
import type { NumberReveal } from '../masking/number-reveal.js';
import type { Handlers } from './api-route.js';

export function numberHandlers(reveal: NumberReveal): Handlers<typeof NUMBER_ENDPOINTS> {
  return {
    revealCustomerNumber: ({ params, body, principal, request }) => reveal.reveal(principal, params.id, body, request.ip),
  };
}
