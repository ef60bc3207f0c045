/**
 * The server's questions of the need-to-know rule (common/api/conversation-access.ts): is a
 * conversation one this viewer may see (else it is "not found", never "forbidden", which would
 * tell it exists), which agents may see it, and the rule as a WHERE clause for the store's lists.
 * Asked by every route that names a conversation, so the rule is applied in one way wherever a
 * conversation is reached by id, and the store answers exactly what the rule says.
 */
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import { sql } from 'kysely';
import type { ConversationPlace, ConversationViewer } from '../../common/api/conversation-access.js';
import { maySeeConversation, visibilityOf } from '../../common/api/conversation-access.js';
import type { ConversationSummary } from '../../common/api/inbox.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { rolesOf } from '../store/agent-roles.js';
import type { InboxDatabase } from '../store/schema.js';
import { NO_TEAMS, teamScopesOf } from '../sessions/team-scope.js';
import type { InboxViews } from './inbox-views.js';

export const conversationNotFound = (id: number) => new CodedError('conversation_not_found', `There is no conversation ${id} you may see.`);

/** The conversation, if this viewer may see it; `conversation_not_found` otherwise. */
export async function visibleConversation(views: InboxViews, viewer: ConversationViewer, id: number): Promise<ConversationSummary> {
  const conversation = await views.conversation(id);
  if (conversation === undefined || !maySeeConversation(viewer, conversation)) throw conversationNotFound(id);
  return conversation;
}

/** An active agent, as the rule and a note see them. */
export interface AgentWhoMaySee extends ConversationViewer {
  readonly username: string;
  readonly displayName: string;
}

/** The active agents who may see the conversation (by their roles and teams now), by username. */
export async function agentsWhoMaySee(db: Kysely<InboxDatabase>, conversation: ConversationPlace): Promise<AgentWhoMaySee[]> {
  const agents = await db.selectFrom('agents').select(['id', 'username', 'display_name', 'roles']).where('status', '=', 'active').orderBy('username').execute();
  const scopes = await teamScopesOf(
    db,
    agents.map((agent) => agent.id),
  );
  return agents
    .map((agent) => ({
      agentId: agent.id,
      roles: rolesOf(agent.roles),
      ...(scopes.get(agent.id) ?? NO_TEAMS),
      username: agent.username,
      displayName: agent.display_name,
    }))
    .filter((agent) => maySeeConversation(agent, conversation));
}

/** The rule as a WHERE clause on `conversations`, built from the rule's own sets (`visibilityOf`). */
export function visibleTo(viewer: ConversationViewer) {
  const visibility = visibilityOf(viewer);
  return (eb: ExpressionBuilder<InboxDatabase, 'conversations'>): Expression<SqlBool> => {
    if (visibility === undefined) return sql<SqlBool>`1 = 0`;
    const either: Array<Expression<SqlBool>> = [eb('conversations.assigned_agent_id', '=', visibility.assignedTo)];
    if (visibility.teams.length > 0) either.push(eb('conversations.team_id', 'in', [...visibility.teams]));
    if (visibility.queuesOf.length > 0)
      either.push(eb.and([eb('conversations.assigned_agent_id', 'is', null), eb('conversations.team_id', 'in', [...visibility.queuesOf])]));
    return eb.or(either);
  };
}
