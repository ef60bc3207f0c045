/**
 * Hand-over as the client API offers it: transfer, claim, unassign, a supervisor's bulk
 * reassignment, and whom a conversation may be transferred to. Every call first asks the
 * need-to-know rule: a conversation the caller may not see is "not found", exactly as a missing
 * one, and nothing changes. The moves themselves are handover-moves.ts and bulk-reassign.ts.
 */
import type { Kysely } from 'kysely';
import type { BulkReassignBody, BulkReassigned, HandedOver, TransferBody, TransferTargets } from '../../common/api/handover.js';
import { maySeeConversation, readsConversations } from '../../common/api/conversation-access.js';
import { agentActor } from '../audit/actor.js';
import { openConversationsOfAgents } from '../inbox/agent-load.js';
import type { InboxViews } from '../inbox/inbox-views.js';
import { visibleConversation } from '../inbox/visible-conversation.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import { rolesOf } from '../store/agent-roles.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import type { TeamFilling } from '../inbox/team-filling.js';
import type { StoreTransaction } from '../store/group-commit.js';
import { bulkReassign } from './bulk-reassign.js';
import type { Refill } from './handover-moves.js';
import { claim, transfer, unassign } from './handover-moves.js';

export interface HandoverServiceDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly views: InboxViews;
  readonly now: () => number;
  /** Routing, to fill in each move's transaction the queue a conversation went to and the room its agent left (none: they wait for the sweep). */
  readonly routing?: TeamFilling;
}

export class HandoverService {
  readonly #deps: HandoverServiceDeps;

  constructor(deps: HandoverServiceDeps) {
    this.#deps = deps;
  }

  async transfer(principal: SessionPrincipal, conversationId: number, body: TransferBody, sourceAddress: string | null): Promise<HandedOver> {
    const actor = { ...agentActor(principal, sourceAddress), agentId: principal.agentId };
    await this.#deps.committer.submit(async (trx) => {
      const now = this.#deps.now();
      await this.#fill(trx, await transfer(trx, principal, actor, { conversationId, agentId: body.agentId, teamId: body.teamId, note: body.note }, now), now);
    });
    return this.#answer(principal, conversationId);
  }

  async claim(principal: SessionPrincipal, conversationId: number, sourceAddress: string | null): Promise<HandedOver> {
    const actor = { ...agentActor(principal, sourceAddress), agentId: principal.agentId };
    await this.#deps.committer.submit((trx) => claim(trx, principal, actor, conversationId, this.#deps.now()));
    return this.#answer(principal, conversationId);
  }

  async unassign(principal: SessionPrincipal, conversationId: number, fromAgentId: number, sourceAddress: string | null): Promise<HandedOver> {
    const actor = { ...agentActor(principal, sourceAddress), agentId: principal.agentId };
    await this.#deps.committer.submit(async (trx) => {
      const now = this.#deps.now();
      await this.#fill(trx, await unassign(trx, principal, actor, { conversationId, fromAgentId }, now), now);
    });
    return this.#answer(principal, conversationId);
  }

  async bulkReassign(principal: SessionPrincipal, body: BulkReassignBody, sourceAddress: string | null): Promise<BulkReassigned> {
    const actor = { ...agentActor(principal, sourceAddress), agentId: principal.agentId };
    return this.#deps.committer.submit(async (trx) => {
      const now = this.#deps.now();
      const { moved, unchanged, refill } = await bulkReassign(trx, principal, actor, body, now);
      await this.#fill(trx, refill, now);
      return { moved, unchanged };
    });
  }

  async #fill(trx: StoreTransaction, refill: Refill, now: number): Promise<void> {
    const { routing } = this.#deps;
    if (routing === undefined) return;
    for (const teamId of refill.teams) await routing.fillTeam(trx, teamId, now);
    for (const agentId of refill.agents) await routing.fillRoomOf(trx, agentId, now);
  }

  /** Every team with its active members who read conversations, and whether each is full in that team. */
  async targets(principal: SessionPrincipal, conversationId: number): Promise<TransferTargets> {
    const conversation = await visibleConversation(this.#deps.views, principal, conversationId);
    const { db } = this.#deps;
    const [teams, members] = await Promise.all([
      db.selectFrom('teams').select(['id', 'name']).orderBy('name').execute(),
      db
        .selectFrom('team_members')
        .innerJoin('agents', 'agents.id', 'team_members.agent_id')
        .select(['team_members.team_id', 'team_members.capacity', 'agents.id', 'agents.username', 'agents.display_name', 'agents.roles'])
        .where('agents.status', '=', 'active')
        .orderBy('agents.display_name')
        .execute(),
    ]);
    const loadOf = await openConversationsOfAgents(db, [...new Set(members.map((member) => member.id))]);
    return {
      teams: teams.map((team) => ({
        teamId: team.id,
        name: team.name,
        current: team.id === conversation.teamId,
        members: members
          .filter((member) => member.team_id === team.id && readsConversations({ roles: rolesOf(member.roles) }))
          .map((member) => ({
            agentId: member.id,
            username: member.username,
            displayName: member.display_name,
            full: (loadOf.get(member.id) ?? 0) >= member.capacity,
          })),
      })),
    };
  }

  /** The conversation as the caller may see it now: null when it left their view. */
  async #answer(principal: SessionPrincipal, conversationId: number): Promise<HandedOver> {
    const conversation = await this.#deps.views.conversation(conversationId);
    return { conversationId, conversation: conversation !== undefined && maySeeConversation(principal, conversation) ? conversation : null };
  }
}
