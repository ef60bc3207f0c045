/** The cache's conversation lists: a page of the conversations a viewer may see, by filter, state, number and label, in the list's order. */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { ConversationState } from '../../common/api/conversation-lifecycle.js';
import type { ConversationFilter, ConversationPage } from '../../common/api/inbox.js';
import { ConversationSummary as ConversationSchema } from '../../common/api/inbox.js';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import { decodePageCursor, encodePageCursor } from '../../common/api/page-cursor.js';
import { conversationOrder, NOT_WAITING } from '../../common/api/conversation-order.js';
import { visibleCondition } from './cache-view.js';

/** Each order's SQL (common/api/conversation-order.ts): the time a list is sorted by, and which way. */
const LIST_ORDER = {
  newest_first: { by: 'last_message_at', after: '<', direction: 'desc' },
  oldest_waiting_first: { by: `coalesce(queued_since, ${NOT_WAITING})`, after: '>', direction: 'asc' },
} as const;

/** `number`: only the conversations of that business number; `state`: only those in that state (undefined: any); `label`: only those carrying it. */
export function listCachedConversations(
  db: Database.Database,
  viewer: ConversationViewer,
  filter: ConversationFilter,
  cursor: string | undefined,
  limit: number,
  number?: string,
  state?: ConversationState,
  label?: number,
): ConversationPage {
  const where: string[] = ['last_message_at is not null', visibleCondition(viewer, 'conversations')];
  const params: Record<string, number | string> = { limit: limit + 1, agentId: viewer.agentId };
  if (number !== undefined) {
    where.push('business_phone_number_id = @number');
    params.number = number;
  }
  if (state !== undefined) {
    where.push('state = @state');
    params.state = state;
  }
  if (label !== undefined) {
    where.push(`exists (select 1 from json_each(summary_json, '$.labels') as carried where carried.value ->> '$.id' = @label)`);
    params.label = label;
  }
  if (filter === 'mine') where.push('assigned_agent_id = @agentId');
  else if (filter === 'unassigned') where.push('assigned_agent_id is null');
  const order = state === undefined ? 'newest_first' : conversationOrder(filter, state);
  const { by, after, direction } = LIST_ORDER[order];
  const position = cursor === undefined ? undefined : decodePageCursor(cursor);
  if (cursor !== undefined && position === undefined) return { items: [], nextCursor: null };
  if (position !== undefined) {
    where.push(`(${by} ${after} @at or (${by} = @at and id ${after} @id))`);
    params.at = position[0];
    params.id = position[1];
  }
  const rows = db
    .prepare<Record<string, number | string>, { id: number; at: number; summary_json: string }>(
      `select id, ${by} as at, summary_json from conversations where ${where.join(' and ')} order by ${by} ${direction}, id ${direction} limit @limit`,
    )
    .all(params);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => ConversationSchema.parse(JSON.parse(row.summary_json))),
    nextCursor: rows.length > limit && last !== undefined ? encodePageCursor([last.at, last.id]) : null,
  };
}
