/**
 * The supervisor view's calls: read from the server each time (counts that change by the second,
 * and the conversations a member holds, for a bulk reassignment; neither is kept in the cache).
 */
import { CodedError } from '../../../common/errors/coded-error.js';
import type { CoreContext, HandlerTable } from './core-context.js';

export type SupervisionCall = 'getSupervisorOverview' | 'listMemberConversations';

export function supervisionHandlers(core: CoreContext): HandlerTable<SupervisionCall> {
  const supervisor = () => {
    if (core.session()?.agent.roles.includes('supervisor') !== true) throw new CodedError('forbidden_role', 'Only supervisors may do this.');
    return core.inbox();
  };
  return {
    getSupervisorOverview: async () => supervisor().call((token) => core.api().supervisorOverview(token)),
    listMemberConversations: async ({ teamId, agentId }) => supervisor().call((token) => core.api().memberConversations(token, teamId, agentId)),
  };
}
