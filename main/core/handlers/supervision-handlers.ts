/** The supervisor view's call: read from the server each time (it is counts that change by the second, never kept in the cache). */
import { CodedError } from '../../../common/errors/coded-error.js';
import type { CoreContext, HandlerTable } from './core-context.js';

export type SupervisionCall = 'getSupervisorOverview';

export function supervisionHandlers(core: CoreContext): HandlerTable<SupervisionCall> {
  return {
    getSupervisorOverview: () => {
      if (core.session()?.agent.roles.includes('supervisor') !== true) return Promise.reject(new CodedError('forbidden_role', 'Only supervisors may do this.'));
      return core.inbox().call((token) => core.api().supervisorOverview(token));
    },
  };
}
