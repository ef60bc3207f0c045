/** The client API's analytics: figures per team, agent and business number for supervisors (their teams) and admins (every team). */
import { AnalyticsCsvQuery, AnalyticsQuery, TeamTargetBody } from '../analytics/analytics-query.js';
import { AnalyticsReport, TeamTarget } from '../analytics/analytics-report.js';
import { downloadRoute, jsonRoute } from './endpoint.js';
import { IdParams } from './inbox.js';

export const ANALYTICS_ENDPOINTS = {
  getAnalytics: jsonRoute({
    method: 'GET',
    url: '/v1/analytics',
    summary:
      'Figures for a period of days in the viewer’s time zone, of one team, agent or business number or of all the caller may see: conversations opened and resolved, first response and resolution times (median, p90), messages in and out, what waits now, the share answered within target, busiest hours, template sends by category, and rows per team and agent. Supervisors see their teams only, admins every team; a team or agent outside them is forbidden',
    tag: 'analytics',
    access: 'oversight',
    query: AnalyticsQuery,
    response: AnalyticsReport,
    perMinute: 120,
  }),
  exportAnalyticsCsv: downloadRoute({
    method: 'GET',
    url: '/v1/analytics/export.csv',
    summary:
      'The same figures as text/csv (UTF-8, comma-separated, a header line): table=figures (a total row, one per team, one per agent), hours (the 7×24 busiest hours) or templates (sends by category)',
    tag: 'analytics',
    access: 'oversight',
    query: AnalyticsCsvQuery,
    perMinute: 30,
  }),
  setTeamTarget: jsonRoute({
    method: 'PUT',
    url: '/v1/analytics/teams/:id/target',
    summary: 'Set a team’s target time for a first response (seconds), which "answered within target" is judged by: its supervisors and admins',
    tag: 'analytics',
    access: 'oversight',
    params: IdParams,
    body: TeamTargetBody,
    response: TeamTarget,
  }),
};
