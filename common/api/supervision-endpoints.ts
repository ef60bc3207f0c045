/** The client API's supervisor view: the queues and members of the teams the caller supervises, and what a member of them holds. */
import { jsonRoute } from './endpoint.js';
import { MemberConversations, SupervisorOverview } from './supervision.js';
import { TeamAgentParams } from './teams.js';

export const SUPERVISION_ENDPOINTS = {
  getSupervisorOverview: jsonRoute({
    method: 'GET',
    url: '/v1/supervision/teams',
    summary:
      'For each team the caller supervises (and no other): its queue’s length and oldest waiting time, each member’s open conversations against capacity and whether they are online',
    tag: 'supervision',
    access: 'supervisor',
    response: SupervisorOverview,
  }),
  listMemberConversations: jsonRoute({
    method: 'GET',
    url: '/v1/supervision/teams/:id/members/:agentId/conversations',
    summary:
      'The conversations of a team the caller supervises that the agent holds (open and pending), most recent first, at most 100, with how many in all: what a bulk reassignment picks from; a team the caller does not supervise is not found',
    tag: 'supervision',
    access: 'supervisor',
    params: TeamAgentParams,
    response: MemberConversations,
  }),
};
