/**
 * A supervisor's "who is online" list (GET /v1/supervision/agents) names the agents of the teams
 * they supervise, and nobody else: it listed every active account of the desk, so the supervisor
 * of one team learnt who works in every other team and when they are at their desks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentPresenceView } from '../../common/api/presence.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import { runEvery } from '../helpers/run-every.js';
import { startTestServer } from '../helpers/test-server.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await runEvery(cleanups.splice(0).reverse());
});

const CLI = { name: 'cli:it', agentId: null, sourceAddress: null };

describe('who is online, as a supervisor sees it', () => {
  it('names only the members and supervisors of the teams the supervisor supervises', async () => {
    const t = await startTestServer();
    cleanups.push(() => t.close());
    const device = await approvedDevice(t);
    const vendite = await t.server.identity.teams.create({ name: 'Vendite' }, CLI);
    const anna = await enrolledAgent(t, device, 'anna');
    const sara = await enrolledAgent(t, device, 'sara', 'supervisor');
    const carla = await enrolledAgent(t, device, 'carla', 'agent', [vendite.id]);
    const vito = await enrolledAgent(t, device, 'vito', 'supervisor', [vendite.id]);
    const admin = await enrolledAgent(t, device, 'irene', 'admin');

    const listedBy = async (who: typeof sara) => {
      const answer = await device.call<{ agents: AgentPresenceView[] }>('GET', '/v1/supervision/agents', undefined, who.session.accessToken);
      expect(answer.status).toBe(200);
      return answer.body.agents.map((agent) => agent.agentId).sort((a, b) => a - b);
    };
    expect(await listedBy(sara)).toEqual([anna.agentId, sara.agentId]);
    expect(await listedBy(vito)).toEqual([carla.agentId, vito.agentId]);
    // An admin account is in no team: no supervisor lists it.
    expect([...(await listedBy(sara)), ...(await listedBy(vito))]).not.toContain(admin.agentId);

    // Supervising Vendite too, Sara sees its people from then on.
    await t.server.identity.teams.addSupervisor(vendite.id, sara.agentId, CLI);
    expect(await listedBy(sara)).toEqual([anna.agentId, sara.agentId, carla.agentId, vito.agentId].sort((a, b) => a - b));
  }, 60_000);
});
