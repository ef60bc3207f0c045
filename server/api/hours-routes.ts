/**
 * The handlers of the client API's business-hours routes (common/api/hours-endpoints.ts). Who may
 * read and change a team's hours and away message: an admin, or a supervisor of that team (it is
 * their team's customers who read the message); anyone else is refused `forbidden_role`. Neither
 * route carries a conversation.
 */
import type { CardRefusals } from '../../common/cards/outbound-cards.js';
import type { LinkRefusals } from '../../common/links/outbound-links.js';
import type { HOURS_ENDPOINTS } from '../../common/api/hours-endpoints.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { agentActor } from '../audit/actor.js';
import { readTeamHours, setTeamHours } from '../hours/team-hours.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import type { Kysely } from 'kysely';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import type { Handlers } from './api-route.js';

export interface HoursRouteDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  /** Card numbers in what agents write (common/cards/outbound-cards.ts). */
  readonly cards: CardRefusals;
  readonly links: LinkRefusals;
  readonly now: () => number;
}

/** Admins, and the supervisors of the team. */
export function mayEditTeamHours(principal: Pick<SessionPrincipal, 'roles' | 'supervises'>, teamId: number): boolean {
  return principal.roles.includes('admin') || (principal.roles.includes('supervisor') && principal.supervises.includes(teamId));
}

function refuseUnlessEditor(principal: SessionPrincipal, teamId: number): void {
  if (!mayEditTeamHours(principal, teamId)) {
    throw new CodedError('forbidden_role', 'A team’s business hours and away message are for admins and the team’s own supervisors.');
  }
}

export function hoursHandlers(deps: HoursRouteDeps): Handlers<typeof HOURS_ENDPOINTS> {
  return {
    getTeamHours: ({ principal, params }) => {
      refuseUnlessEditor(principal, params.id);
      return readTeamHours(deps.db, params.id);
    },
    setTeamHours: async ({ principal, params, body, request }) => {
      refuseUnlessEditor(principal, params.id);
      await deps.cards.refuse('away_message', [body.awayMessage], { agentId: principal.agentId });
      await deps.links.refuse('away_message', [body.awayMessage], { agentId: principal.agentId });
      return setTeamHours(deps.committer, params.id, body, agentActor(principal, request.ip), deps.now());
    },
  };
}
