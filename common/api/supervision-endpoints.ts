/** The client API's supervisor view: the queues and members of the teams the caller supervises. */
import { jsonRoute } from './endpoint.js';
import { SupervisorOverview } from './supervision.js';

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
};
