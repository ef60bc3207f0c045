/**
 * What a supervisor sees of the teams they supervise: each team's queue (how many conversations
 * wait, since when the oldest), and each member's open conversations against their capacity in
 * that team, and whether the desk counts them online: counts and names only, never a customer.
 * And, asked of one member, the conversations of the team that member holds, which the supervisor
 * may see by the need-to-know rule anyway: what a bulk reassignment picks from.
 */
import { z } from 'zod';
import { MAX_BULK_REASSIGN } from './handover.js';
import { ConversationSummary } from './inbox.js';

const Id = z.number().int().positive();

export const TeamMemberLoad = z.object({
  agentId: Id,
  displayName: z.string(),
  /** The conversations they hold against capacity (open and pending; server/inbox/agent-load.ts), of any team. */
  open: z.number().int().nonnegative(),
  /** How many they may hold at once in this team. */
  capacity: z.number().int().nonnegative(),
  /** Connected, not locked and available. */
  online: z.boolean(),
});
export type TeamMemberLoad = z.infer<typeof TeamMemberLoad>;

export const SupervisedTeam = z.object({
  teamId: Id,
  name: z.string(),
  /** Unassigned open conversations of the team. */
  queueLength: z.number().int().nonnegative(),
  /** Since when the longest-waiting of them has waited (server/inbox/queue-wait.ts); null when none waits. */
  oldestQueuedSince: z.number().int().nullable(),
  members: z.array(TeamMemberLoad),
});
export type SupervisedTeam = z.infer<typeof SupervisedTeam>;

export const SupervisorOverview = z.object({ teams: z.array(SupervisedTeam) });
export type SupervisorOverview = z.infer<typeof SupervisorOverview>;

/**
 * GET /v1/supervision/teams/:id/members/:agentId/conversations: the conversations of the team the
 * agent holds against capacity (open and pending), most recent first, at most `MAX_BULK_REASSIGN`
 * (one bulk reassignment's worth); `total`: how many they hold in the team in all.
 */
export const MemberConversations = z.object({
  teamId: Id,
  agentId: Id,
  items: z.array(ConversationSummary).max(MAX_BULK_REASSIGN),
  total: z.number().int().nonnegative(),
});
export type MemberConversations = z.infer<typeof MemberConversations>;
