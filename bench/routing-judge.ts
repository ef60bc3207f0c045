/**
 * What bench:routing reads from the store after its run: each assignment judged against the
 * assignee's capacity at that moment, by replaying the conversations' history in commit order
 * (history ids: a fill runs under the routing lock, and a resolution it counted committed before
 * it, so has a lower id), from what the seeded agents held when the run began; and which of the
 * run's webhooks never became a conversation that was assigned or waits in a queue.
 */
import { openDatabase } from '../server/store/open-database.js';

const HELD_STATES = new Set(['open', 'pending']);
const CHUNK = 500;

export interface RoutingJudgement {
  /** Assignments to an agent made during the run, each judged. */
  readonly judged: number;
  /** Of them, those that left the assignee at or under their capacity. */
  readonly within: number;
  /** The run's conversations assigned to someone at least once, and of them those assigned in the transaction that made them. */
  readonly assignedInRun: number;
  readonly assignedOnArrival: ReadonlySet<string>;
  /** Waiting in a queue when the run ended. */
  readonly queuedAtEnd: number;
  /** Webhooks acknowledged whose customer has no conversation that was assigned or is queued. */
  readonly neverSeen: number;
  /** Conversations the bench resolved (state lines to resolved). */
  readonly resolved: number;
  /** Free places at the end in teams that still have a queue: routing left room unused (must be 0; every member was online). */
  readonly idleRoom: number;
}

interface Standing {
  holder: number | null;
  state: string;
}

export async function judgeRouting(
  dataDir: string,
  databaseUrl: string | undefined,
  startedAt: number,
  ackedWaIds: readonly string[],
): Promise<RoutingJudgement> {
  const store = await openDatabase(dataDir, databaseUrl);
  try {
    const { db } = store;
    const members = await db.selectFrom('team_members').select(['team_id', 'agent_id', 'capacity']).execute();
    const capacities = new Map(members.map((row) => [row.agent_id, row.capacity]));
    const conversations = await db
      .selectFrom('conversations')
      .select(['id', 'assigned_agent_id', 'created_at', 'queued_at', 'contact_id', 'team_id'])
      .execute();
    const standing = new Map<number, Standing>();
    const heldBy = new Map<number, number>();
    const hold = (agentId: number | null, by: number) => {
      if (agentId !== null) heldBy.set(agentId, (heldBy.get(agentId) ?? 0) + by);
    };
    const createdAt = new Map<number, number>();
    for (const row of conversations) {
      createdAt.set(row.id, Number(row.created_at));
      // The seeded ones were held and open when the run began; the run's began open and unassigned.
      const seeded = Number(row.created_at) < startedAt;
      standing.set(row.id, { holder: seeded ? row.assigned_agent_id : null, state: 'open' });
      if (seeded) hold(row.assigned_agent_id, 1);
    }
    const lines = await db
      .selectFrom('conversation_history')
      .select(['id', 'conversation_id', 'kind', 'assigned_agent_id', 'state', 'at'])
      .orderBy('id')
      .execute();
    let judged = 0;
    let within = 0;
    let resolved = 0;
    const everAssigned = new Set<number>();
    const onArrival = new Set<number>();
    for (const line of lines) {
      const now = standing.get(line.conversation_id);
      if (now === undefined) continue;
      const held = HELD_STATES.has(now.state);
      if (line.kind === 'assignment') {
        if (held) hold(now.holder, -1);
        now.holder = line.assigned_agent_id;
        if (held) hold(now.holder, 1);
        if (now.holder !== null) {
          if (!everAssigned.has(line.conversation_id) && Number(line.at) === createdAt.get(line.conversation_id)) onArrival.add(line.conversation_id);
          everAssigned.add(line.conversation_id);
          judged += 1;
          if ((heldBy.get(now.holder) ?? 0) <= (capacities.get(now.holder) ?? 0)) within += 1;
        }
      } else if (line.kind === 'state' && line.state !== null) {
        if (held) hold(now.holder, -1);
        now.state = line.state;
        if (HELD_STATES.has(now.state)) hold(now.holder, 1);
        if (line.state === 'resolved') resolved += 1;
      }
    }
    const runConversations = conversations.filter((row) => Number(row.created_at) >= startedAt);
    const contactIds = [...new Set(runConversations.map((row) => row.contact_id))];
    const waIdOf = new Map<number, string>();
    for (let start = 0; start < contactIds.length; start += CHUNK) {
      const rows = await db
        .selectFrom('contacts')
        .select(['id', 'wa_id'])
        .where('id', 'in', contactIds.slice(start, start + CHUNK))
        .execute();
      for (const row of rows) if (row.wa_id !== null) waIdOf.set(row.id, row.wa_id);
    }
    const seen = new Set<string>();
    const assignedOnArrival = new Set<string>();
    for (const row of runConversations) {
      const waId = waIdOf.get(row.contact_id);
      if (waId === undefined) continue;
      if (everAssigned.has(row.id) || row.queued_at !== null) seen.add(waId);
      if (onArrival.has(row.id)) assignedOnArrival.add(waId);
    }
    const queuedTeams = new Set(conversations.filter((row) => row.queued_at !== null).map((row) => row.team_id));
    const idleRoom = members
      .filter((member) => queuedTeams.has(member.team_id))
      .reduce((sum, member) => sum + Math.max(0, member.capacity - (heldBy.get(member.agent_id) ?? 0)), 0);
    return {
      idleRoom,
      judged,
      within,
      assignedInRun: runConversations.filter((row) => everAssigned.has(row.id)).length,
      assignedOnArrival,
      queuedAtEnd: runConversations.filter((row) => row.queued_at !== null).length,
      neverSeen: ackedWaIds.filter((waId) => !seen.has(waId)).length,
      resolved,
    };
  } finally {
    await store.close();
  }
}
