/**
 * The view the cache holds (InboxCache.followView): whose conversations it keeps, as the server
 * last said, stored in the cache so a restart keeps judging by it; and the visibility rule
 * (common/api/conversation-access.ts) as a WHERE condition on cached conversations, from the
 * rule's own sets, so every cached list, search and lookup answers what the rule says.
 */
import { visibilityOf } from '../../common/api/conversation-access.js';
import type { ConversationViewer } from '../../common/api/conversation-access.js';

/** The sync_state key the view is kept under. */
export const VIEWER_KEY = 'viewer';

/**
 * The rule as a WHERE condition on the cached conversations (`alias`); the ids are whole
 * numbers, written inline.
 */
export function visibleCondition(viewer: ConversationViewer, alias: string): string {
  const visibility = visibilityOf(viewer);
  if (visibility === undefined) return '0';
  const ids = (list: readonly number[]) => list.map((id) => String(Math.trunc(id))).join(', ');
  const either = [`${alias}.assigned_agent_id = ${Math.trunc(visibility.assignedTo)}`];
  if (visibility.teams.length > 0) either.push(`${alias}.team_id in (${ids(visibility.teams)})`);
  if (visibility.queuesOf.length > 0) either.push(`(${alias}.assigned_agent_id is null and ${alias}.team_id in (${ids(visibility.queuesOf)}))`);
  return `(${either.join(' or ')})`;
}

export function viewerRecord(viewer: ConversationViewer): ConversationViewer {
  return { agentId: viewer.agentId, roles: [...viewer.roles], memberOf: [...viewer.memberOf], supervises: [...viewer.supervises] };
}

/** The view kept by followView; anything unreadable is no view (the next followView sets one). */
export function storedViewer(value: string | undefined): ConversationViewer | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as Partial<ConversationViewer>;
    const ids = (list: unknown) => Array.isArray(list) && list.every((id) => Number.isInteger(id));
    if (typeof parsed.agentId !== 'number' || !Array.isArray(parsed.roles) || !ids(parsed.memberOf) || !ids(parsed.supervises)) return undefined;
    return viewerRecord(parsed as ConversationViewer);
  } catch {
    return undefined;
  }
}
