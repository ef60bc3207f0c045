/** The handlers of the client API's hand-over routes (common/api/handover-endpoints.ts). */
import type { HANDOVER_ENDPOINTS } from '../../common/api/handover-endpoints.js';
import type { HandoverService } from '../handover/handover-service.js';
import type { Handlers } from './api-route.js';

export function handoverHandlers(handover: HandoverService): Handlers<typeof HANDOVER_ENDPOINTS> {
  return {
    transferConversation: ({ params, body, principal, request }) => handover.transfer(principal, params.id, body, request.ip),
    claimConversation: ({ params, principal, request }) => handover.claim(principal, params.id, request.ip),
    unassignConversation: ({ params, body, principal, request }) => handover.unassign(principal, params.id, body.fromAgentId, request.ip),
    bulkReassign: ({ body, principal, request }) => handover.bulkReassign(principal, body, request.ip),
    listTransferTargets: ({ params, principal }) => handover.targets(principal, params.id),
  };
}
