/**
 * The server's questions of the need-to-know rule (common/api/conversation-access.ts) about one
 * conversation: is it one this viewer may see (else it is "not found", never "forbidden", which
 * would tell it exists), and which agents may see it. Asked by every route that names a
 * conversation, so the rule is applied in one way wherever a conversation is reached by id.
 */
import type { Kysely } from 'kysely';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import { maySeeConversation } from '../../common/api/conversation-access.js';
import type { ConversationSummary } from '../../common/api/inbox.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { InboxDatabase } from '../store/schema.js';
import type { InboxViews } from './inbox-views.js';

export const conversationNotFound = (id: number) => new CodedError('conversation_not_found', `There is no conversation ${id} you may see.`);

/** Whether the viewer may see the conversation as it stands. */
export function viewerMaySee(viewer: ConversationViewer, conversation: Pick<ConversationSummary, 'assignedAgentId'>): boolean {
  return maySeeConversation(viewer, conversation.assignedAgentId);
}

/** The conversation, if this viewer may see it; `conversation_not_found` otherwise. */
export async function visibleConversation(views: InboxViews, viewer: ConversationViewer, id: number): Promise<ConversationSummary> {
  const conversation = await views.conversation(id);
  if (conversation === undefined || !viewerMaySee(viewer, conversation)) throw conversationNotFound(id);
  return conversation;
}

/** An active agent, as the rule and a note see them. */
export interface AgentWhoMaySee extends ConversationViewer {
  readonly username: string;
  readonly displayName: string;
}

/** The active agents who may see the conversation, by username. */
export async function agentsWhoMaySee(db: Kysely<InboxDatabase>, conversation: Pick<ConversationSummary, 'assignedAgentId'>): Promise<AgentWhoMaySee[]> {
  const agents = await db.selectFrom('agents').select(['id', 'username', 'display_name', 'role']).where('status', '=', 'active').orderBy('username').execute();
  return agents
    .map((agent) => ({ agentId: agent.id, role: agent.role, username: agent.username, displayName: agent.display_name }))
    .filter((agent) => viewerMaySee(agent, conversation));
}
