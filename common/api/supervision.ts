/**
 * What a supervisor sees of the teams they supervise: each team's queue (how many conversations
 * wait, since when the oldest), and each member's open conversations against their capacity in
 * that team, and whether the desk counts them online. Counts and names only: never a customer.
 */
import { z } from 'zod';

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
