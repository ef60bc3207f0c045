/**
 * Where a conversation stands and how it got there: its state (open, pending: waiting for the
 * customer, snoozed until a time, resolved), the change an agent asks for, the bounds of a snooze
 * (the same on the server and in the snooze picker), and the entries of its history that the
 * desk shows as system lines among the messages.
 */
import { z } from 'zod';

const Id = z.number().int().positive();

export const CONVERSATION_STATES = ['open', 'pending', 'snoozed', 'resolved'] as const;
export const ConversationState = z.enum(CONVERSATION_STATES, { error: 'state must be open, pending, snoozed or resolved' });
export type ConversationState = z.infer<typeof ConversationState>;

/** The furthest a snooze may reach: past it, "snooze" is a way to lose a customer. */
export const MAX_SNOOZE_MS = 90 * 24 * 60 * 60 * 1000;

/** Why a snooze until `until` is refused at `now`, or null when it may go ahead. */
export function snoozeProblem(until: number, now: number): 'snooze_in_the_past' | 'snooze_too_far' | null {
  if (until <= now) return 'snooze_in_the_past';
  if (until - now > MAX_SNOOZE_MS) return 'snooze_too_far';
  return null;
}

/**
 * POST /v1/conversations/:id/state: resolve, reopen (open), mark pending, or snooze until a time
 * (epoch milliseconds, in the future, at most MAX_SNOOZE_MS ahead).
 */
export const ChangeConversationStateBody = z.discriminatedUnion(
  'state',
  [
    z.object({ state: z.literal('open') }).strict(),
    z.object({ state: z.literal('pending') }).strict(),
    z.object({ state: z.literal('resolved') }).strict(),
    z.object({ state: z.literal('snoozed'), until: z.number().int().positive('until must be a time (epoch milliseconds)') }).strict(),
  ],
  { error: 'state must be open, pending, snoozed or resolved (snoozed with until)' },
);
export type ChangeConversationStateBody = z.infer<typeof ChangeConversationStateBody>;

/** An agent as the history names them. */
export const HistoryAgent = z.object({ agentId: Id, name: z.string() });
export type HistoryAgent = z.infer<typeof HistoryAgent>;

/** A team as the history names it (where a transfer sent the conversation). */
/** The team a hand-over moved the conversation to; `teamId` null: the team has since been removed (its name as it was). */
export const HistoryTeam = z.object({ teamId: Id.nullable(), name: z.string() });
export type HistoryTeam = z.infer<typeof HistoryTeam>;

/** A payment asked for in the conversation, as its history line names it. */
export const HistoryPayment = z.object({
  paymentRequestId: Id,
  amount: z.number().int().positive(),
  currency: z.string(),
  description: z.string(),
  provider: z.enum(['stripe', 'fixed_url']),
});
export type HistoryPayment = z.infer<typeof HistoryPayment>;

/**
 * One change in a conversation's history. `state`: it moved from `fromState` to `state` (with
 * `snoozedUntil` for a snooze); `assignment`: it went to `assignee` (null: back to the queue).
 * `cause`: an agent (`actor`) made it, the customer's message did (a pending or snoozed
 * conversation opens again), a snooze's time came, or routing gave it to `assignee` or put it back
 * in its team's queue (its holder was offline too long). `payment`: `actor` sent a payment link.
 */
export const ConversationHistoryEntry = z.object({
  id: Id,
  conversationId: Id,
  at: z.number().int(),
  kind: z.enum(['state', 'assignment', 'payment']),
  fromState: ConversationState.nullable(),
  state: ConversationState.nullable(),
  snoozedUntil: z.number().int().nullable(),
  assignee: HistoryAgent.nullable(),
  cause: z.enum(['agent', 'customer', 'timer', 'routing']),
  actor: HistoryAgent.nullable(),
  /** The conversation's latest message when the change was made (null: before any): the line reads after it. */
  afterMessageId: Id.nullable(),
  /** A transfer to another team: the team it went to (null: it stayed in its team). */
  team: HistoryTeam.nullable().default(null),
  /** The internal note a transfer carried (null: none): shown with the line. */
  noteId: Id.nullable().default(null),
  /** `payment`: the payment `actor` asked for (common/payments/payment-links.ts); null otherwise. */
  payment: HistoryPayment.nullable().default(null),
});
export type ConversationHistoryEntry = z.infer<typeof ConversationHistoryEntry>;
