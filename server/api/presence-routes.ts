/** The handlers of the client API's presence routes (common/api/presence-endpoints.ts): the agent's own status, screen lock and presence, and the supervisors' views. */
import type { Kysely } from 'kysely';
import type { PRESENCE_ENDPOINTS } from '../../common/api/presence-endpoints.js';
import { listJobs } from '../jobs/job-list.js';
import type { DeskPresence } from '../presence/desk-presence.js';
import type { InboxDatabase } from '../store/schema.js';
import type { Handlers } from './api-route.js';

export interface PresenceRouteDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly presence: DeskPresence;
}

export function presenceHandlers(deps: PresenceRouteDeps): Handlers<typeof PRESENCE_ENDPOINTS> {
  const { presence } = deps;
  return {
    getMyStatus: ({ principal }) => presence.status(principal),
    setAvailability: ({ principal, body }) => presence.setAvailable(principal, body.available),
    setTimeZone: ({ principal, body }) => presence.setTimeZone(principal, body.timeZone, body.source),
    reportScreenLock: ({ principal, body }) => {
      presence.screenLocked(principal, body.locked);
      return Promise.resolve(undefined);
    },
    reportPresence: async ({ principal, body }) => {
      await presence.report(principal, body);
      return undefined;
    },
    listAgentPresence: ({ principal }) => presence.agents(principal.supervises),
    listJobs: ({ principal, query }) => listJobs(deps.db, principal, query),
  };
}
