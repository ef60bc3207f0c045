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
    adminSetAgentRoles: ({ agentId, roles }) => admin((token) => api().admin.setAgentRoles(token, agentId, roles)),
    adminListTeams: () => admin((token) => api().admin.teams(token)),
    adminCreateTeam: (team) => admin((token) => api().admin.createTeam(token, team)),
    adminUpdateTeam: ({ teamId, ...change }) => admin((token) => api().admin.updateTeam(token, teamId, change)),
    adminRemoveTeam: ({ teamId, moveConversationsTo }) => admin((token) => api().admin.removeTeam(token, teamId, moveConversationsTo)),
    adminAddTeamMember: ({ teamId, agentId, capacity }) => admin((token) => api().admin.teamMember(token, teamId, { kind: 'add', agentId, capacity })),
    adminSetTeamCapacity: ({ teamId, agentId, capacity }) => admin((token) => api().admin.teamMember(token, teamId, { kind: 'capacity', agentId, capacity })),
    adminRemoveTeamMember: ({ teamId, agentId }) => admin((token) => api().admin.teamMember(token, teamId, { kind: 'remove', agentId })),
    adminAddTeamSupervisor: ({ teamId, agentId }) => admin((token) => api().admin.teamSupervisor(token, teamId, agentId, true)),
    adminRemoveTeamSupervisor: ({ teamId, agentId }) => admin((token) => api().admin.teamSupervisor(token, teamId, agentId, false)),
    adminSetNumberTeam: ({ phoneNumberId, teamId }) => admin((token) => api().admin.setNumberTeam(token, phoneNumberId, teamId)),
  };
}
