/**
 * Who is at the desk: each agent's availability and time zone, the workstation's screen lock,
 * who is viewing or typing in a conversation, and what supervisors see of agents and timed jobs.
 */
import { z } from 'zod';

const Id = z.number().int().positive();
const Time = z.number().int();

/** An IANA time zone the platform knows (Europe/Rome, America/New_York, UTC), in its canonical spelling. */
export const TimeZone = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/, 'timeZone must be an IANA time zone such as Europe/Rome')
  .refine((zone) => canonicalTimeZone(zone) !== undefined, 'timeZone must be an IANA time zone such as Europe/Rome')
  .transform((zone) => canonicalTimeZone(zone) ?? zone);

/** The zone as the platform spells it, or undefined when it knows no such zone. */
export function canonicalTimeZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** What the signed-in agent has set for themselves, and whether the desk counts them online. */
export const MyStatus = z.object({
  /** Away: no new conversations are routed to them. */
  available: z.boolean(),
  /** Null until the workstation (at sign-in) or the agent gives one. */
  timeZone: z.string().nullable(),
  /** The agent picked the zone: a workstation's no longer replaces it. */
  timeZoneChosen: z.boolean(),
  /** Connected, not locked and available. */
  online: z.boolean(),
});
export type MyStatus = z.infer<typeof MyStatus>;

export const SetAvailabilityRequest = z.object({ available: z.boolean() }).strict();

/** `workstation`: the zone of the computer at sign-in, kept only while the agent has not picked one; `agent`: picked by the agent. */
export const SetTimeZoneRequest = z.object({ timeZone: TimeZone, source: z.enum(['workstation', 'agent']) }).strict();

/** The workstation locked its screen (idle, the OS lock, or the agent) or unlocked it. */
export const ScreenLockReport = z.object({ locked: z.boolean() }).strict();

/**
 * This workstation shows `conversationId` (null: none) and whether its agent is typing in it.
 * Repeated while it holds: the server forgets a report not renewed within its expiry.
 */
export const PresenceReport = z.object({ conversationId: Id.nullable(), typing: z.boolean() }).strict();
export type PresenceReport = z.infer<typeof PresenceReport>;

/** The viewing and typing of a report hold this long on the server unless renewed. */
export const PRESENCE_EXPIRY_MS = { viewing: 45_000, typing: 6_000 } as const;

/** Another agent in a conversation. */
export const PresentAgent = z.object({ agentId: Id, name: z.string(), typing: z.boolean() });
export type PresentAgent = z.infer<typeof PresentAgent>;

export const AgentPresenceView = z.object({
  agentId: Id,
  username: z.string(),
  displayName: z.string(),
  connected: z.boolean(),
  locked: z.boolean(),
  available: z.boolean(),
  online: z.boolean(),
});
export type AgentPresenceView = z.infer<typeof AgentPresenceView>;
export const AgentPresenceList = z.object({ agents: z.array(AgentPresenceView) });
export type AgentPresenceList = z.infer<typeof AgentPresenceList>;

export const JobStateName = z.enum(['waiting', 'running', 'done', 'failed', 'cancelled']);

export const JobListQuery = z.object({
  state: JobStateName.optional(),
  /** Older jobs than this id (the previous page's `nextBefore`). */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** A timed job as supervisors see it: never its payload (it may hold a message). */
export const JobView = z.object({
  id: Id,
  kind: z.string(),
  conversationId: Id.nullable(),
  state: JobStateName,
  dueAt: Time,
  attempts: z.number().int().min(0),
  maxAttempts: z.number().int().min(1),
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: Time,
  finishedAt: Time.nullable(),
});
export type JobView = z.infer<typeof JobView>;
export const JobPage = z.object({ items: z.array(JobView), nextBefore: Id.nullable() });
export type JobPage = z.infer<typeof JobPage>;
