/** What each agent sets for themselves (agent_settings, migration 0014): available or away, and their time zone. A missing row is an available agent with no zone yet. */
import type { Kysely } from 'kysely';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';

export interface AgentSettings {
  readonly available: boolean;
  readonly timeZone: string | null;
  readonly timeZoneChosen: boolean;
}

const DEFAULTS: AgentSettings = { available: true, timeZone: null, timeZoneChosen: false };

export async function agentSettings(db: Kysely<InboxDatabase> | StoreTransaction, agentId: number): Promise<AgentSettings> {
  const row = await db.selectFrom('agent_settings').select(['available', 'time_zone', 'time_zone_chosen']).where('agent_id', '=', agentId).executeTakeFirst();
  return row === undefined ? DEFAULTS : { available: row.available === 1, timeZone: row.time_zone, timeZoneChosen: row.time_zone_chosen === 1 };
}

/** Each agent's availability, by id (agents without a row are available). */
export async function availabilityOf(db: Kysely<InboxDatabase>, agentIds: readonly number[]): Promise<Map<number, boolean>> {
  if (agentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('agent_settings')
    .select(['agent_id', 'available'])
    .where('agent_id', 'in', [...agentIds])
    .execute();
  return new Map(rows.map((row) => [row.agent_id, row.available === 1]));
}

async function upsert(trx: StoreTransaction, agentId: number, change: { available?: number; time_zone?: string; time_zone_chosen?: number }, now: number) {
  await trx
    .insertInto('agent_settings')
    .values({ agent_id: agentId, ...change, updated_at: now })
    .onConflict((oc) => oc.column('agent_id').doUpdateSet({ ...change, updated_at: now }))
    .execute();
}

export function storeAvailability(committer: GroupCommitter, agentId: number, available: boolean, now: number): Promise<AgentSettings> {
  return committer.submit(async (trx) => {
    await upsert(trx, agentId, { available: available ? 1 : 0 }, now);
    return agentSettings(trx, agentId);
  });
}

/** The agent's pick always; the workstation's only while the agent has picked none. */
export function storeTimeZone(
  committer: GroupCommitter,
  agentId: number,
  timeZone: string,
  source: 'workstation' | 'agent',
  now: number,
): Promise<AgentSettings> {
  return committer.submit(async (trx) => {
    const current = await agentSettings(trx, agentId);
    if (source === 'agent') await upsert(trx, agentId, { time_zone: timeZone, time_zone_chosen: 1 }, now);
    else if (!current.timeZoneChosen && current.timeZone !== timeZone) await upsert(trx, agentId, { time_zone: timeZone }, now);
    return agentSettings(trx, agentId);
  });
}
