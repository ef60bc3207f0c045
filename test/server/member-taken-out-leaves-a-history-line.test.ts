/**
 * Taking a member out of a team puts the team's conversations assigned to them back in its queue
 * (teams); every change of assignee is a history entry, shown as a system line (conversation
 * states). On a listening server: Bruno answers a conversation of team Vendite (he takes it: one
 * line), an admin takes him out of the team, and the conversation's history says who put it back
 * in the queue and when, on the route and on the event feed of those who still see it.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryPage } from '../../common/api/inbox.js';
import type { TeamView } from '../../common/api/teams.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, openEventSocket } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer;
let device: TestDevice;
let admin: EnrolledAgent;
let bruno: EnrolledAgent;
let sara: EnrolledAgent;

beforeAll(async () => {
  t = await startTestServer();
  device = await approvedDevice(t, 'history-desk');
  admin = await enrolledAgent(t, device, 'irene', 'admin');
  bruno = await enrolledAgent(t, device, 'bruno', 'agent', []);
  sara = await enrolledAgent(t, device, 'sara', 'supervisor', []);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('a member taken out of a team', () => {
  it('leaves a line in the history of each conversation of theirs that went back to the queue, on the route and the feed', async () => {
    const call = <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, token = admin.session.accessToken) =>
      device.call<T>(method, path, body, token);
    const vendite = (await call<TeamView>('POST', '/v1/admin/teams', { name: 'Vendite' })).body;
    const second = t.sandbox.businesses[1];
    expect((await call('POST', `/v1/admin/numbers/${second?.phoneNumberId ?? ''}/team`, { teamId: vendite.id })).status).toBe(200);
    expect((await call('POST', `/v1/admin/teams/${vendite.id}/members`, { agentId: bruno.agentId, capacity: 3 })).status).toBe(200);
    expect((await call('POST', `/v1/admin/teams/${vendite.id}/supervisors`, { agentId: sara.agentId })).status).toBe(200);
    const { conversationId } = await customerWrites(t, customer(t, 0), 'Un preventivo, per favore', second);
    const sent = await call(
      'POST',
      '/v1/messages',
      { idempotencyKey: crypto.randomUUID(), conversationId, kind: 'text', text: 'Eccomi' },
      bruno.session.accessToken,
    );
    expect(sent.status).toBe(201);
    const saraLive = await openEventSocket(t, device, sara.session.accessToken);
    await saraLive.next((event) => event.type === 'ready', 10_000);

    expect((await call('DELETE', `/v1/admin/teams/${vendite.id}/members/${bruno.agentId}`)).status).toBe(200);

    const history = await call<HistoryPage>('GET', `/v1/conversations/${conversationId}/history`, undefined, sara.session.accessToken);
    expect(history.status).toBe(200);
    const [requeued, claimed] = history.body.items;
    expect(claimed).toMatchObject({ kind: 'assignment', assignee: { agentId: bruno.agentId }, actor: { agentId: bruno.agentId }, cause: 'agent' });
    expect(requeued).toMatchObject({ kind: 'assignment', assignee: null, actor: { agentId: admin.agentId, name: 'Irene' }, cause: 'agent' });
    const told = await saraLive.next((event) => event.type === 'history' && event.entry.id === requeued?.id, 10_000);
    expect(told).toMatchObject({ conversationId });
    saraLive.close();
    expect(
      await t.server.database.db
        .selectFrom('conversations')
        .select(['assigned_agent_id', 'team_id'])
        .where('id', '=', conversationId)
        .executeTakeFirstOrThrow(),
    ).toEqual({ assigned_agent_id: null, team_id: vendite.id });
  });
});
