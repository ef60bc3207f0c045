/**
 * The hand-over moves, each in the caller's transaction: checked against the conversation as this
 * transaction reads it, then written with its history entry (a system line, and through the
 * store's trigger a feed event: conversation/assignment, so every viewer's cache follows) and its
 * audit row (ids only, never the note's text). Refused with a coded error and nothing written.
 *
 * Capacity: a transfer to an agent who already holds as many open conversations as their
 * capacity in the receiving team is refused (`transfer_agent_full`: send it to the team's queue
 * instead), unless the one transferring supervises that team, who balances load on purpose.
 * A claim is the claimer's own choice and is not held to their capacity (replying claims too).
 *
 * Taken from an agent into a queue (unassigned by them or a supervisor, transferred or bulk
 * reassigned to a queue), a conversation remembers whom it was taken from, and routing passes
 * them over for it; they may still claim it. Any move to an agent, and any claim, forgets it.
 */
import crypto from 'node:crypto';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import { maySeeConversation, supervisesTeam } from '../../common/api/conversation-access.js';
import { checkedNoteBody } from '../../common/notes/note-text.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { Actor } from '../audit/actor.js';
import { appendAudit } from '../audit/audit-log.js';
import { takeRoutingLock } from '../assignment/routing-lock.js';
import { openConversationsOf, STATES_HELD_AGAINST_CAPACITY } from '../inbox/agent-load.js';
import { claimed, handedOver, recordHistory } from '../inbox/conversation-history.js';
import { claimUnassigned } from '../inbox/claim-unassigned.js';
import { queuedAtExpression } from '../inbox/queue-wait.js';
import { conversationNotFound } from '../inbox/visible-conversation.js';
import type { StoreTransaction } from '../store/group-commit.js';
import { teamRow } from '../teams/team-membership.js';

export type HandoverActor = Actor & { readonly agentId: number };

export interface HandoverConversation {
  readonly id: number;
  readonly assigned_agent_id: number | null;
  readonly team_id: number | null;
  readonly state: string;
}

/** Where a conversation is to go: an agent (null: the queue) in a team. */
export interface Destination {
  readonly agentId: number | null;
  readonly teamId: number;
}

/** What moves opened for routing to fill, in their transaction: the queues conversations went to, and the agents they left (room). */
export interface Refill {
  readonly teams: readonly number[];
  readonly agents: readonly number[];
}

export function refillOf(moves: ReadonlyArray<{ readonly from: number | null; readonly to: Destination }>): Refill {
  const teams = new Set<number>();
  const agents = new Set<number>();
  for (const { from, to } of moves) {
    if (to.agentId === null) teams.add(to.teamId);
    if (from !== null && from !== to.agentId) agents.add(from);
  }
  return { teams: [...teams], agents: [...agents] };
}

/** The conversation as this transaction reads it, if the viewer may see it; "not found" otherwise, as a missing one. */
export async function conversationFor(trx: StoreTransaction, viewer: ConversationViewer, id: number): Promise<HandoverConversation> {
  // Every move decides who holds it, as routing's fills do: read after the routing lock, so a fill
  // committing meanwhile (another process on PostgreSQL) is seen, and capacity checks count it.
  await takeRoutingLock(trx);
  const row = await trx.selectFrom('conversations').select(['id', 'assigned_agent_id', 'team_id', 'state']).where('id', '=', id).executeTakeFirst();
  if (row === undefined || !maySeeConversation(viewer, { assignedAgentId: row.assigned_agent_id, teamId: row.team_id })) throw conversationNotFound(id);
  return row;
}

/** Whether the viewer may hand this conversation over: its assignee, or a supervisor of its team. */
export function mayHandOver(viewer: ConversationViewer, conversation: HandoverConversation): boolean {
  return conversation.assigned_agent_id === viewer.agentId || supervisesTeam(viewer, conversation.team_id);
}

function refuseUnlessMayHandOver(viewer: ConversationViewer, conversation: HandoverConversation): void {
  if (!mayHandOver(viewer, conversation))
    throw new CodedError(
      'handover_not_permitted',
      'Only the agent this conversation is assigned to, or a supervisor of its team, may hand it over: claim it first.',
    );
}

/** The receiving agent, checked: an active member of the team. */
async function receivingMember(trx: StoreTransaction, agentId: number, teamId: number) {
  const team = await teamRow(trx, teamId);
  const member = await trx
    .selectFrom('team_members')
    .innerJoin('agents', 'agents.id', 'team_members.agent_id')
    .select(['agents.username', 'agents.status', 'team_members.capacity'])
    .where('team_members.team_id', '=', teamId)
    .where('team_members.agent_id', '=', agentId)
    .executeTakeFirst();
  if (member === undefined || member.status !== 'active')
    throw new CodedError(
      'transfer_agent_not_in_team',
      `Agent ${agentId} is not an active member of ${team.name}: transfer to one of its members, or to the team itself.`,
      { agentId, teamId },
    );
  return { team, member };
}

async function noteOf(trx: StoreTransaction, conversationId: number, author: number, text: string | undefined, now: number): Promise<number | null> {
  if (text === undefined || text.trim() === '') return null;
  const body = checkedNoteBody(text);
  const inserted = await trx
    .insertInto('notes')
    .values({ conversation_id: conversationId, author_agent_id: author, body, client_note_id: crypto.randomUUID(), created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

function unchanged(conversation: HandoverConversation, to: Destination): boolean {
  return conversation.assigned_agent_id === to.agentId && conversation.team_id === to.teamId;
}

export interface Move {
  readonly conversation: HandoverConversation;
  readonly to: Destination;
  readonly note: string | undefined;
  readonly actor: HandoverActor;
  readonly event: string;
  readonly now: number;
}

/**
 * Whom routing is to pass over for the conversation after a move (team-queue.ts): taken from an
 * agent into a queue, that agent, so the fill in the same transaction does not give it straight
 * back; moved from one queue to another, whoever it was taken from before (unchanged: nothing);
 * given to an agent, nobody.
 */
function passedOverAfter(from: number | null, to: Destination): { declined_by_agent_id?: number | null } {
  if (to.agentId !== null) return { declined_by_agent_id: null };
  return from === null ? {} : { declined_by_agent_id: from };
}

/** Moves the conversation where `to` says (checked by the caller), with its note, history entry and audit row. */
export async function move(trx: StoreTransaction, { conversation, to, note, actor, event, now }: Move): Promise<void> {
  const noteId = await noteOf(trx, conversation.id, actor.agentId, note, now);
  await trx
    .updateTable('conversations')
    .set((eb) => ({
      assigned_agent_id: to.agentId,
      assigned_at: to.agentId === null ? null : now,
      team_id: to.teamId,
      updated_at: now,
      ...passedOverAfter(conversation.assigned_agent_id, to),
      queued_at: queuedAtExpression(eb, { assigned_agent_id: to.agentId, team_id: to.teamId }, now),
    }))
    .where('id', '=', conversation.id)
    .execute();
  const teamChanged = conversation.team_id !== to.teamId;
  await recordHistory(trx, handedOver(conversation.id, { agentId: to.agentId, teamId: teamChanged ? to.teamId : null, noteId }, actor.agentId, now));
  await appendAudit(
    trx,
    {
      event,
      outcome: 'ok',
      actor: actor.name,
      agentId: actor.agentId,
      sourceAddress: actor.sourceAddress,
      details: {
        conversationId: conversation.id,
        fromAgentId: conversation.assigned_agent_id,
        toAgentId: to.agentId,
        fromTeamId: conversation.team_id,
        toTeamId: to.teamId,
        withNote: noteId !== null,
      },
    },
    now,
  );
}

export interface TransferRequest {
  readonly conversationId: number;
  readonly agentId: number | undefined;
  readonly teamId: number | undefined;
  readonly note: string | undefined;
}

/** A transfer to an agent (of the conversation's team, or of `teamId`) or to a team's queue. */
export async function transfer(
  trx: StoreTransaction,
  viewer: ConversationViewer,
  actor: HandoverActor,
  request: TransferRequest,
  now: number,
): Promise<Refill> {
  const conversation = await conversationFor(trx, viewer, request.conversationId);
  refuseUnlessMayHandOver(viewer, conversation);
  const teamId = request.teamId ?? conversation.team_id;
  if (teamId === null) throw new CodedError('team_not_found', 'This conversation belongs to no team: name the team to transfer it to.');
  const team = await teamRow(trx, teamId);
  const to: Destination = { agentId: request.agentId ?? null, teamId };
  if (unchanged(conversation, to))
    throw new CodedError(
      'handover_unchanged',
      to.agentId === null ? `This conversation already waits in the queue of ${team.name}.` : 'This conversation is already assigned there.',
    );
  if (to.agentId !== null) {
    const { member } = await receivingMember(trx, to.agentId, teamId);
    const held = STATES_HELD_AGAINST_CAPACITY.some((state) => state === conversation.state);
    if (held && to.agentId !== actor.agentId && !supervisesTeam(viewer, teamId)) {
      const load = await openConversationsOf(trx, to.agentId);
      if (load >= member.capacity)
        throw new CodedError(
          'transfer_agent_full',
          `${member.username} already holds ${load} open conversations, their capacity in ${team.name}: transfer to the team's queue instead, or ask a supervisor.`,
          { agentId: to.agentId, teamId, load, capacity: member.capacity },
        );
    }
  }
  await move(trx, { conversation, to, note: request.note, actor, event: 'conversation.transferred', now });
  return refillOf([{ from: conversation.assigned_agent_id, to }]);
}

/** The caller takes an unassigned conversation of their team's queue. */
export async function claim(trx: StoreTransaction, viewer: ConversationViewer, actor: HandoverActor, conversationId: number, now: number): Promise<void> {
  const conversation = await conversationFor(trx, viewer, conversationId);
  if (conversation.assigned_agent_id === viewer.agentId) throw new CodedError('handover_unchanged', 'This conversation is already yours.');
  if (conversation.assigned_agent_id !== null)
    throw new CodedError('conversation_assigned_elsewhere', 'Another agent is handling this conversation: ask them or a supervisor to hand it over.');
  if (!(await claimUnassigned(trx, conversationId, viewer.agentId, now, true)))
    throw new CodedError('conversation_assigned_elsewhere', 'Another agent took this conversation a moment ago.');
  await recordHistory(trx, claimed(conversationId, viewer.agentId, now));
  await appendAudit(
    trx,
    {
      event: 'conversation.claimed',
      outcome: 'ok',
      actor: actor.name,
      agentId: actor.agentId,
      sourceAddress: actor.sourceAddress,
      details: { conversationId, teamId: conversation.team_id },
    },
    now,
  );
}

/**
 * Back to its team's queue, from `fromAgentId` (the assignee as the caller saw them). The
 * conversation then waits there, and the caller's transaction offers it to a member with room.
 */
export async function unassign(
  trx: StoreTransaction,
  viewer: ConversationViewer,
  actor: HandoverActor,
  request: { readonly conversationId: number; readonly fromAgentId: number },
  now: number,
): Promise<Refill> {
  const conversation = await conversationFor(trx, viewer, request.conversationId);
  refuseUnlessMayHandOver(viewer, conversation);
  if (conversation.assigned_agent_id === null) throw new CodedError('conversation_not_assigned', 'This conversation already waits in its team’s queue.');
  if (conversation.team_id === null) throw new CodedError('team_not_found', 'This conversation belongs to no team, so it has no queue to go back to.');
  if (conversation.assigned_agent_id !== request.fromAgentId)
    throw new CodedError(
      'conversation_assignee_changed',
      'Someone else handed this conversation over meanwhile: look at who has it now before unassigning it.',
      {
        assignedAgentId: conversation.assigned_agent_id,
      },
    );
  const to = { agentId: null, teamId: conversation.team_id };
  await move(trx, { conversation, to, note: undefined, actor, event: 'conversation.unassigned', now });
  return refillOf([{ from: conversation.assigned_agent_id, to }]);
}
