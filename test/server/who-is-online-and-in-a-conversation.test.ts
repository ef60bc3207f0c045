/**
 * Online and presence over a listening server, through the client API and raw event sockets: an
 * agent is online while their event socket is open, their screen unlocked and they are available
 * (supervisors see each agent's state); availability survives a restart, the screen lock is
 * carried by the socket's connect; presence in a conversation goes over the event socket as an
 * ephemeral event, never stored and never numbered, to the sockets of viewers who may see the
 * conversation and to nobody else, and expires when the reports stop.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { EphemeralEvent, ServerEvent } from '../../common/api/events.js';
import type { AgentPresenceView, MyStatus } from '../../common/api/presence.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { conversationsWaitForAReply } from '../helpers/routing-scene.js';
import { approvedDevice, enrolledAgent, openEventSocket } from '../helpers/identity-setup.js';
import type { EnrolledAgent, EventSocket } from '../helpers/identity-setup.js';
import { runEvery } from '../helpers/run-every.js';
import { eventually } from '../helpers/store-queries.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await runEvery(cleanups.splice(0).reverse());
});

async function desk(options: Parameters<typeof startTestServer>[0] = {}) {
  const t = await startTestServer(options);
  cleanups.push(() => t.close());
  const device = await approvedDevice(t);
  return { t, device };
}

async function live(t: TestServer, device: TestDevice, agent: EnrolledAgent, options: { locked?: boolean } = {}): Promise<EventSocket> {
  const socket = await openEventSocket(t, device, agent.session.accessToken, 0, options);
  cleanups.push(() => socket.close());
  await socket.next((event) => event.type === 'ready', 10_000);
  return socket;
}

const presenceOf = (socket: EventSocket, conversationId: number) =>
  socket.events.filter((event): event is Extract<EphemeralEvent, { type: 'presence' }> => event.type === 'presence' && event.conversationId === conversationId);
const lastPresence = (socket: EventSocket, conversationId: number) => presenceOf(socket, conversationId).at(-1);

describe('who is online', () => {
  it('is connected, unlocked and available; supervisors see each agent’s state', async () => {
    const { t, device } = await desk();
    const anna = await enrolledAgent(t, device, 'anna');
    const sara = await enrolledAgent(t, device, 'sara', 'supervisor');
    const call = <T>(method: 'GET' | 'POST', path: string, body?: unknown, agent = anna) => device.call<T>(method, path, body, agent.session.accessToken);
    const annaSeen = async () => {
      const listed = await call<{ agents: AgentPresenceView[] }>('GET', '/v1/supervision/agents', undefined, sara);
      expect(listed.status).toBe(200);
      return listed.body.agents.find((agent) => agent.agentId === anna.agentId);
    };
    const until = (what: Partial<AgentPresenceView>) =>
      eventually(
        async () => {
          const seen = await annaSeen();
          return seen !== undefined && Object.entries(what).every(([key, value]) => seen[key as keyof AgentPresenceView] === value) ? seen : undefined;
        },
        5000,
        JSON.stringify(what),
      );

    expect(await annaSeen()).toEqual({
      agentId: anna.agentId,
      username: 'anna',
      displayName: 'Anna',
      connected: false,
      locked: false,
      available: true,
      online: false,
    });
    const socket = await live(t, device, anna);
    await until({ connected: true, online: true });
    expect(t.server.presence.online.onlineAmong([anna.agentId, sara.agentId])).toEqual([anna.agentId]);

    expect((await call('POST', '/v1/me/screen', { locked: true })).status).toBe(204);
    await until({ connected: true, locked: true, online: false });
    expect((await call('POST', '/v1/me/screen', { locked: false })).status).toBe(204);
    await until({ locked: false, online: true });

    const away = await call<MyStatus>('POST', '/v1/me/availability', { available: false });
    expect(away).toMatchObject({ status: 200, body: { available: false, online: false } });
    await until({ available: false, online: false });
    expect(t.server.presence.online.isOnline(anna.agentId)).toBe(false);
    expect((await call<MyStatus>('POST', '/v1/me/availability', { available: true })).body).toMatchObject({ available: true, online: true });

    socket.close();
    await until({ connected: false, online: false });
    // Agents do not see the others' state.
    expect(await call('GET', '/v1/supervision/agents')).toMatchObject({ status: 403, body: { error: { code: 'forbidden_role' } } });
  });

  it('keeps an agent away across a restart, and takes the screen lock from the socket’s connect', async () => {
    const { t: first, device } = await desk();
    const anna = await enrolledAgent(first, device, 'anna');
    expect((await device.call('POST', '/v1/me/availability', { available: false }, anna.session.accessToken)).status).toBe(200);
    const t = await first.restart();
    cleanups.push(() => t.close());
    device.baseUrl = t.server.url;
    const status = await device.call<MyStatus>('GET', '/v1/me/status', undefined, anna.session.accessToken);
    expect(status.body).toMatchObject({ available: false, online: false });
    await device.call('POST', '/v1/me/availability', { available: true }, anna.session.accessToken);
    // A workstation that reconnects while locked is connected, not online.
    await live(t, device, anna, { locked: true });
    await eventually(() => Promise.resolve(t.server.presence.online.stateOf(anna.agentId).connected || undefined), 5000, 'connected');
    expect(t.server.presence.online.stateOf(anna.agentId)).toMatchObject({ connected: true, locked: true, online: false });
  });

  it('refuses a status report that is not one, changing nothing', async () => {
    const { t, device } = await desk();
    const anna = await enrolledAgent(t, device, 'anna');
    const bad: Array<[string, unknown]> = [
      ['/v1/me/availability', { available: 'yes' }],
      ['/v1/me/availability', {}],
      ['/v1/me/time-zone', { timeZone: 'Mars/Olympus_Mons', source: 'agent' }],
      ['/v1/me/time-zone', { timeZone: 'Europe/Rome', source: 'guess' }],
      ['/v1/me/time-zone', { timeZone: 'Europe/Rome; drop table', source: 'agent' }],
      ['/v1/me/screen', { locked: 1 }],
      ['/v1/presence', { conversationId: 'x', typing: false }],
      ['/v1/presence', { conversationId: 1 }],
      // A field it does not know is refused, not dropped.
      ['/v1/me/availability', { available: false, until: '18:00' }],
      ['/v1/me/screen', { locked: true, reason: 'lunch' }],
    ];
    for (const [path, body] of bad) {
      const answer = await device.call('POST', path, body, anna.session.accessToken);
      expect(answer, `${path} ${JSON.stringify(body)}`).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    }
    const settings = await t.server.database.db.selectFrom('agent_settings').selectAll().execute();
    expect(settings).toEqual([]);
  });
});

describe('the agent’s time zone', () => {
  it('is the workstation’s until the agent picks one, kept as the platform spells it', async () => {
    const { t, device } = await desk();
    const anna = await enrolledAgent(t, device, 'anna');
    const set = (timeZone: string, source: 'workstation' | 'agent') =>
      device.call<MyStatus>('POST', '/v1/me/time-zone', { timeZone, source }, anna.session.accessToken);
    expect((await set('europe/rome', 'workstation')).body).toMatchObject({ timeZone: 'Europe/Rome', timeZoneChosen: false });
    expect((await set('America/New_York', 'workstation')).body).toMatchObject({ timeZone: 'America/New_York', timeZoneChosen: false });
    expect((await set('Asia/Tokyo', 'agent')).body).toMatchObject({ timeZone: 'Asia/Tokyo', timeZoneChosen: true });
    // Signing in on a workstation in another zone no longer moves it.
    expect((await set('Europe/Rome', 'workstation')).body).toMatchObject({ timeZone: 'Asia/Tokyo', timeZoneChosen: true });
    const row = await t.server.database.db.selectFrom('agent_settings').selectAll().where('agent_id', '=', anna.agentId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ time_zone: 'Asia/Tokyo', time_zone_chosen: 1, available: 1 });
  });
});

describe('presence in a conversation', () => {
  it('reaches the live sockets of those who may see the conversation, never stored nor numbered, and expires', async () => {
    const { t, device } = await desk({ presence: { viewingTtlMs: 1500, typingTtlMs: 600, sweepMs: 50 } });
    const anna = await enrolledAgent(t, device, 'anna');
    const bruno = await enrolledAgent(t, device, 'bruno');
    const sara = await enrolledAgent(t, device, 'sara', 'supervisor');
    // The waiting one must stay in the queue while Anna and Bruno are online: nobody takes new ones.
    await conversationsWaitForAReply(t);
    const theirs = await customerWrites(t, customer(t, 0), 'I need help with order 77');
    const waiting = await customerWrites(t, customer(t, 1), 'Anyone?');
    // Anna takes X: Bruno may no longer see it.
    const reply = await device.call(
      'POST',
      '/v1/messages',
      { idempotencyKey: crypto.randomUUID(), conversationId: theirs.conversationId, kind: 'text', text: 'Ciao' },
      anna.session.accessToken,
    );
    expect(reply.status).toBe(201);
    await t.server.dispatcher.settled();
    await t.server.database.feedSequencer.stamp();
    const eventsBefore = await t.server.database.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const [annaLive, brunoLive, saraLive] = [await live(t, device, anna), await live(t, device, bruno), await live(t, device, sara)];
    const report = (agent: EnrolledAgent, conversationId: number | null, typing: boolean) =>
      device.call('POST', '/v1/presence', { conversationId, typing }, agent.session.accessToken);

    expect((await report(anna, theirs.conversationId, true)).status).toBe(204);
    await saraLive.next((event) => event.type === 'presence' && event.conversationId === theirs.conversationId && event.others.some((other) => other.typing));
    expect(lastPresence(saraLive, theirs.conversationId)).toEqual({
      type: 'presence',
      conversationId: theirs.conversationId,
      others: [{ agentId: anna.agentId, name: 'Anna', typing: true }],
    });
    // Anna is told who else is there: nobody.
    expect(lastPresence(annaLive, theirs.conversationId)?.others).toEqual([]);

    // Sara views the waiting one: everyone may see that; Bruno hears of it.
    expect((await report(sara, waiting.conversationId, false)).status).toBe(204);
    await brunoLive.next((event) => event.type === 'presence' && event.conversationId === waiting.conversationId);
    expect(lastPresence(brunoLive, waiting.conversationId)?.others).toEqual([{ agentId: sara.agentId, name: 'Sara', typing: false }]);
    // Bruno may not see Anna's: he is told nothing of it, and may not report being in it.
    const refused = await report(bruno, theirs.conversationId, true);
    expect(refused).toMatchObject({ status: 404, body: { error: { code: 'conversation_not_found' } } });
    expect(presenceOf(brunoLive, theirs.conversationId)).toEqual([]);

    // Typing stops by itself when not renewed; viewing goes when the reports stop.
    await saraLive.next(
      (event) => event.type === 'presence' && event.conversationId === theirs.conversationId && event.others.length === 1 && event.others[0]?.typing === false,
    );
    await saraLive.next((event) => event.type === 'presence' && event.conversationId === theirs.conversationId && event.others.length === 0, 5000);
    expect(presenceOf(brunoLive, theirs.conversationId)).toEqual([]);

    // Nothing of it was stored: no feed event, no seq.
    await t.server.database.feedSequencer.stamp();
    const eventsAfter = await t.server.database.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(eventsAfter.n)).toBe(Number(eventsBefore.n));
    const ephemeral: ServerEvent[] = [...annaLive.events, ...brunoLive.events, ...saraLive.events].filter((event) => event.type === 'presence');
    expect(ephemeral.length).toBeGreaterThan(0);
    for (const event of ephemeral) expect(event).not.toHaveProperty('seq');
  });

  it('forgets a viewer whose socket closes, and one whose screen locks', async () => {
    const { t, device } = await desk();
    const anna = await enrolledAgent(t, device, 'anna');
    const sara = await enrolledAgent(t, device, 'sara', 'supervisor');
    const waiting = await customerWrites(t, customer(t, 1), 'Anyone?');
    const saraLive = await live(t, device, sara);
    const annaLive = await live(t, device, anna);
    await device.call('POST', '/v1/presence', { conversationId: waiting.conversationId, typing: false }, anna.session.accessToken);
    await saraLive.next((event) => event.type === 'presence' && event.conversationId === waiting.conversationId && event.others.length === 1);
    await device.call('POST', '/v1/me/screen', { locked: true }, anna.session.accessToken);
    await saraLive.next((event) => event.type === 'presence' && event.others.length === 0 && presenceOf(saraLive, waiting.conversationId).length >= 2);
    await device.call('POST', '/v1/me/screen', { locked: false }, anna.session.accessToken);
    await device.call('POST', '/v1/presence', { conversationId: waiting.conversationId, typing: true }, anna.session.accessToken);
    const before = presenceOf(saraLive, waiting.conversationId).length;
    await saraLive.next((event) => event.type === 'presence' && event.others.length === 1 && presenceOf(saraLive, waiting.conversationId).length > before);
    const seen = presenceOf(saraLive, waiting.conversationId).length;
    annaLive.close();
    await saraLive.next((event) => event.type === 'presence' && event.others.length === 0 && presenceOf(saraLive, waiting.conversationId).length > seen);
  });
});
