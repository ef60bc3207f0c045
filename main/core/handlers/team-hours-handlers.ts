/**
 * A team's business hours and away message (the teams screen). Not admin-only here: the server
 * lets an admin or one of the team's supervisors read and change them, and refuses anyone else.
 */
import type { CoreContext, HandlerTable } from './core-context.js';

export type TeamHoursCall = 'getTeamHours' | 'setTeamHours';

export function teamHoursHandlers(core: CoreContext): HandlerTable<TeamHoursCall> {
  const api = () => core.api();
  return {
    getTeamHours: ({ teamId }) => core.inbox().call((token) => api().teamHours(token, teamId)),
    setTeamHours: ({ teamId, ...change }) => core.inbox().call((token) => api().setTeamHours(token, teamId, change)),
  };
}
