/** The handlers of the client API's personal-data routes (common/api/personal-data-endpoints.ts). */
import type { PERSONAL_DATA_ENDPOINTS } from '../../common/api/personal-data-endpoints.js';
import { agentActor } from '../audit/actor.js';
import type { PersonalDataService } from '../personal-data/personal-data-service.js';
import type { Handlers } from './api-route.js';

export function personalDataHandlers(service: PersonalDataService): Handlers<typeof PERSONAL_DATA_ENDPOINTS> {
  return {
    conversationPersonalData: ({ params, principal }) => service.forConversation(principal, params.id),
    recordConsent: ({ params, body, principal }) => service.recordConsent(principal, params.id, body),
    exportContactPersonalData: ({ params, principal, request }) => service.exportContact(agentActor(principal, request.ip), params.id),
  };
}
