/** The handlers of the supervisor view's routes (common/api/supervision-endpoints.ts). */
import type { Kysely } from 'kysely';
import { supervisesTeam } from '../../common/api/conversation-access.js';
import { MAX_BULK_REASSIGN } from '../../common/api/handover.js';
import type { SUPERVISION_ENDPOINTS } from '../../common/api/supervision-endpoints.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { InboxViews } from '../inbox/inbox-views.js';
import { supervisorOverview } from '../inbox/supervisor-overview.js';
import type { DeskPresence } from '../presence/desk-presence.js';
import type { InboxDatabase } from '../store/schema.js';
import type { Handlers } from './api-route.js';

export function supervisionHandlers(deps: {
  readonly db: Kysely<InboxDatabase>;
  readonly views: InboxViews;
  readonly presence: DeskPresence;
}): Handlers<typeof SUPERVISION_ENDPOINTS> {
  return {
    // The teams the caller supervises as the store has them now (the session's scope is read per request).
    getSupervisorOverview: ({ principal }) => supervisorOverview(deps.db, (agentIds) => deps.presence.statesOf(agentIds), principal.supervises),
    // A team the caller does not supervise is "not found", whether it exists or not: each conversation listed is one the rule lets them see.
    listMemberConversations: async ({ principal, params }) => {
      if (!supervisesTeam(principal, params.id)) throw new CodedError('team_not_found', `There is no team ${params.id} among the teams you supervise.`);
      const held = await deps.views.heldInTeam(params.id, params.agentId, MAX_BULK_REASSIGN);
      return { teamId: params.id, agentId: params.agentId, ...held };
    },
  };
}
