/**
 * A supervisor's reassignment of many conversations at once, all or nothing: every conversation
 * named must be one of a team the caller supervises (any other answers as a missing one, listed
 * together, so nothing tells which exist) and every destination valid, or nothing moves. The
 * supervisor balances load on purpose, so capacity does not hold them back; conversations already
 * where they were sent are left as they are and reported as unchanged.
 */
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import { supervisesTeam } from '../../common/api/conversation-access.js';
import type { BulkReassignBody, BulkReassigned } from '../../common/api/handover.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { StoreTransaction } from '../store/group-commit.js';
import { teamRow } from '../teams/team-membership.js';
import type { Destination, HandoverActor } from './handover-moves.js';
import { move, refillOf } from './handover-moves.js';
import type { Refill } from './handover-moves.js';
import { takeRoutingLock } from '../assignment/routing-lock.js';

export async function bulkReassign(
  trx: StoreTransaction,
  viewer: ConversationViewer,
  actor: HandoverActor,
  request: BulkReassignBody,
  now: number,
): Promise<BulkReassigned & { readonly refill: Refill }> {
  await takeRoutingLock(trx);
  const rows = await trx
    .selectFrom('conversations')
    .select(['id', 'assigned_agent_id', 'team_id', 'state'])
    .where('id', 'in', [...request.conversationIds])
    .execute();
  const byId = new Map(rows.filter((row) => supervisesTeam(viewer, row.team_id)).map((row) => [row.id, row]));
  const missing = request.conversationIds.filter((id) => !byId.has(id));
  if (missing.length > 0)
    throw new CodedError(
      'bulk_reassign_not_found',
      `${missing.length === 1 ? 'Conversation' : 'Conversations'} ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not among the conversations of the teams you supervise: nothing was moved.`,
      { conversationIds: missing },
    );
  if (request.teamId !== undefined) await teamRow(trx, request.teamId);
  const plans = request.conversationIds.map((id) => {
    const conversation = byId.get(id);
    if (conversation === undefined || conversation.team_id === null) throw new CodedError('bulk_reassign_not_found', `Conversation ${id} belongs to no team.`);
    const to: Destination = { agentId: request.agentId ?? null, teamId: request.teamId ?? conversation.team_id };
    return { conversation, to };
  });
  if (request.agentId !== undefined) {
    const teams = [...new Set(plans.map((plan) => plan.to.teamId))];
    const memberOf = await trx
      .selectFrom('team_members')
      .innerJoin('agents', 'agents.id', 'team_members.agent_id')
      .select('team_members.team_id')
      .where('team_members.agent_id', '=', request.agentId)
      .where('agents.status', '=', 'active')
      .where('team_members.team_id', 'in', teams)
      .execute();
    const outside = plans.filter((plan) => !memberOf.some((row) => row.team_id === plan.to.teamId)).map((plan) => plan.conversation.id);
    if (outside.length > 0)
      throw new CodedError(
        'transfer_agent_not_in_team',
        `Agent ${request.agentId} is not an active member of the team of conversation${outside.length === 1 ? '' : 's'} ${outside.join(', ')}: nothing was moved.`,
        { agentId: request.agentId, conversationIds: outside },
      );
  }
  const moved: number[] = [];
  const unchanged: number[] = [];
  const done: Array<{ from: number | null; to: Destination }> = [];
  for (const { conversation, to } of plans) {
    if (conversation.assigned_agent_id === to.agentId && conversation.team_id === to.teamId) {
      unchanged.push(conversation.id);
      continue;
    }
    await move(trx, { conversation, to, note: request.note, actor, event: 'conversation.reassigned', now });
    moved.push(conversation.id);
    done.push({ from: conversation.assigned_agent_id, to });
  }
  return { moved, unchanged, refill: refillOf(done) };
}
