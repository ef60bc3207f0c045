/** Teams as the admin part of the client API (and the admin CLI) manage them. */
import { z } from 'zod';
import { Role } from './session.js';

const Id = z.number().int().positive();

/** How many open conversations a new member can hold at once, unless said otherwise. */
export const DEFAULT_CAPACITY = 10;
export const MAX_CAPACITY = 1000;

export const TeamName = z
  .string()
  .trim()
  .min(1, 'a team needs a name')
  .max(80, 'a team name is at most 80 characters')
  .regex(/^[^\p{Cc}]+$/u, 'a team name has no control characters');
export const TeamDescription = z.string().trim().max(500, 'a description is at most 500 characters');
export const Capacity = z
  .number()
  .int('capacity is a whole number of conversations')
  .min(0, 'capacity must be 0 or more (0: takes no new conversations)')
  .max(MAX_CAPACITY, `capacity is at most ${MAX_CAPACITY}`);

/** The longest a team may let a member be offline before requeueing their conversations: a week. */
export const MAX_OFFLINE_REQUEUE_SECONDS = 7 * 24 * 60 * 60;
/**
 * How long a member may be offline (disconnected or locked) before their open conversations of
 * the team go back to its queue, in seconds; null: never. 0: as soon as they go.
 */
export const OfflineRequeueSeconds = z
  .number()
  .int('the offline requeue time is a whole number of seconds')
  .min(0, 'the offline requeue time must be 0 seconds or more (null: never)')
  .max(MAX_OFFLINE_REQUEUE_SECONDS, `the offline requeue time is at most ${MAX_OFFLINE_REQUEUE_SECONDS} seconds (a week)`);
export const OfflineRequeueAfterSeconds = OfflineRequeueSeconds.nullable();

export const TeamMemberView = z.object({ agentId: Id, username: z.string(), displayName: z.string(), roles: z.array(Role), capacity: z.number().int() });
export type TeamMemberView = z.infer<typeof TeamMemberView>;
export const TeamSupervisorView = z.object({ agentId: Id, username: z.string(), displayName: z.string(), roles: z.array(Role) });
export type TeamSupervisorView = z.infer<typeof TeamSupervisorView>;

export const TeamView = z.object({
  id: Id,
  name: z.string(),
  description: z.string().nullable(),
  /** The oldest team: where a number without a team of its own sends its new conversations. */
  isDefault: z.boolean(),
  members: z.array(TeamMemberView),
  supervisors: z.array(TeamSupervisorView),
  /** How many conversations belong to it (a count, never which). */
  conversationCount: z.number().int().nonnegative(),
  /** The business numbers whose new conversations come to it (phone number IDs). */
  numbers: z.array(z.string()),
  createdAt: z.number().int(),
  /** Seconds a member may be offline before their open conversations of it go back to its queue; null: never. */
  offlineRequeueAfterSeconds: z.number().int().nonnegative().nullable(),
});
export type TeamView = z.infer<typeof TeamView>;
export const TeamList = z.object({ teams: z.array(TeamView) });
export type TeamList = z.infer<typeof TeamList>;

export const CreateTeamRequest = z.object({ name: TeamName, description: TeamDescription.optional() });
export type CreateTeamRequest = z.infer<typeof CreateTeamRequest>;
export const UpdateTeamRequest = z
  .object({ name: TeamName.optional(), description: TeamDescription.nullable().optional(), offlineRequeueAfterSeconds: OfflineRequeueAfterSeconds.optional() })
  .refine(
    (change) => change.name !== undefined || change.description !== undefined || change.offlineRequeueAfterSeconds !== undefined,
    'give a new name, a new description or a new offline requeue time',
  );
export type UpdateTeamRequest = z.infer<typeof UpdateTeamRequest>;

export const TeamParams = z.object({ id: z.coerce.number().int().positive('the team id must be a positive whole number') });
export const TeamAgentParams = TeamParams.extend({ agentId: z.coerce.number().int().positive('the agent id must be a positive whole number') });

export const AddMemberRequest = z.object({ agentId: Id, capacity: Capacity.default(DEFAULT_CAPACITY) });
export type AddMemberRequest = z.infer<typeof AddMemberRequest>;
export const SetCapacityRequest = z.object({ capacity: Capacity });
export const AddSupervisorRequest = z.object({ agentId: Id });

export const RemoveTeamQuery = z.object({
  /** Where its conversations (and the numbers that send to it) go; needed while it holds any. */
  moveConversationsTo: z.coerce.number().int().positive('moveConversationsTo must be a team id').optional(),
});
export type RemoveTeamQuery = z.infer<typeof RemoveTeamQuery>;
export const TeamRemoved = z.object({ removed: Id, movedConversations: z.number().int().nonnegative(), movedTo: Id.nullable() });
export type TeamRemoved = z.infer<typeof TeamRemoved>;

/** A number's own team for its new conversations; null: the default team. */
export const SetNumberTeamRequest = z.object({ teamId: Id.nullable() });
export type SetNumberTeamRequest = z.infer<typeof SetNumberTeamRequest>;
