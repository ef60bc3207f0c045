/** The admin screens' calls for routing rules (which team a new conversation goes to). Only an administrator's session may make them. */
import type { CoreContext, HandlerTable } from './core-context.js';
import { asAdmin } from './admin-handlers.js';

export type RoutingAdminCall =
  'adminListRoutingRules' | 'adminCreateRoutingRule' | 'adminUpdateRoutingRule' | 'adminMoveRoutingRule' | 'adminRemoveRoutingRule';

export function routingAdminHandlers(core: CoreContext): HandlerTable<RoutingAdminCall> {
  const admin = asAdmin(core);
  const api = () => core.api();
  return {
    adminListRoutingRules: () => admin((token) => api().admin.routingRules(token)),
    adminCreateRoutingRule: (rule) => admin((token) => api().admin.createRoutingRule(token, rule)),
    adminUpdateRoutingRule: ({ ruleId, ...change }) => admin((token) => api().admin.updateRoutingRule(token, ruleId, change)),
    adminMoveRoutingRule: ({ ruleId, position }) => admin((token) => api().admin.moveRoutingRule(token, ruleId, position)),
    adminRemoveRoutingRule: ({ ruleId }) => admin((token) => api().admin.removeRoutingRule(token, ruleId)),
  };
}
