/**
 * Who may see which conversation, the same rule on the server (API, event feed) and in the
 * desktop client's cache: agents see their own and unassigned ones; supervisors and admins all.
 */
import type { Role } from './session.js';

export interface ConversationViewer {
  readonly agentId: number;
  readonly role: Role;
}

export function seesEveryConversation(viewer: Pick<ConversationViewer, 'role'>): boolean {
  return viewer.role === 'supervisor' || viewer.role === 'admin';
}

export function maySeeConversation(viewer: ConversationViewer, assignedAgentId: number | null): boolean {
  return seesEveryConversation(viewer) || assignedAgentId === null || assignedAgentId === viewer.agentId;
}

/**
 * The one exception to the rule above, by name so it is found: a contact's history spans their
 * conversations on a business number (a customer writing after a resolution starts a new one),
 * so whoever may see the contact's current conversation (the latest on that number) may also
 * see the earlier ones, and their messages and files, whoever those were assigned to. It only
 * widens what the rule gives: an earlier conversation stays visible to whoever the rule lets see
 * it on its own. Reading only: nothing is sent, resolved or reopened through it.
 */
export function maySeeContactHistory(viewer: ConversationViewer, current: Parameters<typeof maySeeConversation>[1]): boolean {
  return maySeeConversation(viewer, current);
}

/**
 * Names the set of conversations a viewer may see: two viewers with the same view see exactly the
 * same ones, so what the event feed sends them can be built once (the server serializes each
 * delivery once per view). Kept beside the rule so a change of the rule changes the views too.
 */
export function conversationViewOf(viewer: ConversationViewer): string {
  return seesEveryConversation(viewer) ? 'all' : `agent:${viewer.agentId}`;
}
