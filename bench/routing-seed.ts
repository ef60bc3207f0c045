/**
 * The desk of bench:routing, written into the store before the server starts (in its PostgreSQL
 * database when it has one): teams, each with a business number of its own whose new
 * conversations go to it, agents spread over the teams with capacities from `capacityMin` to
 * `capacityMax` (mixed within each team), each signed in on a workstation,
 * and open conversations already held, spread evenly over the agents (conversation j by agent j
 * modulo the agents), waiting in no queue.
 */
import type { Kysely } from 'kysely';
import type { SandboxBusiness } from '../server/sandbox/webhook-builder.js';
import { openDatabase } from '../server/store/open-database.js';
import type { InboxDatabase } from '../server/store/schema.js';
import { benchNumberRow } from '../test/helpers/routing-scene.js';
import { seedDeviceSession } from './fanout-viewers.js';
import type { Viewer } from './fanout-viewers.js';

export interface RoutingShape {
  readonly teams: number;
  readonly agents: number;
  readonly openConversations: number;
  readonly capacityMin: number;
  readonly capacityMax: number;
}

export interface RoutingDesk {
  readonly viewers: Viewer[];
  /** Team i's number is businesses[i]. */
  readonly businesses: SandboxBusiness[];
  /** The held conversations in seeding order: held[j] is held by viewers[j % viewers.length]. */
  readonly held: number[];
}

const CHUNK = 500;

async function insertChunked<T>(rows: readonly T[], insert: (chunk: T[]) => Promise<Array<{ id: number }>>): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < rows.length; start += CHUNK) ids.push(...(await insert(rows.slice(start, start + CHUNK))).map((row) => row.id));
  return ids;
}

async function seedTeams(db: Kysely<InboxDatabase>, teams: number, now: number) {
  const businesses: SandboxBusiness[] = [];
  const teamIds: number[] = [];
  for (let t = 0; t < teams; t += 1) {
    const team = await db
      .insertInto('teams')
      .values({ name: `Bench team ${t}`, description: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const phoneNumberId = `3000000000${String(t).padStart(5, '0')}`;
    await db
      .insertInto('business_numbers')
      .values(benchNumberRow(phoneNumberId, `Bench line ${t}`, team.id, now))
      .execute();
    teamIds.push(team.id);
    businesses.push({ wabaId: '200000000000001', phoneNumberId, displayPhoneNumber: `1555300${String(t).padStart(4, '0')}` });
  }
  return { teamIds, businesses };
}

export async function seedRoutingDesk(dataDir: string, shape: RoutingShape, databaseUrl?: string): Promise<RoutingDesk> {
  const store = await openDatabase(dataDir, databaseUrl);
  const { db } = store;
  const now = Date.now();
  try {
    const { teamIds, businesses } = await seedTeams(db, shape.teams, now);
    const viewers: Viewer[] = [];
    const agentIds: number[] = [];
    for (let a = 0; a < shape.agents; a += 1) {
      const agent = await db
        .insertInto('agents')
        .values({
          username: `bench.agent.${a}`,
          display_name: `Agent ${a}`,
          roles: 'agent',
          status: 'active',
          created_by: 'bench',
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('team_members')
        .values({
          team_id: teamIds[a % shape.teams] ?? 0,
          agent_id: agent.id,
          // Agent a is in team a modulo the teams: the capacity goes by a's turn round the teams, so each team has every capacity.
          capacity: shape.capacityMin + (Math.floor(a / shape.teams) % (shape.capacityMax - shape.capacityMin + 1)),
          created_at: now,
        })
        .execute();
      agentIds.push(agent.id);
      viewers.push(await seedDeviceSession(db, agent.id, `agent-${a}`, a, now));
    }
    const contacts = Array.from({ length: shape.openConversations }, (_, j) => ({
      wa_id: `393000${String(j).padStart(7, '0')}`,
      user_id: null,
      parent_user_id: null,
      profile_name: `Held ${j}`,
      username: null,
      marketing_preference: null,
      marketing_preference_at: null,
      created_at: now,
      updated_at: now,
    }));
    const contactIds = await insertChunked(contacts, (chunk) => db.insertInto('contacts').values(chunk).returning('id').execute());
    const conversations = contactIds.map((contactId, j) => {
      const a = j % shape.agents;
      const team = a % shape.teams;
      return {
        contact_id: contactId,
        business_phone_number_id: businesses[team]?.phoneNumberId ?? '',
        team_id: teamIds[team] ?? null,
        assigned_agent_id: agentIds[a] ?? null,
        assigned_at: now,
        last_inbound_at: now - 60_000,
        last_message_at: now - 60_000,
        last_message_id: null,
        created_at: now - 60_000,
        updated_at: now - 60_000,
        queued_at: null,
      };
    });
    const held = await insertChunked(conversations, (chunk) => db.insertInto('conversations').values(chunk).returning('id').execute());
    return { viewers, businesses, held };
  } finally {
    await store.close();
  }
}
