/** The client API's business-hours routes: a team's weekly hours, time zone, holidays and away message, for admins and the team's supervisors. */
import { SetTeamHoursRequest, TeamHoursView } from '../hours/business-hours.js';
import { jsonRoute } from './endpoint.js';
import { TeamParams } from './teams.js';

export const HOURS_ENDPOINTS = {
  getTeamHours: jsonRoute({
    method: 'GET',
    url: '/v1/teams/:id/hours',
    summary: 'A team’s business hours and away message (hours null: always open); for admins and the team’s supervisors',
    tag: 'hours',
    access: 'session',
    params: TeamParams,
    response: TeamHoursView,
  }),
  setTeamHours: jsonRoute({
    method: 'POST',
    url: '/v1/teams/:id/hours',
    summary:
      'Replace a team’s business hours and away message, checked first (a bad zone, an interval that ends before it starts or overlaps another: nothing changes); admins and the team’s supervisors',
    tag: 'hours',
    access: 'session',
    params: TeamParams,
    body: SetTeamHoursRequest,
    response: TeamHoursView,
  }),
};
