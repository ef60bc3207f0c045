/** The admin screens' calls for teams, their members and supervisors, agents' roles and numbers' teams. Only an administrator's session may make them. */
import type { CoreContext, HandlerTable } from './core-context.js';
import { asAdmin } from './admin-handlers.js';

export type TeamAdminCall =
  | 'adminSetAgentRoles'
  | 'adminListTeams'
  | 'adminCreateTeam'
  | 'adminUpdateTeam'
  | 'adminRemoveTeam'
  | 'adminAddTeamMember'
  | 'adminSetTeamCapacity'
  | 'adminRemoveTeamMember'
  | 'adminAddTeamSupervisor'
  | 'adminRemoveTeamSupervisor'
  | 'adminSetNumberTeam';

export function teamAdminHandlers(core: CoreContext): HandlerTable<TeamAdminCall> {
  const admin = asAdmin(core);
  const api = () => core.api();
  return {
    adminSetAgentRoles: ({ agentId, roles }) => admin((token) => api().adminSetAgentRoles(token, agentId, roles)),
    adminListTeams: () => admin((token) => api().adminTeams(token)),
    adminCreateTeam: (team) => admin((token) => api().adminCreateTeam(token, team)),
    adminUpdateTeam: ({ teamId, ...change }) => admin((token) => api().adminUpdateTeam(token, teamId, change)),
    adminRemoveTeam: ({ teamId, moveConversationsTo }) => admin((token) => api().adminRemoveTeam(token, teamId, moveConversationsTo)),
    adminAddTeamMember: ({ teamId, agentId, capacity }) => admin((token) => api().adminTeamMember(token, teamId, { kind: 'add', agentId, capacity })),
    adminSetTeamCapacity: ({ teamId, agentId, capacity }) => admin((token) => api().adminTeamMember(token, teamId, { kind: 'capacity', agentId, capacity })),
    adminRemoveTeamMember: ({ teamId, agentId }) => admin((token) => api().adminTeamMember(token, teamId, { kind: 'remove', agentId })),
    adminAddTeamSupervisor: ({ teamId, agentId }) => admin((token) => api().adminTeamSupervisor(token, teamId, agentId, true)),
    adminRemoveTeamSupervisor: ({ teamId, agentId }) => admin((token) => api().adminTeamSupervisor(token, teamId, agentId, false)),
    adminSetNumberTeam: ({ phoneNumberId, teamId }) => admin((token) => api().adminSetNumberTeam(token, phoneNumberId, teamId)),
  };
}
