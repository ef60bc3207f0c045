/**
 * Two routers on one PostgreSQL database, as two server replicas would be (each its own pool, its
 * own group committer, each hearing the same agents online): customers start conversations through
 * both at once, in batches, on numbers of two teams that share a member, and no agent ever holds
 * more than their capacity. Each router read loads in its own transaction; without the routing
 * lock (server/assignment/routing-lock.ts) both read "room for one" and both assign: with the lock
 * taken out, this test sees agents over capacity. PostgreSQL only (the `postgres` project):
 * SQLite has one writer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConversation } from '../../server/inbox/conversations.js';
import { inProcessSharedState } from '../../server/presence/in-process-state.js';
import type { OnlineAgents } from '../../server/presence/shared-state.js';
import { fillTeam } from '../../server/assignment/team-queue.js';
import type { TeamFilling } from '../../server/inbox/team-filling.js';
import { GroupCommitter } from '../../server/store/group-commit.js';
import { openDatabase } from '../../server/store/open-database.js';
import type { OpenedDatabase } from '../../server/store/open-database.js';
import { newContact, routingScene } from '../helpers/routing-scene.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { postgresUrlFor } from '../helpers/test-store.js';

let temp: ReturnType<typeof makeTempDir>;
let stores: OpenedDatabase[] = [];

beforeAll(async () => {
  temp = makeTempDir('sportello-two-routers-');
  const url = await postgresUrlFor(temp.dir);
  stores = [await openDatabase(temp.dir, url), await openDatabase(temp.dir, url)];
});
afterAll(async () => {
  for (const store of stores) await store.close();
  temp.remove();
});

const MEMBERS = [
  { agent: 0, team: 0 },
  { agent: 1, team: 0 },
  { agent: 1, team: 1 },
  { agent: 2, team: 1 },
];
const CAPACITIES = [3, 4, 4, 3];

function everyoneOnline(agents: readonly number[]): OnlineAgents {
  const online = inProcessSharedState().online;
  agents.forEach((agentId, index) => online.socketOpened({ sessionId: index + 1, agentId }, { locked: false, available: true }));
  return online;
}

/** Both replicas take 40 customers each, 8 conversations to a transaction, at once. */
async function arriveThroughBoth(filling: (online: OnlineAgents) => TeamFilling) {
  const committers = stores.map((store) => new GroupCommitter(store.db));
  const [first] = committers;
  if (first === undefined) throw new Error('no store');
  const { numbers, agents } = await routingScene(first, { teams: 2, agents: 3, members: MEMBERS, capacities: CAPACITIES });
  await Promise.all(
    committers.map(async (committer, replica) => {
      const routing = filling(everyoneOnline(agents));
      const arrivals = Array.from({ length: 40 }, (_, index) =>
        committer.submit(async (trx) =>
          openConversation(trx, await newContact(trx), numbers[(index + replica) % 2] ?? '', Date.now(), true, undefined, routing),
        ),
      );
      await Promise.all(arrivals);
    }),
  );
  const held = await first.submit((trx) =>
    trx
      .selectFrom('conversations')
      .select((eb) => ['assigned_agent_id', eb.fn.countAll<number | string>().as('n')])
      .where('assigned_agent_id', 'in', agents)
      .where('state', '=', 'open')
      .groupBy('assigned_agent_id')
      .execute(),
  );
  return agents.map((agentId) => Number(held.find((row) => row.assigned_agent_id === agentId)?.n ?? 0));
}

describe('two servers on one PostgreSQL database', () => {
  it('never give an agent more than their capacity', async () => {
    for (let round = 0; round < 5; round += 1) {
      const held = await arriveThroughBoth((online) => ({
        fillTeam: (trx, teamId, now) => fillTeam(trx, teamId, online, now),
        fillRoomOf: () => Promise.resolve([]),
      }));
      // Agent 1's capacity is 4 in each team: 4 at most, whichever team their conversations came from.
      expect(held).toEqual([3, 4, 3]);
    }
  });
});
