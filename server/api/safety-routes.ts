/** The handlers of the client API's safety-policy routes (common/api/safety-endpoints.ts). The policy holds hosts and settings, never a conversation. */
import type { SAFETY_ENDPOINTS } from '../../common/api/safety-endpoints.js';
import { agentActor } from '../audit/actor.js';
import type { SafetyPolicies } from '../safety/safety-policies.js';
import type { Handlers } from './api-route.js';

export function safetyHandlers(policies: SafetyPolicies): Handlers<typeof SAFETY_ENDPOINTS> {
  return {
    getSafetyPolicy: () => policies.forAgents(),
    getAdminSafetyPolicy: () => policies.current(),
    setSafetyPolicy: ({ body, principal, request }) => policies.change(body, agentActor(principal, request.ip)),
  };
}
