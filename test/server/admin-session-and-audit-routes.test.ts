/**
 * The admin routes of "who is signed in where" and the audit log, through the one contract: an
 * admin lists live sessions (their own marked), ends another's (its token refused at once,
 * audited under the admin), and is refused ending their own, one that ended or one that never
 * was, nothing changed; the log filtered by action, actor and time, paged, and the chain verified.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage, AuditVerification, SessionList, SessionView } from '../../common/api/admin.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { buildTestServer } from '../helpers/test-server.js';
import type { BuiltTestServer } from '../helpers/test-server.js';

let t: BuiltTestServer;
let desk: TestDevice;
let irene: EnrolledAgent;
let luca: EnrolledAgent;

beforeAll(async () => {
  t = await buildTestServer();
  desk = await approvedDevice(t, 'it-desk');
  irene = await enrolledAgent(t, desk, 'irene', 'admin');
  luca = await enrolledAgent(t, await approvedDevice(t, 'front-desk-03'), 'luca');
});
afterAll(async () => {
  await t.close();
});

const asIrene = <T>(method: string, path: string) => desk.call<T>(method, path, method === 'GET' ? undefined : {}, irene.session.accessToken);
const sessionRows = () => t.server.database.db.selectFrom('sessions').selectAll().orderBy('id').execute();
const auditRows = () => t.server.database.db.selectFrom('audit_log').select('id').execute();

describe('who is signed in where', () => {
  it('lists every live session with its agent and workstation, the asker’s own marked', async () => {
    const { body } = await asIrene<SessionList>('GET', '/v1/admin/sessions');
    expect(body.sessions.map((session) => [session.agent.username, session.device?.hostname, session.current]).sort()).toEqual([
      ['irene', 'it-desk', true],
      ['luca', 'front-desk-03', false],
    ]);
    expect(await desk.call('GET', '/v1/admin/sessions', undefined, luca.session.accessToken)).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden_role' } },
    });
  });

  it('refuses ending one’s own session, one that never was, changing nothing', async () => {
    const { body } = await asIrene<SessionList>('GET', '/v1/admin/sessions');
    const own = body.sessions.find((session) => session.current);
    const [sessionsBefore, auditBefore] = [await sessionRows(), await auditRows()];
    expect(await asIrene('POST', `/v1/admin/sessions/${own?.id}/end`)).toMatchObject({ status: 409, body: { error: { code: 'cannot_end_own_session' } } });
    expect(await asIrene('POST', '/v1/admin/sessions/987654/end')).toMatchObject({ status: 404, body: { error: { code: 'session_not_found' } } });
    expect(await asIrene('POST', '/v1/admin/sessions/abc/end')).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    expect(await sessionRows()).toEqual(sessionsBefore);
    expect(await auditRows()).toEqual(auditBefore);
  });

  it('ends another agent’s session at once, audited under the admin; ending it again is refused', async () => {
    const { body } = await asIrene<SessionList>('GET', '/v1/admin/sessions');
    const lucas = body.sessions.find((session) => session.agent.username === 'luca');
    if (lucas === undefined) throw new Error('Luca’s session is not listed');
    const ended = await asIrene<SessionView>('POST', `/v1/admin/sessions/${lucas.id}/end`);
    expect(ended).toMatchObject({ status: 200, body: { id: lucas.id, endedAt: expect.any(Number), agent: { username: 'luca' } } });
    expect(await desk.call('GET', '/v1/conversations', undefined, luca.session.accessToken)).toMatchObject({
      status: 401,
      body: { error: { code: 'session_invalid' } },
    });
    expect((await asIrene<SessionList>('GET', '/v1/admin/sessions')).body.sessions.map((session) => session.agent.username)).toEqual(['irene']);
    expect(await asIrene('POST', `/v1/admin/sessions/${lucas.id}/end`)).toMatchObject({ status: 409, body: { error: { code: 'session_already_ended' } } });
    const audit = await asIrene<AuditPage>('GET', '/v1/admin/audit?event=session.ended');
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        event: 'session.ended',
        actor: `agent:${irene.agentId}:irene`,
        agentId: irene.agentId,
        details: { sessionId: lucas.id, subjectAgentId: luca.agentId, username: 'luca', kind: 'device' },
      }),
    ]);
  });
});

describe('the audit log', () => {
  it('is filtered by action or its kind, by who acted and by time, paged, and its chain verified', async () => {
    const page = (query: string) => asIrene<AuditPage>('GET', `/v1/admin/audit?${query}`);
    const all = (await page('limit=500')).body.items;
    expect(all.length).toBeGreaterThan(4);
    const devices = (await page('event=device')).body.items;
    expect(devices.length).toBeGreaterThan(0);
    expect(devices.every((entry) => entry.event.startsWith('device.'))).toBe(true);
    expect((await page('event=devic')).body.items).toEqual([]);
    const byIrene = (await page('actor=IRENE')).body.items;
    expect(byIrene.map((entry) => entry.event)).toContain('session.ended');
    expect(byIrene.every((entry) => entry.actor.includes('irene'))).toBe(true);
    // A literal % or _ in the actor matches only itself.
    expect((await page('actor=%25')).body.items).toEqual([]);
    const newest = all[0];
    if (newest === undefined) throw new Error('no audit rows');
    expect((await page(`from=${newest.at + 1}`)).body.items).toEqual([]);
    expect((await page(`from=${newest.at}&to=${newest.at + 1}`)).body.items.map((entry) => entry.id)).toContain(newest.id);
    // Pages: two at a time, down to the oldest, each entry once.
    const seen: number[] = [];
    let before: number | null | undefined;
    do {
      const next = (await page(`limit=2${before === undefined || before === null ? '' : `&before=${before}`}`)).body;
      seen.push(...next.items.map((entry) => entry.id));
      before = next.nextBefore;
    } while (before !== null);
    expect(seen).toEqual(all.map((entry) => entry.id));
    expect(await page('from=10&to=5')).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    expect(await page('event=DROP TABLE')).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    const verified = await asIrene<AuditVerification>('GET', '/v1/admin/audit/verify');
    expect(verified.body).toMatchObject({ ok: true, firstBrokenId: null });
  });
});
