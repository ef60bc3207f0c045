/** The handlers of the client API's security-briefing routes (common/api/briefing-endpoints.ts). The briefing holds rules, never a conversation. */
import type { BRIEFING_ENDPOINTS } from '../../common/api/briefing-endpoints.js';
import { agentActor } from '../audit/actor.js';
import type { Briefings } from '../briefing/briefings.js';
import type { Handlers } from './api-route.js';

export function briefingHandlers(briefings: Briefings): Handlers<typeof BRIEFING_ENDPOINTS> {
  return {
    getBriefing: ({ principal }) => briefings.forAgent(principal),
    acknowledgeBriefing: ({ body, principal, request }) => briefings.acknowledge(principal, body, request.ip),
    getAdminBriefing: () => briefings.current(),
    publishBriefing: ({ body, principal, request }) => briefings.publish(body, agentActor(principal, request.ip)),
    listBriefingAcknowledgements: () => briefings.acknowledgements(),
  };
}
