/** The client API's presence routes: the agent's own status, screen lock and presence reports, and the supervisors' views of agents and jobs. */
import { jsonRoute } from './endpoint.js';
import {
  AgentPresenceList,
  JobListQuery,
  JobPage,
  MyStatus,
  PresenceReport,
  ScreenLockReport,
  SetAvailabilityRequest,
  SetTimeZoneRequest,
} from './presence.js';

export const PRESENCE_ENDPOINTS = {
  getMyStatus: jsonRoute({
    method: 'GET',
    url: '/v1/me/status',
    summary: 'The signed-in agent’s availability and time zone, and whether the desk counts them online',
    tag: 'presence',
    access: 'session',
    response: MyStatus,
  }),
  setAvailability: jsonRoute({
    method: 'POST',
    url: '/v1/me/availability',
    summary: 'Available or away: an agent who is away takes no new conversations',
    tag: 'presence',
    access: 'session',
    body: SetAvailabilityRequest,
    response: MyStatus,
  }),
  setTimeZone: jsonRoute({
    method: 'POST',
    url: '/v1/me/time-zone',
    summary: 'The agent’s time zone: the workstation’s at sign-in (kept only until the agent picks one), or the one the agent picked',
    tag: 'presence',
    access: 'session',
    body: SetTimeZoneRequest,
    response: MyStatus,
  }),
  reportScreenLock: jsonRoute({
    method: 'POST',
    url: '/v1/me/screen',
    summary: 'This workstation locked or unlocked its screen: a locked agent is not online',
    tag: 'presence',
    access: 'session',
    body: ScreenLockReport,
    response: undefined,
  }),
  reportPresence: jsonRoute({
    method: 'POST',
    url: '/v1/presence',
    summary:
      'This workstation shows a conversation (or none) and whether its agent is typing: told to the others who may see it over the event socket, never stored',
    tag: 'presence',
    access: 'inbox',
    body: PresenceReport,
    response: undefined,
  }),
  listAgentPresence: jsonRoute({
    method: 'GET',
    url: '/v1/supervision/agents',
    summary: 'Every active agent, connected or not, locked or not, available or away, online or not',
    tag: 'supervision',
    access: 'supervisor',
    response: AgentPresenceList,
  }),
  listJobs: jsonRoute({
    method: 'GET',
    url: '/v1/supervision/jobs',
    summary: 'The timed jobs, newest first: kind, due time, state, attempts and last error, never a payload; a job of a conversation only for who may see it',
    tag: 'supervision',
    access: 'supervisor',
    query: JobListQuery,
    response: JobPage,
  }),
};
