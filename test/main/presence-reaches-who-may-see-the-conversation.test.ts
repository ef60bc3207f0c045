/**
 * Presence between workstations, over a listening server with real client cores (each on its own
 * test platform and encrypted cache): what an agent views and types reaches, as the core's
 * `presence` event, the other agents who may see the conversation and never one who may not;
 * locking the screen takes the agent out of it (and out of "online") and unlocking puts them back;
 * a workstation that goes away is gone from it. The cores also tell the server their
 * workstation's time zone at sign-in, and the agent's availability and own pick of zone.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { EphemeralEvent } from '../../common/api/events.js';
import type { AgentPresenceView, MyStatus } from '../../common/api/presence.js';
import type { IpcEventName } from '../../common/ipc/contract.js';
import { ClientCore } from '../../main/core/client-core.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { coreDriver, pairAndEnroll } from '../helpers/core-enrollment.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import { makeTestPlatform } from '../helpers/node-platform.js';
import { runEvery } from '../helpers/run-every.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

type Presence = Extract<EphemeralEvent, { type: 'presence' }>;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await runEvery(cleanups.splice(0).reverse());
});

interface Desk {
  readonly name: string;
  readonly agentId: number;
  readonly core: ClientCore;
  readonly recoveryCodes: readonly string[];
  readonly events: Array<{ event: IpcEventName; payload: unknown }>;
  call(name: string, request?: unknown): Promise<unknown>;
  presence(conversationId: number): Presence[];
  stop(): Promise<void>;
}

async function signedIn(t: TestServer, name: string, role: 'agent' | 'supervisor', timeZone: string): Promise<Desk> {
  if (t.certificate === undefined) throw new Error('the server must run TLS');
  const platform = makeTestPlatform({ hostname: `${name}-desk`, timeZone });
  cleanups.push(() => platform.remove());
  platform.writeProvisioning({ serverUrl: t.server.url, spkiSha256: [t.certificate.spkiSha256] });
  const core = new ClientCore(platform, { pairingPollMs: 100, reconnectBackoffMs: 100, presence: { typingIdleMs: 700, typingRenewMs: 300, renewMs: 500 } });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await core.stop();
  };
  cleanups.push(stop);
  const events: Array<{ event: IpcEventName; payload: unknown }> = [];
  core.onEvent((event, payload) => events.push({ event, payload }));
  await core.start();
  const { call, waitFor } = coreDriver(core);
  const { agentId, recoveryCodes } = await pairAndEnroll(t, call, waitFor, name, role, { capacity: 0 });
  await eventually(
    () =>
      Promise.resolve(
        core.state.screen === 'inbox' && events.some(({ event, payload }) => event === 'connection' && (payload as { status: string }).status === 'online')
          ? true
          : undefined,
      ),
    10_000,
    `${name} online`,
  );
  const presence = (conversationId: number) =>
    events
      .filter(({ event, payload }) => event === 'presence' && (payload as Presence).conversationId === conversationId)
      .map(({ payload }) => payload as Presence);
  return { name, agentId, core, recoveryCodes, events, call, presence, stop };
}

/** Until the desk's latest presence event of the conversation matches. */
function untilPresence(desk: Desk, conversationId: number, match: (others: Presence['others']) => boolean, what: string): Promise<Presence> {
  return eventually(
    () => {
      const latest = desk.presence(conversationId).at(-1);
      return Promise.resolve(latest !== undefined && match(latest.others) ? latest : undefined);
    },
    10_000,
    `${desk.name}: ${what}`,
  );
}

describe('presence between workstations', () => {
  it('reaches the other agents who may see the conversation, never one who may not, and follows the screen lock', async () => {
    const t = await startTestServer({ tls: true, presence: { viewingTtlMs: 3000, typingTtlMs: 1500, sweepMs: 50 } });
    cleanups.push(() => t.close());
    const anna = await signedIn(t, 'anna', 'agent', 'Europe/Rome');
    const bruno = await signedIn(t, 'bruno', 'agent', 'Europe/London');
    const sara = await signedIn(t, 'sara', 'supervisor', 'Europe/Rome');
    const theirs = await customerWrites(t, customer(t, 0), 'My order never came');
    const waiting = await customerWrites(t, customer(t, 1), 'Anyone there?');

    // Anna answers X: it is hers now, and Bruno may no longer see it.
    await anna.call('sendMessage', { conversationId: theirs.conversationId, clientMessageId: crypto.randomUUID(), kind: 'text', text: 'Ci penso io' });
    await eventually(
      () =>
        Promise.resolve(
          bruno.events.some(({ payload }) => (payload as { type?: string; conversationId?: number }).type === 'conversation_hidden') || undefined,
        ),
      10_000,
      'X hidden on Bruno’s workstation',
    );

    // Anna views X and types: Sara sees her typing; Bruno hears nothing of X.
    await anna.call('viewConversation', { conversationId: theirs.conversationId });
    await untilPresence(sara, theirs.conversationId, (others) => others.length === 1 && others[0]?.typing === false, 'Anna viewing X');
    await anna.call('typingIn', { conversationId: theirs.conversationId });
    await anna.call('typingIn', { conversationId: theirs.conversationId });
    expect((await untilPresence(sara, theirs.conversationId, (others) => others[0]?.typing === true, 'Anna typing in X')).others).toEqual([
      { agentId: anna.agentId, name: 'anna', typing: true },
    ]);
    // The customer sees it too.
    await eventually(() => Promise.resolve(t.customers.seesAgentTyping(customer(t, 0)) || undefined), 5000, 'the customer sees Anna typing');
    // Typing ends by itself after the last key.
    await untilPresence(sara, theirs.conversationId, (others) => others.length === 1 && others[0]?.typing === false, 'Anna stopped typing');

    // Bruno and Sara view W, which all may see: each is told of the other, and Anna of both once she looks.
    await bruno.call('viewConversation', { conversationId: waiting.conversationId });
    await sara.call('viewConversation', { conversationId: waiting.conversationId });
    await untilPresence(bruno, waiting.conversationId, (others) => others.some((other) => other.agentId === sara.agentId), 'Sara in W, to Bruno');
    await untilPresence(anna, waiting.conversationId, (others) => others.length === 2, 'Bruno and Sara in W, to Anna');
    // Whatever Bruno's workstation was told, none of it was of X.
    expect(bruno.presence(theirs.conversationId)).toEqual([]);
    // Bruno asking to be shown in X changes nothing anyone sees.
    await bruno.call('viewConversation', { conversationId: theirs.conversationId });
    await bruno.call('typingIn', { conversationId: theirs.conversationId });
    await untilPresence(anna, waiting.conversationId, (others) => others.length === 1, 'Bruno left W for X, refused');
    expect(
      sara
        .presence(theirs.conversationId)
        .at(-1)
        ?.others.map((other) => other.agentId),
    ).toEqual([anna.agentId]);
    expect(bruno.presence(theirs.conversationId)).toEqual([]);

    // Anna locks her screen: she leaves X and is not online; unlocking puts her back.
    const supervision = async () => {
      const desk = await approvedDevice(t);
      const observer = await enrolledAgent(t, desk, `observer${crypto.randomInt(1e6)}`, 'supervisor');
      return async () =>
        (await desk.call<{ agents: AgentPresenceView[] }>('GET', '/v1/supervision/agents', undefined, observer.session.accessToken)).body.agents.find(
          (agent) => agent.agentId === anna.agentId,
        );
    };
    const annaAsSeen = await supervision();
    expect(await annaAsSeen()).toMatchObject({ connected: true, locked: false, online: true });
    await anna.call('lock');
    await untilPresence(sara, theirs.conversationId, (others) => others.length === 0, 'Anna gone from X when locked');
    await eventually(async () => ((await annaAsSeen())?.locked === true ? true : undefined), 5000, 'Anna locked on the server');
    expect(await annaAsSeen()).toMatchObject({ connected: true, locked: true, online: false });
    await anna.call('unlock', { secondFactor: { kind: 'recovery', code: anna.recoveryCodes[0] } });
    await untilPresence(sara, theirs.conversationId, (others) => others.length === 1, 'Anna back in X when unlocked');
    await eventually(async () => ((await annaAsSeen())?.online === true ? true : undefined), 5000, 'Anna online again');

    // Bruno's workstation goes away: the others no longer see him anywhere.
    await bruno.call('viewConversation', { conversationId: waiting.conversationId });
    await untilPresence(sara, waiting.conversationId, (others) => others.some((other) => other.agentId === bruno.agentId), 'Bruno back in W');
    await bruno.stop();
    await untilPresence(sara, waiting.conversationId, (others) => others.every((other) => other.agentId !== bruno.agentId), 'Bruno gone from W');
  }, 120_000);

  it('tells the server the workstation’s time zone at sign-in, and the agent’s availability and own zone', async () => {
    const t = await startTestServer({ tls: true });
    cleanups.push(() => t.close());
    const anna = await signedIn(t, 'anna', 'agent', 'America/New_York');
    const settings = () => t.server.database.db.selectFrom('agent_settings').selectAll().where('agent_id', '=', anna.agentId).executeTakeFirst();
    await eventually(async () => ((await settings())?.time_zone === 'America/New_York' ? true : undefined), 5000, 'the workstation’s zone on the server');
    expect(await anna.call('getMyStatus')).toEqual({ available: true, timeZone: 'America/New_York', timeZoneChosen: false, online: true });

    expect(await anna.call('setAvailability', { available: false })).toMatchObject({ available: false, online: false });
    expect(t.server.presence.online.stateOf(anna.agentId)).toMatchObject({ connected: true, available: false, online: false });
    expect(await anna.call('setTimeZone', { timeZone: 'Asia/Tokyo' })).toMatchObject({ timeZone: 'Asia/Tokyo', timeZoneChosen: true });
    expect(await settings()).toMatchObject({ available: 0, time_zone: 'Asia/Tokyo', time_zone_chosen: 1 });
    const told = anna.events.filter(({ event }) => event === 'myStatus').map(({ payload }) => payload as MyStatus);
    expect(told.at(-1)).toMatchObject({ available: false, timeZone: 'Asia/Tokyo' });
    // A zone the platform does not know is refused in main, before the server is asked.
    expect(await dispatchIpc(anna.core, 'setTimeZone', { timeZone: 'Mars/Olympus' })).toMatchObject({ ok: false, code: 'invalid_request' });
    expect(await settings()).toMatchObject({ time_zone: 'Asia/Tokyo' });
    await anna.call('setAvailability', { available: true });
    expect(t.server.presence.online.isOnline(anna.agentId)).toBe(true);
  }, 60_000);
});
