/** The client API's route that reveals a masked customer number (common/api/customer-numbers.ts). */
import { RevealNumberBody, RevealedNumber } from './customer-numbers.js';
import { jsonRoute } from './endpoint.js';
import { IdParams } from './inbox.js';

export const NUMBER_ENDPOINTS = {
  revealCustomerNumber: jsonRoute({
    method: 'POST',
    url: '/v1/conversations/:id/number/reveal',
    summary:
      'The conversation’s customer number, unmasked, for the caller alone, with a reason (3–200 characters, no number in it): by anyone who may see the conversation; audited with the reason, never the number; refused with customer_number_unknown when the customer has none (known by username only, or a group)',
    tag: 'inbox',
    access: 'inbox',
    params: IdParams,
    body: RevealNumberBody,
    response: RevealedNumber,
    perMinute: 30,
  }),
};
