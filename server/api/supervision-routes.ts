/** The handlers of the supervisor view's routes (common/api/supervision-endpoints.ts). */
import type { Kysely } from 'kysely';
import type { SUPERVISION_ENDPOINTS } from '../../common/api/supervision-endpoints.js';
import { supervisorOverview } from '../inbox/supervisor-overview.js';
import type { DeskPresence } from '../presence/desk-presence.js';
import type { InboxDatabase } from '../store/schema.js';
import type { Handlers } from './api-route.js';

export function supervisionHandlers(deps: { readonly db: Kysely<InboxDatabase>; readonly presence: DeskPresence }): Handlers<typeof SUPERVISION_ENDPOINTS> {
  return {
    // The teams the caller supervises as the store has them now (the session's scope is read per request).
    getSupervisorOverview: ({ principal }) => supervisorOverview(deps.db, (agentIds) => deps.presence.statesOf(agentIds), principal.supervises),
  };
}
