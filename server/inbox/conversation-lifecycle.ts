/**
 * How a conversation's state moves. An agent resolves it, reopens it, marks it pending (waiting
 * for the customer) or snoozes it until a time: checked, written with its history entry and its
 * audit row in one transaction. The customer writing opens a pending or snoozed one again (a
 * resolved one is never reopened by the customer: their message starts a new conversation,
 * conversations.ts); a snooze's time coming opens it too (a job: snooze-wakeups.ts).
 */
import type { ChangeConversationStateBody, ConversationState } from '../../common/api/conversation-lifecycle.js';
import { snoozeProblem } from '../../common/api/conversation-lifecycle.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { Actor } from '../audit/actor.js';
import { appendAudit } from '../audit/audit-log.js';
import type { StoreTransaction } from '../store/group-commit.js';
import { recordHistory } from './conversation-history.js';
import { queuedAtExpression } from './queue-wait.js';
import { cancelSnoozeEnd } from './snooze-wakeups.js';
import type { SnoozeScheduler } from './snooze-wakeups.js';

const AUDIT_EVENT: Readonly<Record<ConversationState, string>> = {
  open: 'conversation.reopened',
  pending: 'conversation.pending',
  snoozed: 'conversation.snoozed',
  resolved: 'conversation.resolved',
};

const STATE_WORDS: Readonly<Record<ConversationState, string>> = {
  open: 'open',
  pending: 'pending (waiting for the customer)',
  snoozed: 'snoozed',
  resolved: 'resolved',
};

/** Why the change cannot be made from `from`, or null when it can. */
function refusal(
  from: { state: ConversationState; snoozed_until: number | null },
  to: ChangeConversationStateBody,
  now: number,
  continued: boolean,
): CodedError | null {
  const unchanged = from.state === to.state && (to.state !== 'snoozed' || from.snoozed_until === to.until);
  if (unchanged) return new CodedError('conversation_state_unchanged', `This conversation is already ${STATE_WORDS[to.state]}.`);
  if (from.state === 'resolved' && (to.state === 'pending' || to.state === 'snoozed')) {
    return new CodedError('conversation_resolved', 'This conversation is resolved: reopen it first.');
  }
  if (to.state === 'open' && continued) {
    return new CodedError(
      'conversation_continued',
      'The customer wrote again after this conversation was resolved: it goes on in a newer conversation, which is the one to work in.',
    );
  }
  if (to.state === 'snoozed') {
    const problem = snoozeProblem(to.until, now);
    if (problem === 'snooze_in_the_past') return new CodedError(problem, 'A snooze must end in the future: pick a later time.');
    if (problem === 'snooze_too_far') return new CodedError(problem, 'A snooze may last at most 90 days: pick an earlier time.');
  }
  return null;
}

export interface StateChange {
  readonly conversationId: number;
  readonly to: ChangeConversationStateBody;
  readonly actor: Actor & { readonly agentId: number };
  readonly now: number;
  /** Where a snooze's end is scheduled (the job runner). */
  readonly snoozes: SnoozeScheduler;
}

/** An agent's change of state, checked; refused with a coded error and nothing written. */
export async function changeConversationState(trx: StoreTransaction, change: StateChange): Promise<void> {
  const { conversationId, to, actor, now, snoozes } = change;
  const row = await trx
    .selectFrom('conversations')
    .select(['id', 'state', 'snoozed_until', 'contact_id', 'business_phone_number_id'])
    .where('id', '=', conversationId)
    .executeTakeFirst();
  if (row === undefined) throw new CodedError('conversation_not_found', `There is no conversation ${conversationId} you may see.`);
  const newer =
    to.state === 'open' && row.state === 'resolved'
      ? await trx
          .selectFrom('conversations')
          .select('id')
          .where('contact_id', '=', row.contact_id)
          .where('business_phone_number_id', '=', row.business_phone_number_id)
          .where('id', '>', row.id)
          .executeTakeFirst()
      : undefined;
  const refused = refusal(row, to, now, newer !== undefined);
  if (refused !== null) throw refused;
  const snoozedUntil = to.state === 'snoozed' ? to.until : null;
  await trx
    .updateTable('conversations')
    .set((eb) => ({
      state: to.state,
      state_changed_at: now,
      snoozed_until: snoozedUntil,
      updated_at: now,
      // Leaving the queue forgets whom it was taken from (team-queue.ts); one coming back to open had left it.
      declined_by_agent_id: null,
      queued_at: queuedAtExpression(eb, { state: to.state }, now),
      ...(to.state === 'resolved' ? { resolved_by_agent_id: actor.agentId, resolved_at: now } : {}),
    }))
    .where('id', '=', conversationId)
    .execute();
  // The snooze's end waits as a job; any other state ends a snooze before its time.
  if (snoozedUntil !== null) await snoozes.wakeAt(trx, conversationId, snoozedUntil);
  else if (row.state === 'snoozed') await cancelSnoozeEnd(trx, conversationId, now);
  await recordHistory(trx, {
    conversation_id: conversationId,
    kind: 'state',
    from_state: row.state,
    state: to.state,
    snoozed_until: snoozedUntil,
    assigned_agent_id: null,
    actor_agent_id: actor.agentId,
    cause: 'agent',
    at: now,
  });
  await appendAudit(
    trx,
    {
      event: AUDIT_EVENT[to.state],
      outcome: 'ok',
      actor: actor.name,
      agentId: actor.agentId,
      sourceAddress: actor.sourceAddress,
      details: { conversationId, from: row.state, ...(snoozedUntil === null ? {} : { snoozedUntil }) },
    },
    now,
  );
}

/**
 * The customer wrote: a pending or snoozed conversation is open again, with its history entry.
 * `state` is the conversation's as read in this transaction. True when it was opened.
 */
export async function openOnCustomerMessage(trx: StoreTransaction, conversationId: number, state: ConversationState, now: number): Promise<boolean> {
  if (state !== 'pending' && state !== 'snoozed') return false;
  await trx
    .updateTable('conversations')
    .set((eb) => ({ state: 'open', state_changed_at: now, snoozed_until: null, updated_at: now, queued_at: queuedAtExpression(eb, { state: 'open' }, now) }))
    .where('id', '=', conversationId)
    .execute();
  if (state === 'snoozed') await cancelSnoozeEnd(trx, conversationId, now);
  await recordHistory(trx, {
    conversation_id: conversationId,
    kind: 'state',
    from_state: state,
    state: 'open',
    snoozed_until: null,
    assigned_agent_id: null,
    actor_agent_id: null,
    cause: 'customer',
    at: now,
  });
  return true;
}
