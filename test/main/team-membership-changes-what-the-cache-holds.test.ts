/**
 * Adding or removing a member changes what they see at once, on their own workstation too: over
 * a listening server, two real client cores (Anna in team A, Bruno in team B), each with its own
 * encrypted cache. Added to team A, Bruno's core is told (view_changed), loads team A's queue and
 * keeps it; taken out again, team A's conversation leaves his lists, his cache and his search at
 * once, while Anna's workstation keeps it. A change made by another process (the admin CLI) is
 * found by the feed's poll; an account left with `admin` alone keeps no conversation at all.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { IpcEventPayload } from '../../common/ipc/contract.js';
import type { SearchHit } from '../../common/ipc/contract.js';
import { otherProcessNotifier } from '../../server/admin-cli/admin-context.js';
import { NumberAdmin } from '../../server/numbers/number-admin.js';
import { TeamAdmin } from '../../server/teams/team-admin.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { startCoreBehindProxy } from '../helpers/core-behind-proxy.js';
import type { CoreBehindProxy } from '../helpers/core-behind-proxy.js';
import { pairAndEnroll } from '../helpers/core-enrollment.js';
import { IT } from '../helpers/identity-setup.js';
import { until } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const TEAM_A_WORD = 'girasole';
const TEAM_B_WORD = 'tulipano';

async function found(workstation: CoreBehindProxy, word: string): Promise<number[]> {
  const { hits } = await workstation.call<{ hits: SearchHit[] }>('search', { query: word });
  return [...new Set(hits.map((hit) => hit.conversationId))];
}

describe('a change of teams on the workstation', () => {
  it('loads what joining a team shows and drops what leaving it hides, at once, on the agent’s own cache', async () => {
    const t = await startTestServer({ tls: true });
    cleanups.push(() => t.close());
    const teams = t.server.identity.teams;
    const teamA = (await teams.list()).teams.find((team) => team.isDefault)?.id ?? 0;
    const teamB = (await teams.create({ name: 'Vendite' }, IT)).id;
    const [firstNumber, secondNumber] = t.sandbox.businesses;
    if (firstNumber === undefined || secondNumber === undefined) throw new Error('the sandbox serves two numbers');
    const numbers = new NumberAdmin({ db: t.server.database.db, committer: t.server.committer, key: t.server.identity.key, now: Date.now });
    await numbers.setTeam(secondNumber.phoneNumberId, teamB, IT);

    const anna = await startCoreBehindProxy(t, cleanups);
    const annaId = (await pairAndEnroll(t, anna.call, anna.waitFor, 'anna', 'agent', { teamIds: [teamA], capacity: 0 })).agentId;
    await anna.untilFirstLoad();
    const bruno = await startCoreBehindProxy(t, cleanups);
    const brunoId = (await pairAndEnroll(t, bruno.call, bruno.waitFor, 'bruno', 'agent', { teamIds: [teamB], capacity: 0 })).agentId;
    await bruno.untilFirstLoad();
    const resyncs: number[] = [];
    bruno.core.onEvent((event, payload) => {
      if (event === 'inbox' && (payload as IpcEventPayload<'inbox'>).type === 'resync') resyncs.push(Date.now());
    });

    const x = await customerWrites(t, customer(t, 0), `Buongiorno, il ${TEAM_A_WORD} è appassito`, firstNumber);
    const y = await customerWrites(t, customer(t, 1), `Vorrei dei ${TEAM_B_WORD}`, secondNumber);
    await until(
      'each sees the queue of their team',
      async () => (await anna.listed()).join() === `${x.conversationId}` && (await bruno.listed()).join() === `${y.conversationId}`,
    );
    expect(await found(bruno, TEAM_A_WORD)).toEqual([]);

    // An admin adds Bruno to team A: his workstation is told, loads team A's queue and keeps it.
    await teams.addMember(teamA, { agentId: brunoId, capacity: 3 }, IT);
    await until('team A’s conversation on Bruno’s workstation', async () => (await bruno.listed()).includes(x.conversationId));
    expect(resyncs.length).toBeGreaterThan(0);
    await bruno.call('listMessages', { conversationId: x.conversationId });
    expect(await found(bruno, TEAM_A_WORD)).toEqual([x.conversationId]);
    expect(await bruno.whileOffline(() => bruno.listed())).toEqual([x.conversationId, y.conversationId].sort((a, b) => a - b));

    // Taken out of team A: it leaves his list, his cache and his search at once; Anna keeps it.
    await teams.removeMember(teamA, brunoId, IT);
    await until('team A’s conversation gone from Bruno’s workstation', async () => !(await bruno.listed()).includes(x.conversationId));
    expect(await found(bruno, TEAM_A_WORD)).toEqual([]);
    expect(await anna.listed()).toEqual([x.conversationId]);
    await bruno.whileOffline(async () => {
      expect(await bruno.listed()).toEqual([y.conversationId]);
      expect(await bruno.call('getConversation', { conversationId: x.conversationId }).catch((error: Error) => error.message)).toMatch(
        /conversation_not_cached/,
      );
    });

    // The same change from another process (the admin CLI, which has no socket to tell): the feed's poll finds it.
    const cli = new TeamAdmin({ db: t.server.database.db, committer: t.server.committer, security: otherProcessNotifier, now: Date.now });
    await cli.addMember(teamA, { agentId: brunoId, capacity: 3 }, IT);
    await until('team A’s conversation back on Bruno’s workstation', async () => (await bruno.listed()).includes(x.conversationId));

    // Anna keeps only `admin`: she reads no conversation any more, and her workstation keeps none.
    await t.server.identity.agents.setRoles(annaId, ['admin'], IT);
    await until('Anna’s workstation emptied', async () => (await anna.listed()).length === 0);
    expect(anna.core.state).toMatchObject({ screen: 'inbox', agent: { roles: ['admin'] } });
    expect(await found(anna, TEAM_A_WORD)).toEqual([]);
  }, 90_000);
});
