/**
 * How a conversation's state moves. An agent resolves it, reopens it, marks it pending (waiting
 * for the customer) or snoozes it until a time: checked, written with its history entry and its
 * audit row in one transaction. The customer writing opens a pending or snoozed one again (a
 * resolved one is never reopened by the customer: their message starts a new conversation,
 * conversations.ts); a snooze's time coming opens it too (`wakeSnoozedConversation`).
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { ChangeConversationStateBody, ConversationState } from '../../common/api/conversation-lifecycle.js';
import { snoozeProblem } from '../../common/api/conversation-lifecycle.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { Actor } from '../audit/actor.js';
import { appendAudit } from '../audit/audit-log.js';
import type { StoreTransaction } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { recordHistory } from './conversation-history.js';

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
}

/** An agent's change of state, checked; refused with a coded error and nothing written. */
export async function changeConversationState(trx: StoreTransaction, change: StateChange): Promise<void> {
  const { conversationId, to, actor, now } = change;
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
    .set({
      state: to.state,
      state_changed_at: now,
      snoozed_until: snoozedUntil,
      updated_at: now,
      ...(to.state === 'resolved' ? { resolved_by_agent_id: actor.agentId, resolved_at: now } : {}),
    })
    .where('id', '=', conversationId)
    .execute();
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
 * `state` is the conversation's as read in this transaction.
 */
export async function openOnCustomerMessage(trx: StoreTransaction, conversationId: number, state: ConversationState, now: number): Promise<void> {
  if (state !== 'pending' && state !== 'snoozed') return;
  await trx
    .updateTable('conversations')
    .set({ state: 'open', state_changed_at: now, snoozed_until: null, updated_at: now })
    .where('id', '=', conversationId)
    .execute();
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
}

/**
 * A snooze's time came: the conversation opens again. Idempotent: one that is no longer snoozed
 * (the customer wrote, an agent changed it) or whose snooze was moved later is left alone, so
 * running it twice, late, or for a stale reason changes nothing. True when it woke it.
 *
 * THE JOB RUNNER'S SEAM: the durable job runner (issue 12's "jobs" slice) runs this as the job a
 * snooze schedules for its `until`, in the job's own transaction; until then SnoozeSweep
 * (snooze-sweep.ts) calls it for every snooze that is due.
 */
export async function wakeSnoozedConversation(db: StoreTransaction, conversationId: number, now: number): Promise<boolean> {
  const woken = await db
    .updateTable('conversations')
    .set({ state: 'open', state_changed_at: now, snoozed_until: null, updated_at: now })
    .where('id', '=', conversationId)
    .where('state', '=', sql.lit('snoozed'))
    .where('snoozed_until', '<=', now)
    .returning('id')
    .executeTakeFirst();
  if (woken === undefined) return false;
  await recordHistory(db, {
    conversation_id: conversationId,
    kind: 'state',
    from_state: 'snoozed',
    state: 'open',
    snoozed_until: null,
    assigned_agent_id: null,
    actor_agent_id: null,
    cause: 'timer',
    at: now,
  });
  return true;
}

/** Snoozed conversations whose time has come, the longest due first. */
export async function dueSnoozes(db: Kysely<InboxDatabase>, now: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('conversations')
    .select('id')
    .where('state', '=', sql.lit('snoozed'))
    .where('snoozed_until', '<=', now)
    .orderBy('snoozed_until')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}
