/** The client API's routing-rule routes (admin): which team a new conversation goes to. */
import { jsonRoute } from './endpoint.js';
import {
  CreateRoutingRuleRequest,
  MoveRoutingRuleRequest,
  RoutingRuleList,
  RoutingRuleParams,
  RoutingRuleRemoved,
  RoutingRuleView,
  UpdateRoutingRuleRequest,
} from './routing.js';

export const ROUTING_ENDPOINTS = {
  listRoutingRules: jsonRoute({
    method: 'GET',
    url: '/v1/admin/routing-rules',
    summary: 'The routing rules in the order they are tried, each with its condition and team (null name: the team was deleted and the rule is skipped)',
    tag: 'admin',
    access: 'admin',
    response: RoutingRuleList,
  }),
  createRoutingRule: jsonRoute({
    method: 'POST',
    url: '/v1/admin/routing-rules',
    summary: 'Add a routing rule (last unless a position is given): refused for an unknown team or a bad keyword, language or number',
    tag: 'admin',
    access: 'admin',
    body: CreateRoutingRuleRequest,
    response: RoutingRuleView,
    successStatus: 201,
  }),
  updateRoutingRule: jsonRoute({
    method: 'POST',
    url: '/v1/admin/routing-rules/:id',
    summary: 'Change a rule’s condition, team or whether it is enabled; its place in the order stays',
    tag: 'admin',
    access: 'admin',
    params: RoutingRuleParams,
    body: UpdateRoutingRuleRequest,
    response: RoutingRuleView,
  }),
  moveRoutingRule: jsonRoute({
    method: 'POST',
    url: '/v1/admin/routing-rules/:id/position',
    summary: 'Move a rule to a position (1 first); the others keep their order',
    tag: 'admin',
    access: 'admin',
    params: RoutingRuleParams,
    body: MoveRoutingRuleRequest,
    response: RoutingRuleList,
  }),
  removeRoutingRule: jsonRoute({
    method: 'DELETE',
    url: '/v1/admin/routing-rules/:id',
    summary: 'Delete a routing rule; the ones after it move up',
    tag: 'admin',
    access: 'admin',
    params: RoutingRuleParams,
    response: RoutingRuleRemoved,
  }),
};
