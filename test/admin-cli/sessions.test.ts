/**
 * `sessions …` as an admin runs it beside the server: every live session listed (text and
 * --json), and `sessions end` ending one on the running server (its token refused, its socket
 * closed with the reason), audited under the CLI's actor; a session that ended or never was,
 * and an id that is not one, refused in one line with nothing changed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionView } from '../../common/api/admin.js';
import { approvedDevice, enrolledAgent, openEventSocket } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import { adminJson, expectOneLineFailure, identitySnapshot, runAdmin } from './admin-cli-process.js';

let t: TestServer;
let device: TestDevice;
let luca: EnrolledAgent;
beforeEach(async () => {
  t = await startTestServer();
  device = await approvedDevice(t, 'sessions-desk');
  luca = await enrolledAgent(t, device, 'luca');
});
afterEach(async () => {
  await t.close();
});

describe('sessions list', () => {
  it('names each live session’s agent, workstation, address and times, as text and as JSON', async () => {
    const sessions = SessionView.array().parse(await adminJson(t.dataDir, ['sessions', 'list']));
    expect(sessions).toEqual([
      expect.objectContaining({
        kind: 'device',
        agent: expect.objectContaining({ id: luca.agentId, username: 'luca', roles: ['agent'] }),
        device: expect.objectContaining({ hostname: 'sessions-desk' }),
        sourceAddress: '127.0.0.1',
        endedAt: null,
        current: false,
      }),
    ]);
    const [session] = sessions;
    const text = await runAdmin(t.dataDir, ['sessions', 'list']);
    expect(text.stdout).toMatch(/^Live sessions \(1 session\):\nID +AGENT +ROLES +WHERE +ADDRESS +SIGNED IN +LAST SEEN +ENDS\n/);
    expect(text.stdout).toMatch(new RegExp(`\\n${session?.id} +luca \\(#${luca.agentId}\\) +agent +"Desk [0-9a-f]{4}" \\(sessions-desk\\) +127\\.0\\.0\\.1 `));
    expect(text.stdout).toContain('(sessions-desk)');
  });
});

describe('sessions end', () => {
  it('ends the session on the running server at once, audited under the CLI', async () => {
    const [session] = SessionView.array().parse(await adminJson(t.dataDir, ['sessions', 'list']));
    if (session === undefined) throw new Error('no session listed');
    const socket = await openEventSocket(t, device, luca.session.accessToken, 0);
    await socket.next((event) => event.type === 'ready');
    const ended = SessionView.parse(await adminJson(t.dataDir, ['sessions', 'end', String(session.id)]));
    expect(ended).toMatchObject({ id: session.id, endedAt: expect.any(Number) });
    // The server notices what the CLI committed within a poll: the socket is told why, then closed.
    expect(await socket.next((event) => event.type === 'session_revoked', 5000)).toEqual({ type: 'session_revoked', reason: 'ended_by_admin' });
    expect(await socket.closed).toMatchObject({ code: 4001 });
    expect(await device.call('GET', '/v1/conversations', undefined, luca.session.accessToken)).toMatchObject({
      status: 401,
      body: { error: { code: 'session_invalid' } },
    });
    expect(await adminJson(t.dataDir, ['sessions', 'list'])).toEqual([]);
    const audit = await adminJson<Array<{ event: string; actor: string; details: Record<string, unknown> }>>(t.dataDir, [
      'audit',
      'list',
      '--event',
      'session.ended',
    ]);
    expect(audit).toEqual([
      expect.objectContaining({
        event: 'session.ended',
        actor: expect.stringMatching(/^cli:/),
        details: { sessionId: session.id, subjectAgentId: luca.agentId, username: 'luca', kind: 'device' },
      }),
    ]);
  });

  it('refuses a session that already ended, one that never was and an id that is not one, changing nothing', async () => {
    const [session] = SessionView.array().parse(await adminJson(t.dataDir, ['sessions', 'list']));
    if (session === undefined) throw new Error('no session listed');
    await adminJson(t.dataDir, ['sessions', 'end', String(session.id)]);
    const before = await identitySnapshot(t.dataDir);
    expect(expectOneLineFailure(await runAdmin(t.dataDir, ['sessions', 'end', String(session.id)]))).toBe(
      `error [session_already_ended]: Session ${session.id} of luca has already ended: nothing to do.`,
    );
    expect(expectOneLineFailure(await runAdmin(t.dataDir, ['sessions', 'end', '424242']))).toBe('error [session_not_found]: There is no session 424242.');
    expect(expectOneLineFailure(await runAdmin(t.dataDir, ['sessions', 'end', 'luca']))).toBe(
      'error [invalid_argument]: <session>: must be a session id (digits), see sessions list',
    );
    expect(await identitySnapshot(t.dataDir)).toEqual(before);
  });
});
