/**
 * Who may see which conversation, the one rule of the server (API, event feed, media, sends) and
 * of the desktop client's cache. A conversation belongs to one team at a time. An agent sees the
 * conversations assigned to them and the unassigned ones waiting in the queues of the teams they
 * are a member of; a supervisor sees every conversation of the teams they supervise; nobody else
 * sees any. Only `agent` and `supervisor` read conversations: `admin` alone reads none.
 *
 * The rule is also given as data (`visibilityOf`), so the store and the cache filter in SQL with
 * exactly what `maySeeConversation` decides in code.
 */
import type { Role } from './session.js';

export interface ConversationViewer {
  readonly agentId: number;
  readonly roles: readonly Role[];
  /** Teams the viewer is a member of: their queues. */
  readonly memberOf: readonly number[];
  /** Teams the viewer supervises: all of their conversations (for a viewer holding `supervisor`). */
  readonly supervises: readonly number[];
}

/** What a conversation's visibility is judged on. */
export interface ConversationPlace {
  readonly assignedAgentId: number | null;
  readonly teamId: number | null;
}

/**
 * What a viewer sees, as sets: the conversations assigned to `assignedTo`, the unassigned ones of
 * the teams in `queuesOf`, and every one of the teams in `teams`. Lists are sorted and disjoint.
 */
export interface ConversationVisibility {
  readonly assignedTo: number;
  readonly queuesOf: readonly number[];
  readonly teams: readonly number[];
}

/** Whether the viewer's roles let them read customer conversations at all. */
export function readsConversations(viewer: Pick<ConversationViewer, 'roles'>): boolean {
  return viewer.roles.includes('agent') || viewer.roles.includes('supervisor');
}

const sortedUnique = (ids: Iterable<number>) => [...new Set(ids)].sort((a, b) => a - b);

/** The viewer's view as sets; undefined: they see no conversation. */
export function visibilityOf(viewer: ConversationViewer): ConversationVisibility | undefined {
  if (!readsConversations(viewer)) return undefined;
  const teams = viewer.roles.includes('supervisor') ? sortedUnique(viewer.supervises) : [];
  const queuesOf = sortedUnique(viewer.memberOf).filter((team) => !teams.includes(team));
  return { assignedTo: viewer.agentId, queuesOf, teams };
}

/** Whether the viewer supervises the team (holds `supervisor` and supervises it). */
export function supervisesTeam(viewer: ConversationViewer, teamId: number | null): boolean {
  return teamId !== null && viewer.roles.includes('supervisor') && viewer.supervises.includes(teamId);
}

export function visibleIn(visibility: ConversationVisibility | undefined, place: ConversationPlace): boolean {
  if (visibility === undefined) return false;
  if (place.assignedAgentId === visibility.assignedTo) return true;
  if (place.teamId === null) return false;
  if (visibility.teams.includes(place.teamId)) return true;
  return place.assignedAgentId === null && visibility.queuesOf.includes(place.teamId);
}

export function maySeeConversation(viewer: ConversationViewer, place: ConversationPlace): boolean {
  return visibleIn(visibilityOf(viewer), place);
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
  const visibility = visibilityOf(viewer);
  if (visibility === undefined) return 'none';
  return `agent:${visibility.assignedTo};queues:${visibility.queuesOf.join(',')};teams:${visibility.teams.join(',')}`;
}
