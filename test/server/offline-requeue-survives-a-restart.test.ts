/**
 * An agent holding conversations when the server stops, who does not come back, has them put back
 * in the queue after the team's time once the server runs again: a restart (or a crash) is not a
 * change of anyone's online state the server sees, so before the fix no requeue was ever
 * scheduled and the conversations stayed theirs for good. One who reconnects in time keeps theirs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TeamView } from '../../common/api/teams.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, IT, openEventSocket } from '../helpers/identity-setup.js';
import { runEvery } from '../helpers/run-every.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let servers: TestServer[] = [];
const sockets: Array<{ close(): void }> = [];
afterEach(async () => {
  await runEvery([...sockets.splice(0).map((socket) => () => socket.close()), ...servers.map((server) => () => server.close())]);
  servers = [];
});

const holderOf = async (t: TestServer, conversationId: number) =>
  (await t.server.database.db.selectFrom('conversations').select('assigned_agent_id').where('id', '=', conversationId).executeTakeFirstOrThrow())
    .assigned_agent_id;

describe('the offline requeue after a restart', () => {
  it('puts the conversations of an agent who was online when the server stopped back in the queue, and leaves one who returns', async () => {
    const first = await startTestServer({ customers: 4 });
    servers = [first];
    const device = await approvedDevice(first);
    const general = (await first.server.identity.teams.list()).teams.find((team) => team.isDefault)?.id ?? 0;
    const anna = await enrolledAgent(first, device, 'anna');
    const bruno = await enrolledAgent(first, device, 'bruno');
    const admin = await enrolledAgent(first, device, 'ivo', 'admin');
    for (const agent of [anna, bruno]) await first.server.identity.teams.setCapacity(general, agent.agentId, 1, IT);
    const setting = await device.call<TeamView>('POST', `/v1/admin/teams/${general}`, { offlineRequeueAfterSeconds: 1 }, admin.session.accessToken);
    expect(setting.status).toBe(200);
    for (const agent of [anna, bruno]) {
      const socket = await openEventSocket(first, device, agent.session.accessToken);
      sockets.push(socket);
      await socket.next((event) => event.type === 'ready', 10_000);
    }
    const annas = await customerWrites(first, customer(first, 0), 'Anna’s customer');
    const brunos = await customerWrites(first, customer(first, 1), 'Bruno’s customer');
    const holders = [await holderOf(first, annas.conversationId), await holderOf(first, brunos.conversationId)].sort();
    expect(holders).toEqual([anna.agentId, bruno.agentId].sort());
    const annasId = (await holderOf(first, annas.conversationId)) === anna.agentId ? annas.conversationId : brunos.conversationId;
    const brunosId = annasId === annas.conversationId ? brunos.conversationId : annas.conversationId;

    // The server goes down with both online, and comes back; only Bruno reconnects.
    const second = await first.restart();
    servers = [second];
    device.baseUrl = second.server.url;
    const brunoAgain = await openEventSocket(second, device, bruno.session.accessToken);
    sockets.push(brunoAgain);
    await brunoAgain.next((event) => event.type === 'ready', 10_000);

    await eventually(async () => ((await holderOf(second, annasId)) === null ? true : undefined), 15_000, 'Anna’s conversation back in the queue');
    expect(await holderOf(second, brunosId)).toBe(bruno.agentId);
    const requeued = await second.server.database.db
      .selectFrom('audit_log')
      .select('details_json')
      .where('event', '=', 'conversation.requeued_offline')
      .execute();
    expect(requeued.map((row) => JSON.parse(row.details_json) as { subjectAgentId: number })).toEqual([
      expect.objectContaining({ subjectAgentId: anna.agentId, requeued: 1 }),
    ]);
  });
});
