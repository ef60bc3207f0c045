/** The handlers of the client API's routing-rule routes (common/api/routing-endpoints.ts). */
import type { ROUTING_ENDPOINTS } from '../../common/api/routing-endpoints.js';
import { agentActor } from '../audit/actor.js';
import type { RoutingAdmin } from '../routing/routing-admin.js';
import type { Handlers } from './api-route.js';

export function routingHandlers(routing: RoutingAdmin): Handlers<typeof ROUTING_ENDPOINTS> {
  return {
    listRoutingRules: () => routing.list(),
    createRoutingRule: ({ body, principal, request }) => routing.create(body, agentActor(principal, request.ip)),
    updateRoutingRule: ({ params, body, principal, request }) => routing.update(params.id, body, agentActor(principal, request.ip)),
    moveRoutingRule: ({ params, body, principal, request }) => routing.move(params.id, body.position, agentActor(principal, request.ip)),
    removeRoutingRule: ({ params, principal, request }) => routing.remove(params.id, agentActor(principal, request.ip)),
  };
}
