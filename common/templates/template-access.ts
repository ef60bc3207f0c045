/**
 * Who may use a business account's templates, and so hears that one changed: whoever reads
 * conversations and may see a conversation placed where that account's numbers put theirs (a
 * number's default team's queue, and where its conversations are now). Judged by the one rule of
 * common/api/conversation-access.ts over those places, so it never widens what that rule gives.
 */
import type { ConversationPlace, ConversationViewer } from '../api/conversation-access.js';
import { maySeeConversation } from '../api/conversation-access.js';

export function mayUseTemplatesOf(viewer: ConversationViewer, placesOfAccount: readonly ConversationPlace[]): boolean {
  return placesOfAccount.some((place) => maySeeConversation(viewer, place));
}

/** Admins and supervisors read every template's status, category and quality (no customer data in them). */
export function mayReviewTemplates(viewer: Pick<ConversationViewer, 'roles'>): boolean {
  return viewer.roles.includes('admin') || viewer.roles.includes('supervisor');
}
