/**
 * A conversation's history: each change of its state or of who it is assigned to, as a row of
 * `conversation_history` written in the transaction of the change. The store's trigger puts each
 * row on the event feed (`history`); the desk shows them as system lines among the messages
 * ("Anna resolved the conversation · 14:02").
 */
import type { Insertable, Kysely } from 'kysely';
import type { ConversationHistoryEntry } from '../../common/api/conversation-lifecycle.js';
import { decodePageCursor, encodePageCursor } from '../../common/api/page-cursor.js';
import type { HistoryPage } from '../../common/api/inbox.js';
import type { StoreTransaction } from '../store/group-commit.js';
import type { ConversationHistoryTable, InboxDatabase } from '../store/schema.js';

export type HistoryChange = Omit<Insertable<ConversationHistoryTable>, 'id' | 'after_message_id' | 'team_name'>;

/** Records the change, placed after the conversation's latest message as it stands in this transaction. */
export async function recordHistory(trx: StoreTransaction, change: HistoryChange): Promise<void> {
  await trx
    .insertInto('conversation_history')
    .values((eb) => ({
      ...change,
      after_message_id: eb.selectFrom('conversations').select('last_message_id').where('id', '=', change.conversation_id),
      team_name: change.team_id == null ? null : eb.selectFrom('teams').select('name').where('id', '=', change.team_id),
    }))
    .execute();
}

/** A change of who has the conversation (or which team's queue it waits in). */
interface AssignmentChange {
  /** Who has it now; null: back in the queue. */
  readonly agentId: number | null;
  /** Null: nobody in person (the admin CLI's act, shown as "someone", or routing's). */
  readonly actorAgentId: number | null;
  /** An agent's act (the default), or routing's. */
  readonly cause?: HistoryChange['cause'];
  /** The team it moved to, when it changed teams. */
  readonly teamId?: number | null;
  /** A transfer's note. */
  readonly noteId?: number | null;
}

export function assignmentChange(conversationId: number, change: AssignmentChange, at: number): HistoryChange {
  return {
    conversation_id: conversationId,
    kind: 'assignment',
    from_state: null,
    state: null,
    snoozed_until: null,
    assigned_agent_id: change.agentId,
    actor_agent_id: change.actorAgentId,
    cause: change.cause ?? 'agent',
    at,
    team_id: change.teamId ?? null,
    note_id: change.noteId ?? null,
  };
}

/** An agent took an unassigned conversation (by answering it, or claiming it): their own act. */
export function claimed(conversationId: number, agentId: number, at: number): HistoryChange {
  return assignmentChange(conversationId, { agentId, actorAgentId: agentId }, at);
}

/**
 * The conversation went back to its team's queue: `actorAgentId` put it there (null: the admin
 * CLI's act, shown as "someone").
 */
export function requeued(conversationId: number, actorAgentId: number | null, at: number): HistoryChange {
  return assignmentChange(conversationId, { agentId: null, actorAgentId }, at);
}

/**
 * A hand-over (transfer, unassign, reassignment) by `actorAgentId`: to `agentId` (null: to the
 * queue), into `teamId` when it changed teams, with the transfer's note.
 */
export function handedOver(
  conversationId: number,
  move: { readonly agentId: number | null; readonly teamId: number | null; readonly noteId: number | null },
  actorAgentId: number,
  at: number,
): HistoryChange {
  return assignmentChange(conversationId, { ...move, actorAgentId }, at);
}

function historyQuery(db: Kysely<InboxDatabase>) {
  return db
    .selectFrom('conversation_history as h')
    .leftJoin('agents as actor', 'actor.id', 'h.actor_agent_id')
    .leftJoin('agents as assignee', 'assignee.id', 'h.assigned_agent_id')
    .leftJoin('teams as team', 'team.id', 'h.team_id')
    .leftJoin('payment_requests as pay', 'pay.id', 'h.payment_request_id')
    .select([
      'h.id',
      'h.conversation_id',
      'h.kind',
      'h.from_state',
      'h.state',
      'h.snoozed_until',
      'h.assigned_agent_id',
      'h.actor_agent_id',
      'h.cause',
      'h.at',
      'h.after_message_id',
      'h.team_id',
      'h.note_id',
      'team.name as team_name',
      'h.team_name as team_name_then',
      'actor.display_name as actor_name',
      'assignee.display_name as assignee_name',
      'pay.id as payment_id',
      'pay.amount as payment_amount',
      'pay.currency as payment_currency',
      'pay.description as payment_description',
      'pay.provider as payment_provider',
    ]);
}

type HistoryRow = Awaited<ReturnType<ReturnType<typeof historyQuery>['executeTakeFirstOrThrow']>>;

const agentOf = (agentId: number | null, name: string | null) => (agentId === null ? null : { agentId, name: name ?? `#${agentId}` });

/** The team a hand-over moved the conversation to: by its name now, or as it was named when the team has since been removed. */
function teamOf(row: HistoryRow): ConversationHistoryEntry['team'] {
  if (row.team_id !== null) return { teamId: row.team_id, name: row.team_name ?? row.team_name_then ?? `#${row.team_id}` };
  return row.team_name_then === null ? null : { teamId: null, name: row.team_name_then };
}

function entryOf(row: HistoryRow): ConversationHistoryEntry {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    at: row.at,
    kind: row.kind,
    fromState: row.from_state,
    state: row.state,
    snoozedUntil: row.snoozed_until,
    assignee: agentOf(row.assigned_agent_id, row.assignee_name),
    cause: row.cause,
    actor: agentOf(row.actor_agent_id, row.actor_name),
    afterMessageId: row.after_message_id,
    team: teamOf(row),
    noteId: row.note_id,
    payment: paymentOf(row),
  };
}

function paymentOf(row: HistoryRow): ConversationHistoryEntry['payment'] {
  if (
    row.payment_id === null ||
    row.payment_amount === null ||
    row.payment_currency === null ||
    row.payment_description === null ||
    row.payment_provider === null
  )
    return null;
  return {
    paymentRequestId: row.payment_id,
    amount: row.payment_amount,
    currency: row.payment_currency,
    description: row.payment_description,
    provider: row.payment_provider,
  };
}

export async function historyEntries(db: Kysely<InboxDatabase>, ids: readonly number[]): Promise<Map<number, ConversationHistoryEntry>> {
  if (ids.length === 0) return new Map();
  const rows = await historyQuery(db)
    .where('h.id', 'in', [...ids])
    .execute();
  return new Map(rows.map((row) => [row.id, entryOf(row)]));
}

/** Newest first, with the message list's cursors (time, id). */
export async function historyPage(db: Kysely<InboxDatabase>, conversationId: number, cursor: string | undefined, limit: number): Promise<HistoryPage> {
  let query = historyQuery(db).where('h.conversation_id', '=', conversationId);
  if (cursor !== undefined) {
    const [at, id] = decodePageCursor(cursor) ?? [];
    if (at === undefined || id === undefined) return { items: [], nextCursor: null };
    query = query.where((eb) => eb.or([eb('h.at', '<', at), eb.and([eb('h.at', '=', at), eb('h.id', '<', id)])]));
  }
  const rows = await query
    .orderBy('h.at', 'desc')
    .orderBy('h.id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(entryOf), nextCursor: rows.length > limit && last !== undefined ? encodePageCursor([last.at, last.id]) : null };
}
