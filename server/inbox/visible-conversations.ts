/**
 * The visibility rule (common/api/conversation-access.ts) as a WHERE clause on `conversations`:
 * built from the rule's own sets (`visibilityOf`), so the store answers exactly what the rule says.
 */
import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';
import { sql } from 'kysely';
import { visibilityOf } from '../../common/api/conversation-access.js';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import type { InboxDatabase } from '../store/schema.js';

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
