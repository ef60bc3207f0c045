/**
 * Hand-over: who a conversation goes to next. Transfer it to an agent or a team (with an optional
 * note, kept as an internal note and shown to the receiver), claim it from the queue, unassign it
 * (back to its team's queue), or, for a supervisor, move many at once. The shapes of the requests
 * and answers, and who a hand-over's history entry tells (the server's feed and the desk agree on
 * it through `handoverReceiver`). No Node, no DOM.
 */
import { z } from 'zod';
import { NOTE_TEXT_BOUND } from '../notes/note-text.js';
import type { ConversationHistoryEntry } from './conversation-lifecycle.js';
import { ConversationSummary } from './inbox.js';

const Id = z.number().int().positive();

/** The most conversations one bulk reassignment may move: a screenful a supervisor can check. */
export const MAX_BULK_REASSIGN = 100;

const TransferNote = z.string().max(NOTE_TEXT_BOUND, `note must be at most ${NOTE_TEXT_BOUND} characters`);

/**
 * POST /v1/conversations/:id/transfer. `agentId`: to this agent, in the conversation's team (or in
 * `teamId` when both are named); `teamId` alone: to that team's queue, unassigned.
 */
export const TransferBody = z
  .object({
    agentId: Id.optional(),
    teamId: Id.optional(),
    note: TransferNote.optional(),
  })
  .strict()
  .refine((body) => body.agentId !== undefined || body.teamId !== undefined, {
    error: 'name whom to transfer to: an agent (agentId), a team (teamId), or both',
  });
export type TransferBody = z.infer<typeof TransferBody>;

/** POST /v1/conversations/:id/claim: nothing to say; the caller takes it. */
export const ClaimBody = z.object({}).strict();

/**
 * POST /v1/conversations/:id/unassign. `fromAgentId`: the assignee as the caller saw them, so a
 * conversation someone else moved meanwhile is not taken from its new assignee unseen.
 */
export const UnassignBody = z.object({ fromAgentId: Id }).strict();
export type UnassignBody = z.infer<typeof UnassignBody>;

/**
 * POST /v1/conversations/reassign (supervisors): the conversations named (of teams the caller
 * supervises) go to `agentId` (in `teamId` when named, else in each one's team), to `teamId`'s
 * queue, or, with neither, back to their own team's queue. All or nothing.
 */
export const BulkReassignBody = z
  .object({
    conversationIds: z
      .array(Id)
      .min(1, 'name at least one conversation')
      .max(MAX_BULK_REASSIGN, `at most ${MAX_BULK_REASSIGN} conversations at once`)
      .refine((ids) => new Set(ids).size === ids.length, { error: 'each conversation at most once' }),
    agentId: Id.optional(),
    teamId: Id.optional(),
    note: TransferNote.optional(),
  })
  .strict();
export type BulkReassignBody = z.infer<typeof BulkReassignBody>;

/** The conversation after a hand-over; null when the caller may no longer see it (it went elsewhere). */
export const HandedOver = z.object({ conversationId: Id, conversation: ConversationSummary.nullable() });
export type HandedOver = z.infer<typeof HandedOver>;

/** What a bulk reassignment did: the conversations it moved, and those already where they were sent. */
export const BulkReassigned = z.object({ moved: z.array(Id), unchanged: z.array(Id) });
export type BulkReassigned = z.infer<typeof BulkReassigned>;

/** An agent one may transfer to; `full`: they hold as many open conversations as this team gives them room for. */
export const TransferAgent = z.object({ agentId: Id, username: z.string(), displayName: z.string(), full: z.boolean() });
export type TransferAgent = z.infer<typeof TransferAgent>;

/** GET /v1/conversations/:id/transfer-targets: every team, with its members; `current`: the conversation's own team. */
export const TransferTargets = z.object({
  teams: z.array(z.object({ teamId: Id, name: z.string(), current: z.boolean(), members: z.array(TransferAgent) })),
});
export type TransferTargets = z.infer<typeof TransferTargets>;

/**
 * Whom an assignment entry of the history hands the conversation to, when someone other than the
 * receiver made it: an agent (a transfer or reassignment to them), or a team's queue (a transfer
 * to another team). Undefined for a claim (the claimer is the actor), an unassign within the team,
 * and changes no agent made.
 */
export function handoverReceiver(entry: ConversationHistoryEntry): { readonly agentId: number } | { readonly teamId: number } | undefined {
  if (entry.kind !== 'assignment' || entry.cause !== 'agent' || entry.actor === null) return undefined;
  if (entry.assignee !== null) return entry.assignee.agentId === entry.actor.agentId ? undefined : { agentId: entry.assignee.agentId };
  // A team removed since receives nothing.
  return entry.team?.teamId == null ? undefined : { teamId: entry.team.teamId };
}
