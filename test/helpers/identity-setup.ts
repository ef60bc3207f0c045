/**
 * Setting up trust for a test: an approved workstation and an enrolled agent, through the same
 * services and API calls IT and the agent would use.
 */
import fs from 'node:fs';
import WebSocket from 'ws';
import type { SessionGrant } from '../../common/api/session.js';
import { EventFrame } from '../../common/api/events.js';
import type { ServerEvent } from '../../common/api/events.js';
import { PROOF_HEADER, proofHeaderValue } from '../../common/api/feed-endpoints.js';
import { cliActor } from '../../server/audit/actor.js';
import type { BuiltTestServer, TestServer } from './test-server.js';
import { secretOfUri, TestDevice, totpNow } from './test-device.js';
import type { DeviceTarget } from './test-device.js';

export const IT = cliActor('it-admin');
export const GOOD_PASSWORD = 'violet tractor harbour 42';

/** A listening test server, or one only built (its devices' requests are then injected). */
export type ServerUnderTest = TestServer | BuiltTestServer;

/** Where a workstation reaches the server under test. */
export function deviceTarget(t: ServerUnderTest): DeviceTarget {
  return 'url' in t.server ? t.server.url : t.server.app;
}

/** A workstation IT registered and an admin approved (calling from `sourceAddress`, a loopback address, when given). */
export async function approvedDevice(t: ServerUnderTest, hostname?: string, sourceAddress?: string): Promise<TestDevice> {
  const trustedCertificate = !('certificate' in t) || t.certificate === undefined ? undefined : fs.readFileSync(t.certificate.certFile, 'utf8');
  const device = new TestDevice(deviceTarget(t), { hostname, sourceAddress, trustedCertificate });
  await t.server.identity.devices.allow([{ machineId: device.machineId, label: `Desk ${device.machineId.slice(0, 4)}` }], IT, 'single');
  const pairing = await device.requestPairing();
  if (pairing.status !== 201) throw new Error(`pairing: ${pairing.status} ${JSON.stringify(pairing.body)}`);
  await t.server.identity.pairing.approve(pairing.body.code.replace('-', ''), IT);
  return device;
}

export interface EnrolledAgent {
  readonly agentId: number;
  readonly username: string;
  readonly password: string;
  readonly secret: string;
  readonly recoveryCodes: string[];
  readonly session: SessionGrant;
  /** The TOTP code that confirmed enrollment: its step is spent. */
  readonly confirmCode: string;
}

/**
 * The agent acknowledges every rule of the security briefing in force, through the server's own
 * service (audited as when they tick each rule on the briefing screen). The one place the test
 * harnesses do it (enrolledAgent, the core's pairAndEnroll, the e2e app driver), so tests about
 * what comes after the briefing find the inbox open;
 * test/security/briefing-must-be-acknowledged-before-the-inbox.test.ts proves the refusal without it.
 */
export async function acknowledgeTheBriefing(t: ServerUnderTest, agent: { readonly agentId: number; readonly username: string }): Promise<void> {
  const { version, rules } = await t.server.briefings.current();
  await t.server.briefings.acknowledge(
    { agentId: agent.agentId, username: agent.username, deviceId: null, roles: ['agent'] },
    { version, ruleIds: rules.map((rule) => rule.id) },
    null,
  );
}

/** An agent created by an admin, who acknowledged the briefing, and enrolled on `device` through the API; logged in by the enrollment. */
export async function enrolledAgent(
  t: ServerUnderTest,
  device: TestDevice,
  username: string,
  role: 'agent' | 'supervisor' | 'admin' | ReadonlyArray<'agent' | 'supervisor' | 'admin'> = 'agent',
  /** The teams to join (default: the default team). */
  teamIds?: readonly number[],
): Promise<EnrolledAgent> {
  const issued = await t.server.identity.agents.create(
    {
      username,
      displayName: username[0]?.toUpperCase() + username.slice(1),
      roles: typeof role === 'string' ? [role] : [...role],
      ...(teamIds === undefined ? {} : { teamIds: [...teamIds] }),
    },
    IT,
  );
  await acknowledgeTheBriefing(t, { agentId: issued.agent.id, username });
  return { agentId: issued.agent.id, ...(await enrollWithCode(device, username, issued.enrollmentCode)) };
}

/** What the agent does with the code an admin gave them: set a password, confirm the authenticator on `device`. */
export async function enrollWithCode(device: TestDevice, username: string, enrollmentCode: string): Promise<Omit<EnrolledAgent, 'agentId'>> {
  const started = await device.call<{ enrollmentId: string; otpauthUri: string }>('POST', '/v1/enrollment', {
    username,
    enrollmentCode,
    newPassword: GOOD_PASSWORD,
    proof: await device.proof('enrollment.start', username),
  });
  if (started.status !== 201) throw new Error(`enrollment: ${started.status} ${JSON.stringify(started.body)}`);
  const secret = secretOfUri(started.body.otpauthUri);
  const confirmCode = await totpNow(secret);
  const confirmed = await device.call<{ recoveryCodes: string[]; session: SessionGrant }>('POST', '/v1/enrollment/confirm', {
    enrollmentId: started.body.enrollmentId,
    code: confirmCode,
    proof: await device.proof('enrollment.confirm', started.body.enrollmentId),
  });
  if (confirmed.status !== 200) throw new Error(`confirm: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  return { username, password: GOOD_PASSWORD, secret, recoveryCodes: confirmed.body.recoveryCodes, session: confirmed.body.session, confirmCode };
}

/** A connected event socket and everything it has received. */
export interface EventSocket {
  readonly socket: WebSocket;
  readonly events: ServerEvent[];
  /** How many events each received frame held, in order. */
  readonly frameSizes: number[];
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Resolves with the first received event (already received or yet to come) that matches. */
  next(match: (event: ServerEvent) => boolean, timeoutMs?: number): Promise<ServerEvent>;
  close(): void;
}

/** `port`: connect there instead of the server's own port (a proxy in front of it); `locked`: the workstation's screen is locked as it connects. */
export async function openEventSocket(
  t: TestServer,
  device: TestDevice,
  accessToken: string,
  after = 0,
  options: { port?: number; locked?: boolean } = {},
): Promise<EventSocket> {
  const proof = await device.proof('events.connect');
  const base = options.port === undefined ? t.server.url : `http://127.0.0.1:${options.port}`;
  const url = `${base.replace(/^http/, 'ws')}/v1/events?after=${after}${options.locked === undefined ? '' : `&locked=${options.locked}`}`;
  const socket = new WebSocket(url, {
    headers: { authorization: `Bearer ${accessToken}`, [PROOF_HEADER]: proofHeaderValue(proof) },
    ca: device.trustedCertificate,
  });
  const events: ServerEvent[] = [];
  const frameSizes: number[] = [];
  const waiters: Array<{ match: (event: ServerEvent) => boolean; resolve: (event: ServerEvent) => void }> = [];
  socket.on('message', (data: Buffer) => {
    // Strict: every frame the server sends must be of the declared shape; kept as sent (nothing stripped).
    const json: unknown = JSON.parse(data.toString('utf8'));
    EventFrame.parse(json);
    const frame = json as ServerEvent[];
    frameSizes.push(frame.length);
    for (const event of frame) {
      events.push(event);
      for (const waiter of [...waiters]) {
        if (waiter.match(event)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) => reject(new Error(`event socket refused: HTTP ${response.statusCode}`)));
    socket.once('error', reject);
  });
  return {
    socket,
    events,
    frameSizes,
    closed,
    next(match, timeoutMs = 5000) {
      const seen = events.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<ServerEvent>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events.map((event) => event.type))}`)),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (event) => {
            clearTimeout(timer);
            resolve(event);
          },
        });
      });
    },
    close: () => socket.close(),
  };
}

export { totpNow };
