/**
 * Which agent of a team holds a conversation (issue 12): store work, run inside the caller's
 * transaction under the routing lock (routing-lock.ts).
 *
 * A team's queue is its open conversations assigned to nobody, oldest first (`queued_at`, since
 * when each waits there: server/inbox/queue-wait.ts). Filling a team gives the queue's conversations, in order, to
 * its online members with room: the one who resolved the contact's previous conversation if they
 * are such a member, else the member holding fewest, the least recently given one among equals.
 * An agent's room in a team is that membership's capacity less every conversation they hold, of
 * any team (agent-load.ts's count: open and pending ones): one person's hands, whichever teams
 * their conversations came from. It stops when the queue is empty or nobody has room: the queue is
 * then what waits, until room appears and the team is filled again.
 *
 * A conversation taken from an agent into the queue (they unassigned it, or a supervisor took it
 * from them: `declined_by_agent_id`) is not given back to that agent: routing passes them over for
 * it, so it goes to another member with room or waits for one; the agent may still claim it. Any
 * assignment clears the mark.
 */
import { sql } from 'kysely';
import { openConversationsOfAgents, STATES_HELD_AGAINST_CAPACITY } from '../inbox/agent-load.js';
import { assignmentChange, recordHistory } from '../inbox/conversation-history.js';
import { claimUnassigned } from '../inbox/claim-unassigned.js';
import { queuedAtExpression } from '../inbox/queue-wait.js';
import type { HistoryChange } from '../inbox/conversation-history.js';
import type { Assigned } from '../inbox/team-filling.js';
import type { StoreTransaction } from '../store/group-commit.js';
import { takeRoutingLock } from './routing-lock.js';

/** Who may take new conversations now (connected, not locked, available): `OnlineAgents` answers it. */
export interface WhoIsOnline {
  onlineAmong(agentIds: Iterable<number>): number[];
}

/** How many queued conversations one fill reads at most; a longer queue gets its rest at the next fill. */
const FILL_BATCH = 200;

/** Routing gave the conversation to `agentId`, or put it back in the queue (null). */
export function routedTo(conversationId: number, agentId: number | null, at: number): HistoryChange {
  return assignmentChange(conversationId, { agentId, actorAgentId: null, cause: 'routing' }, at);
}

interface Member {
  readonly agentId: number;
  readonly capacity: number;
  held: number;
  lastAssignedAt: number;
}

async function membersWithRoom(trx: StoreTransaction, teamId: number, online: WhoIsOnline): Promise<Member[]> {
  const rows = await trx.selectFrom('team_members').select(['agent_id', 'capacity', 'last_assigned_at']).where('team_id', '=', teamId).execute();
  const here = new Set(online.onlineAmong(rows.filter((row) => row.capacity > 0).map((row) => row.agent_id)));
  const members = rows.filter((row) => here.has(row.agent_id));
  if (members.length === 0) return [];
  const heldBy = await openConversationsOfAgents(
    trx,
    members.map((row) => row.agent_id),
  );
  return members
    .map((row) => ({ agentId: row.agent_id, capacity: row.capacity, held: heldBy.get(row.agent_id) ?? 0, lastAssignedAt: row.last_assigned_at ?? -1 }))
    .filter((member) => member.held < member.capacity);
}

/** Fewest held, then least recently given one, then the lower id (a fixed order for a tie of everything); never `passedOver`. */
function nextInTurn(members: readonly Member[], passedOver: number | null): Member | undefined {
  let best: Member | undefined;
  for (const member of members) {
    if (member.held >= member.capacity || member.agentId === passedOver) continue;
    if (
      best === undefined ||
      member.held < best.held ||
      (member.held === best.held &&
        (member.lastAssignedAt < best.lastAssignedAt || (member.lastAssignedAt === best.lastAssignedAt && member.agentId < best.agentId)))
    )
      best = member;
  }
  return best;
}

/**
 * The queue's next conversations, oldest first, at most `limit`. When one member alone has room,
 * those taken from that member are left out: nobody could be given them now.
 */
function queuedFor(trx: StoreTransaction, teamId: number, withRoom: readonly Member[], limit: number) {
  let query = trx
    .selectFrom('conversations')
    .select(['id', 'previous_resolved_by_agent_id', 'declined_by_agent_id'])
    .where('team_id', '=', teamId)
    .where('assigned_agent_id', 'is', null)
    .where('state', '=', sql.lit('open'))
    // A group's conversation is never given to an agent (docs/safety-rules.md, "Groups").
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('contacts').select('contacts.id').whereRef('contacts.id', '=', 'conversations.contact_id').where('contacts.group_id', 'is not', null),
        ),
      ),
    );
  const [only] = withRoom;
  if (withRoom.length === 1 && only !== undefined)
    query = query.where((eb) => eb.or([eb('declined_by_agent_id', 'is', null), eb('declined_by_agent_id', '<>', only.agentId)]));
  return query.orderBy('queued_at').orderBy('id').limit(limit).execute();
}

/**
 * Gives team `teamId`'s queued conversations, oldest first, to its online members with room, and
 * answers who got which. Each assignment is the conversation's `assignment` feed event (the
 * store's trigger) and a history line ("assigned to Anna by routing").
 *
 * A conversation whose only member with room is the one it was taken from is passed over, and
 * the ones behind it still read: by then one member alone has room, so a second read, leaving out
 * what was taken from them, finds what they may be given (one more read at most).
 */
export async function fillTeam(trx: StoreTransaction, teamId: number, online: WhoIsOnline, now: number): Promise<Assigned[]> {
  await takeRoutingLock(trx);
  // Who has room first: most fills (one per new conversation on the webhook path) find nobody, and then read no queue.
  const members = await membersWithRoom(trx, teamId, online);
  const assigned: Assigned[] = [];
  // At most two reads: after a pass-over one member alone has room, and the second read passes over nothing.
  for (let reads = 0; reads < 2; reads += 1) {
    const withRoom = members.filter((member) => member.held < member.capacity);
    const room = withRoom.reduce((sum, member) => sum + member.capacity - member.held, 0);
    if (room === 0) return assigned;
    const queued = await queuedFor(trx, teamId, withRoom, Math.min(room, FILL_BATCH));
    let passedOver = false;
    for (const conversation of queued) {
      const declined = conversation.declined_by_agent_id;
      const previous = members.find(
        (member) => member.agentId === conversation.previous_resolved_by_agent_id && member.agentId !== declined && member.held < member.capacity,
      );
      const member = previous ?? nextInTurn(members, declined);
      if (member === undefined) {
        // Only the member it was taken from has room (anyone else full would have ended the fill).
        passedOver = declined !== null && members.some((other) => other.agentId === declined && other.held < other.capacity);
        if (passedOver) continue;
        return assigned;
      }
      if (!(await giveTo(trx, conversation.id, member, teamId, now))) continue;
      assigned.push({ conversationId: conversation.id, agentId: member.agentId, teamId });
    }
    // A full read without a pass-over left nothing for these members, or was a batch (the rest at the next fill).
    if (!passedOver) return assigned;
  }
  return assigned;
}

/** One queued conversation to `member` (false: someone took it meanwhile), clearing whom it was taken from. */
async function giveTo(trx: StoreTransaction, conversationId: number, member: Member, teamId: number, now: number): Promise<boolean> {
  if (!(await claimUnassigned(trx, conversationId, member.agentId, now))) return false;
  await trx.updateTable('team_members').set({ last_assigned_at: now }).where('team_id', '=', teamId).where('agent_id', '=', member.agentId).execute();
  await recordHistory(trx, routedTo(conversationId, member.agentId, now));
  member.held += 1;
  member.lastAssignedAt = now;
  return true;
}

/** Room appeared for `agentId` (they freed a place, came online, were given more): each of their teams is filled, in id order. */
export async function fillRoomOf(trx: StoreTransaction, agentId: number, online: WhoIsOnline, now: number): Promise<Assigned[]> {
  const teams = await trx.selectFrom('team_members').select('team_id').where('agent_id', '=', agentId).orderBy('team_id').execute();
  const assigned: Assigned[] = [];
  for (const { team_id } of teams) assigned.push(...(await fillTeam(trx, team_id, online, now)));
  return assigned;
}

/** The teams with someone waiting in their queue (the sweep's list). */
export async function teamsWithQueue(trx: StoreTransaction): Promise<number[]> {
  const rows = await trx
    .selectFrom('conversations')
    .select('team_id')
    .distinct()
    .where('assigned_agent_id', 'is', null)
    .where('state', '=', sql.lit('open'))
    .where('team_id', 'is not', null)
    .execute();
  return rows.flatMap((row) => (row.team_id === null ? [] : [row.team_id])).sort((a, b) => a - b);
}

/**
 * `agentId` was offline too long for team `teamId`: the conversations of that team they hold (open
 * or pending) go back to its queue, waiting from now (`queued_at`), each with a history line; the
 * team is then filled again among those online. Answers how many went back.
 */
export async function requeueOfflineMember(trx: StoreTransaction, agentId: number, teamId: number, online: WhoIsOnline, now: number): Promise<number> {
  await takeRoutingLock(trx);
  const theirs = await trx
    .updateTable('conversations')
    .set((eb) => ({ assigned_agent_id: null, assigned_at: null, queued_at: queuedAtExpression(eb, { assigned_agent_id: null }, now) }))
    .where('team_id', '=', teamId)
    .where('assigned_agent_id', '=', agentId)
    .where('state', 'in', [...STATES_HELD_AGAINST_CAPACITY])
    .returning('id')
    .execute();
  for (const { id } of theirs) await recordHistory(trx, routedTo(id, null, now));
  if (theirs.length > 0) await fillTeam(trx, teamId, online, now);
  return theirs.length;
}
