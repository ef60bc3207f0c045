/**
 * A contact's history on a business number spans their conversations there (a customer writing
 * after a resolution starts a new one). Who may read an earlier one is the need-to-know rule's
 * named exception (maySeeContactHistory in common/api/conversation-access.ts), judged here against
 * the contact's current conversation, the latest on that number. Reading paths only: lists of
 * earlier conversations, a conversation by id, its messages, its history, its files.
 */
import type { Kysely } from 'kysely';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import { maySeeContactHistory, maySeeConversation } from '../../common/api/conversation-access.js';
import type { InboxDatabase } from '../store/schema.js';

export interface ContactConversation {
  readonly id: number;
  readonly assignedAgentId: number | null;
  readonly teamId: number | null;
  readonly contactId: number;
  readonly phoneNumberId: string;
}

/** The contact's current conversation on the number, and whether the viewer may read the earlier ones through it. */
export async function contactHistoryAccess(
  db: Kysely<InboxDatabase>,
  viewer: ConversationViewer,
  contactId: number,
  phoneNumberId: string,
): Promise<{ readonly currentId: number | null; readonly readable: boolean }> {
  const current = await db
    .selectFrom('conversations')
    .select(['id', 'assigned_agent_id', 'team_id'])
    .where('contact_id', '=', contactId)
    .where('business_phone_number_id', '=', phoneNumberId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (current === undefined) return { currentId: null, readable: false };
  return { currentId: current.id, readable: maySeeContactHistory(viewer, { assignedAgentId: current.assigned_agent_id, teamId: current.team_id }) };
}

/** Whether the viewer may read the conversation: by the rule, or as an earlier conversation of a contact whose current one they may see. */
export async function mayReadConversation(db: Kysely<InboxDatabase>, viewer: ConversationViewer, conversation: ContactConversation): Promise<boolean> {
  if (maySeeConversation(viewer, conversation)) return true;
  const history = await contactHistoryAccess(db, viewer, conversation.contactId, conversation.phoneNumberId);
  return history.readable && history.currentId !== conversation.id;
}
