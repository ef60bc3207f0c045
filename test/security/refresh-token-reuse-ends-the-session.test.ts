/**
 * A refresh token is replaced at every use, so one presented a second time was copied: either the
 * thief or the workstation holds a token it should not. The declared `refresh_reused` reason was
 * never used; now such a token ends the whole session (access and refresh tokens, its socket),
 * audited, whoever presents it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EVENTS_CLOSE } from '../../common/api/events.js';
import type { SessionGrant } from '../../common/api/session.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import { approvedDevice, enrolledAgent, openEventSocket } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function setUp(): Promise<{ server: TestServer; device: TestDevice; agent: EnrolledAgent }> {
  const server = await startTestServer();
  t = server;
  const device = await approvedDevice(server, 'rita-desk');
  return { server, device, agent: await enrolledAgent(server, device, 'rita') };
}

async function refresh(device: TestDevice, refreshToken: string) {
  return device.call<SessionGrant & { error?: { code: string } }>('POST', '/v1/sessions/refresh', { refreshToken, proof: await device.proof('refresh') });
}

async function expectSessionEnded(server: TestServer, device: TestDevice, sessionId: number, latest: SessionGrant): Promise<void> {
  expect((await device.call('GET', '/v1/conversations', undefined, latest.accessToken)).status).toBe(401);
  expect(await refresh(device, latest.refreshToken)).toMatchObject({ status: 401, body: { error: { code: 'refresh_failed' } } });
  const row = await server.server.database.db.selectFrom('sessions').select(['ended_at', 'end_reason']).where('id', '=', sessionId).executeTakeFirstOrThrow();
  expect(row.end_reason).toBe('refresh_reused');
  expect(row.ended_at).not.toBeNull();
  const audit = await server.server.database.db.selectFrom('audit_log').selectAll().where('event', '=', 'session.refresh_reused').execute();
  expect(audit).toHaveLength(1);
  expect(audit[0]).toMatchObject({ outcome: 'refused', agent_id: latest.agent.id });
  expect(JSON.parse(audit[0]?.details_json ?? '{}')).toMatchObject({ sessionId });
}

const sessionIdOf = async (server: TestServer, agentId: number) =>
  (await server.server.database.db.selectFrom('sessions').select('id').where('agent_id', '=', agentId).executeTakeFirstOrThrow()).id;

describe('a refresh token presented a second time', () => {
  it('ends the whole session: both tokens stop working and its socket closes', async () => {
    const { server, device, agent } = await setUp();
    const sessionId = await sessionIdOf(server, agent.agentId);
    const second = await refresh(device, agent.session.refreshToken);
    expect(second.status).toBe(200);
    const socket = await openEventSocket(server, device, second.body.accessToken);
    await socket.next((event) => event.type === 'ready');

    const replay = await refresh(device, agent.session.refreshToken);
    expect(replay).toMatchObject({ status: 401, body: { error: { code: 'refresh_failed' } } });
    await expectSessionEnded(server, device, sessionId, second.body);
    expect((await socket.closed).code).toBe(EVENTS_CLOSE.sessionRevoked);
  });

  it('ends it for a token two generations old, presented by another workstation', async () => {
    const { server, device, agent } = await setUp();
    const sessionId = await sessionIdOf(server, agent.agentId);
    const second = await refresh(device, agent.session.refreshToken);
    const third = await refresh(device, second.body.refreshToken);
    expect(third.status).toBe(200);
    const elsewhere = await approvedDevice(server, 'somewhere-else');
    expect(await refresh(elsewhere, agent.session.refreshToken)).toMatchObject({ status: 401, body: { error: { code: 'refresh_failed' } } });
    await expectSessionEnded(server, device, sessionId, third.body);
  });

  it('ends it when two refreshes race with the same token: one wins, the other is a reuse', async () => {
    const { server, device, agent } = await setUp();
    const sessionId = await sessionIdOf(server, agent.agentId);
    const [a, b] = await Promise.all([refresh(device, agent.session.refreshToken), refresh(device, agent.session.refreshToken)]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);
    const winner = a.status === 200 ? a.body : b.body;
    await expectSessionEnded(server, device, sessionId, winner);
  });

  it('leaves other sessions of the same agent alone', async () => {
    const { server, device, agent } = await setUp();
    const other = await device.login(agent.username, agent.password, { kind: 'recovery', code: agent.recoveryCodes[0] ?? '' });
    expect(other.status).toBe(201);
    await refresh(device, agent.session.refreshToken);
    await refresh(device, agent.session.refreshToken);
    expect((await device.call('GET', '/v1/conversations', undefined, other.body.accessToken)).status).toBe(200);
    expect((await refresh(device, other.body.refreshToken)).status).toBe(200);
    expect(await server.server.database.db.selectFrom('sessions').select('id').where('end_reason', '=', 'refresh_reused').execute()).toHaveLength(1);
  });
});
