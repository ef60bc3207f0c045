/**
 * Regression: a feed socket opened before a new briefing version was published stayed open, so an
 * agent who had not acknowledged the new version kept receiving every conversation's events while
 * each inbox route refused them. Now the feed's open sockets pass the gate again when a version is
 * published, and on a timer for renewals that fall due: an agent's socket is closed with
 * `briefingRequired` (4009) and its reconnect is refused until the agent acknowledges; a supervisor
 * who does not answer customers keeps theirs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { EVENTS_CLOSE } from '../../common/api/events.js';
import type { BriefingRule } from '../../common/briefing/briefing.js';
import { BUILT_IN_BRIEFING } from '../../common/briefing/briefing.js';
import { acknowledgeTheBriefing, approvedDevice, enrolledAgent, IT, openEventSocket, totpNow } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const HOUR_MS = 60 * 60 * 1000;
let offsetMs = 0;
const clock = () => Date.now() + offsetMs;

let t: TestServer;
let device: TestDevice;
let admin: EnrolledAgent;
let agent: EnrolledAgent;
let supervisor: EnrolledAgent;

const NEXT_VERSION: BriefingRule[] = [...BUILT_IN_BRIEFING.slice(0, 2)];

async function feedOpens(token: string): Promise<string> {
  try {
    (await openEventSocket(t, device, token)).close();
    return 'opened';
  } catch (error) {
    return (error as Error).message;
  }
}

beforeAll(async () => {
  t = await startTestServer({ now: clock, eventFeed: { gateRecheckMs: 100 } });
  device = await approvedDevice(t, 'briefing-feed-desk');
  admin = await enrolledAgent(t, device, 'irene', 'admin');
  agent = await enrolledAgent(t, device, 'bruno', 'agent');
  supervisor = await enrolledAgent(t, device, 'sara', 'supervisor');
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('an open feed when the briefing falls due', () => {
  it('is closed for an agent when a new version is published, and stays open for a supervisor who does not answer customers', async () => {
    const agentFeed = await openEventSocket(t, device, agent.session.accessToken);
    const supervisorFeed = await openEventSocket(t, device, supervisor.session.accessToken);
    const published = await device.call('PUT', '/v1/admin/briefing', { fromVersion: 1, rules: NEXT_VERSION }, admin.session.accessToken);
    expect(published.status).toBe(200);

    await agentFeed.next((event) => event.type === 'briefing_published' && event.version === 2);
    expect(await agentFeed.closed).toEqual({ code: EVENTS_CLOSE.briefingRequired, reason: 'briefing acknowledgement required' });
    await supervisorFeed.next((event) => event.type === 'briefing_published' && event.version === 2);
    expect(supervisorFeed.socket.readyState).toBe(WebSocket.OPEN);
    supervisorFeed.close();

    expect(await feedOpens(agent.session.accessToken)).toBe('event socket refused: HTTP 403');
    await acknowledgeTheBriefing(t, { agentId: agent.agentId, username: 'bruno' });
    expect(await feedOpens(agent.session.accessToken)).toBe('opened');
  });

  it('is closed for an agent whose acknowledgement falls due for renewal while it is open', async () => {
    const { version, policy } = await t.server.safety.policies.current();
    await t.server.safety.policies.change({ version, policy: { ...policy, briefing: { renewAfterDays: 1 } } }, IT);
    // 23 hours after the acknowledgement the agent signs in again and opens the feed: it passes.
    offsetMs = 23 * HOUR_MS;
    const login = await device.login<{ accessToken: string }>(agent.username, agent.password, { kind: 'totp', code: await totpNow(agent.secret, clock()) });
    expect(login.status).toBe(201);
    const feed = await openEventSocket(t, device, login.body.accessToken);
    expect(feed.socket.readyState).toBe(WebSocket.OPEN);
    // A day and a minute after it, the renewal is due: the next recheck closes the socket.
    offsetMs = 24 * HOUR_MS + 60_000;
    expect(await feed.closed).toEqual({ code: EVENTS_CLOSE.briefingRequired, reason: 'briefing acknowledgement required' });
  });
});
