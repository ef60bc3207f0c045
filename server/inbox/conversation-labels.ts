/**
 * The labels each conversation carries, for its summary: those that are global or of its team
 * now (a team's label stays on a conversation that moved to another team, unseen, and shows
 * again if it comes back), by name.
 */
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { ConversationLabel } from '../../common/api/replies.js';
import { LabelColor } from '../../common/api/replies.js';
import type { InboxDatabase } from '../store/schema.js';

export async function labelsOfConversations(db: Kysely<InboxDatabase>, conversationIds: readonly number[]): Promise<Map<number, ConversationLabel[]>> {
  const labels = new Map<number, ConversationLabel[]>();
  if (conversationIds.length === 0) return labels;
  const rows = await db
    .selectFrom('conversation_labels')
    .innerJoin('labels', 'labels.id', 'conversation_labels.label_id')
    .innerJoin('conversations', 'conversations.id', 'conversation_labels.conversation_id')
    .select(['conversation_labels.conversation_id', 'labels.id', 'labels.name', 'labels.color'])
    .where('conversation_labels.conversation_id', 'in', [...new Set(conversationIds)])
    .where((eb) => eb.or([eb('labels.team_id', 'is', null), eb('labels.team_id', '=', eb.ref('conversations.team_id'))]))
    .orderBy('labels.name_key')
    .orderBy('labels.id')
    .execute();
  for (const row of rows) {
    const list = labels.get(row.conversation_id) ?? [];
    list.push({ id: row.id, name: row.name, color: LabelColor.catch('grey').parse(row.color) });
    labels.set(row.conversation_id, list);
  }
  return labels;
}

/** A list's filter: the conversation carries the label (and the label is global or of its team, as its summary shows). */
export function carriesLabel(labelId: number) {
  return (eb: ExpressionBuilder<InboxDatabase, 'conversations'>) =>
    eb.exists(
      eb
        .selectFrom('conversation_labels')
        .innerJoin('labels', 'labels.id', 'conversation_labels.label_id')
        .select('conversation_labels.label_id')
        .whereRef('conversation_labels.conversation_id', '=', 'conversations.id')
        .where('conversation_labels.label_id', '=', labelId)
        .where((inner) => inner.or([inner('labels.team_id', 'is', null), inner('labels.team_id', '=', inner.ref('conversations.team_id'))])),
    );
}
