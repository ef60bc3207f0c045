/**
 * The desktop app's ServerApi builds every request from the client API's contract: each of its
 * methods, called against the real server through a recording HTTPS front (pinned, as the app
 * connects), sends requests that each name one contract route, with exactly the parts that route
 * declares, and takes the route's answer.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CLIENT_API_ROUTES } from '../../common/api/client-api.js';
import type { Endpoint } from '../../common/api/endpoint.js';
import { ServerError } from '../../main/connection/https-json.js';
import { pinnedAgent } from '../../main/connection/pinned-agent.js';
import { ServerApi } from '../../main/connection/server-api.js';
import { AdminApi } from '../../main/connection/admin-api.js';
import { DeviceKey } from '../../main/device/device-key.js';
import { SealedFiles } from '../../main/secrets/sealed-files.js';
import { ensureDevCertificate } from '../../server/tls/dev-certificate.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { PNG } from '../helpers/file-samples.js';
import { approvedDevice, enrolledAgent, GOOD_PASSWORD, IT } from '../helpers/identity-setup.js';
import { TestKeyring } from '../helpers/node-platform.js';
import { runEvery } from '../helpers/run-every.js';
import { secretOfUri, TestDevice, totpNow } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

interface Recorded {
  readonly method: string;
  readonly target: string;
  readonly contentType: string | undefined;
  readonly body: Buffer;
  status: number;
}

type MethodsOf<T> = { [K in keyof T]: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T];
/** ServerApi's methods, and its admin part's as `admin.<method>`. */
type ApiMethod = MethodsOf<ServerApi> | `admin.${MethodsOf<AdminApi>}`;

let t: TestServer;
let front: https.Server;
let agent: https.Agent;
let api: ServerApi;
const temp = makeTempDir('sportello-contract-');
const recorded: Recorded[] = [];
/** The requests each ServerApi method made. */
const madeBy = new Map<ApiMethod, Recorded[]>();
/** What a call the server refused was refused with. */
const refusals = new Map<ApiMethod, string>();

/** Calls one ServerApi method, noting the requests it made. */
async function use<T>(method: ApiMethod, call: (client: ServerApi) => Promise<T>): Promise<T> {
  const from = recorded.length;
  try {
    return await call(api);
  } finally {
    madeBy.set(method, [...(madeBy.get(method) ?? []), ...recorded.slice(from)]);
  }
}

/** A front that records each request and hands it to the real server. */
async function startFront(certFile: string, keyFile: string, upstream: string): Promise<https.Server> {
  const server = https.createServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry: Recorded = {
        method: request.method ?? '',
        target: request.url ?? '',
        contentType: request.headers['content-type'],
        body: Buffer.concat(chunks),
        status: 0,
      };
      recorded.push(entry);
      const forward = http.request(`${upstream}${entry.target}`, { method: entry.method, headers: request.headers }, (answer) => {
        entry.status = answer.statusCode ?? 0;
        response.writeHead(entry.status, answer.headers);
        answer.pipe(response);
      });
      forward.on('error', (error) => response.destroy(error));
      forward.end(entry.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** A pending pairing of another workstation, and the code it shows. */
async function pendingPairing(): Promise<{ device: TestDevice; code: string }> {
  const device = new TestDevice(t.server.url);
  await t.server.identity.devices.allow([{ machineId: device.machineId, label: `Desk ${device.machineId.slice(0, 4)}` }], IT, 'single');
  const pairing = await device.requestPairing();
  if (pairing.status !== 201) throw new Error(`pairing: ${pairing.status} ${JSON.stringify(pairing.body)}`);
  return { device, code: pairing.body.code };
}

async function refused(method: ApiMethod, call: (client: ServerApi) => Promise<unknown>): Promise<void> {
  const error: unknown = await use(method, call).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ServerError)) throw new Error(`${method} was expected to be refused by the server`, { cause: error });
  refusals.set(method, error.code);
}

beforeAll(async () => {
  t = await startTestServer();
  const certificate = await ensureDevCertificate(temp.dir);
  front = await startFront(certificate.certFile, certificate.keyFile, t.server.url);
  agent = pinnedAgent([certificate.spkiSha256]);
  const machineId = crypto.randomBytes(32).toString('hex');
  const key = DeviceKey.loadOrCreate(new SealedFiles(path.join(temp.dir, 'secrets'), new TestKeyring()));
  api = new ServerApi({ baseUrl: `https://127.0.0.1:${(front.address() as AddressInfo).port}`, agent, clientVersion: '0.1.0' }, machineId, key);

  // Pairing, approved by IT.
  await t.server.identity.devices.allow([{ machineId, label: 'Contract desk' }], IT, 'single');
  await use('proof', (client) => client.proof('device.status'));
  await use('deviceStatus', (client) => client.deviceStatus());
  const started = await use('requestPairing', (client) =>
    client.requestPairing({ hostname: 'contract-desk', os: 'Linux 6.1', appVersion: '0.1.0', storageBackend: 'gnome_libsecret' }),
  );
  const rotated = await use('rotatePairingCode', (client) => client.rotatePairingCode(started.pairingId));
  await t.server.identity.pairing.approve(rotated.code.replace('-', ''), IT);
  expect((await use('pairingStatus', (client) => client.pairingStatus(started.pairingId))).status).toBe('approved');

  // Enrollment and sessions, as an admin.
  const username = 'contract.admin';
  const issued = await t.server.identity.agents.create({ username, displayName: 'Contract Admin', roles: ['supervisor', 'admin'] }, IT);
  const enrollment = await use('startEnrollment', (client) =>
    client.startEnrollment({ username, enrollmentCode: issued.enrollmentCode, newPassword: GOOD_PASSWORD }),
  );
  const code = await totpNow(secretOfUri(enrollment.otpauthUri));
  const { recoveryCodes } = await use('confirmEnrollment', (client) => client.confirmEnrollment(enrollment.enrollmentId, code));
  const [first, second] = recoveryCodes;
  if (first === undefined || second === undefined) throw new Error('enrollment gave no recovery codes');
  const login = await use('login', (client) => client.login({ username, password: GOOD_PASSWORD, secondFactor: { kind: 'recovery', code: first } }));
  const { accessToken: token } = await use('refresh', (client) => client.refresh(login.refreshToken));
  await use('unlock', (client) => client.unlock(token, { kind: 'recovery', code: second }));

  // The inbox.
  const { conversationId } = await customerWrites(t, customer(t));
  expect((await use('conversations', (client) => client.conversations(token, { filter: 'all' }))).items.map((item) => item.id)).toContain(conversationId);
  const onItsNumber = await use('conversations', (client) => client.conversations(token, { filter: 'all', number: t.sandbox.business.phoneNumberId }));
  expect(onItsNumber.items.map((item) => item.id)).toContain(conversationId);
  expect((await use('businessNumbers', (client) => client.businessNumbers(token))).numbers.map((each) => each.phoneNumberId)).toContain(
    t.sandbox.business.phoneNumberId,
  );
  expect((await use('conversation', (client) => client.conversation(token, conversationId))).id).toBe(conversationId);
  expect((await use('messages', (client) => client.messages(token, conversationId, { limit: 10 }))).items).toHaveLength(1);
  const uploaded = await use('uploadMedia', (client) =>
    client.uploadMedia(token, { kind: 'image', filename: 'dot image.png', mimeType: 'image/png', bytes: PNG }),
  );
  expect(Buffer.from((await use('downloadMedia', (client) => client.downloadMedia(token, uploaded.mediaId, 1024 * 1024))).bytes)).toEqual(PNG);
  await use('send', (client) =>
    client.send(token, { kind: 'media', idempotencyKey: crypto.randomUUID(), conversationId, mediaId: uploaded.mediaId, caption: 'the form' }),
  );
  await use('markRead', (client) => client.markRead(token, conversationId));
  // Internal notes.
  const added = await use('addNote', (client) => client.addNote(token, conversationId, { clientNoteId: crypto.randomUUID(), body: 'Asked @contract.admin' }));
  expect(added.note.mentions).toEqual([]);
  expect((await use('notes', (client) => client.notes(token, conversationId, { limit: 10 }))).items.map((item) => item.id)).toEqual([added.note.id]);
  expect(await use('note', (client) => client.note(token, added.note.id))).toEqual(added.note);
  expect((await use('mentionable', (client) => client.mentionable(token, conversationId))).agents.map((each) => each.username)).toContain(username);
  // Hand-over: the supervisor's own reply took it; back to the queue, claimed, moved in bulk, claimed, transferred to the team's queue.
  const general = (await use('transferTargets', (client) => client.transferTargets(token, conversationId))).teams.find((team) => team.current);
  if (general === undefined) throw new Error('the conversation has no team to transfer to');
  expect((await use('unassign', (client) => client.unassign(token, conversationId, issued.agent.id))).conversation?.assignedAgentId).toBeNull();
  expect((await use('claim', (client) => client.claim(token, conversationId))).conversation?.assignedAgentId).toBe(issued.agent.id);
  expect(await use('bulkReassign', (client) => client.bulkReassign(token, { conversationIds: [conversationId] }))).toEqual({
    moved: [conversationId],
    unchanged: [],
  });
  await use('claim', (client) => client.claim(token, conversationId));
  expect((await use('transfer', (client) => client.transfer(token, conversationId, { teamId: general.teamId }))).conversation?.assignedAgentId).toBeNull();
  const resolved = await use('changeState', (client) => client.changeState(token, conversationId, { state: 'resolved' }));
  expect(resolved.conversation.state).toBe('resolved');
  expect((await use('history', (client) => client.history(token, conversationId, { limit: 10 }))).items.map((entry) => entry.state)).toContain('resolved');
  const { conversationId: next } = await customerWrites(t, customer(t), 'Back again');
  expect((await use('earlierConversations', (client) => client.earlierConversations(token, next, {}))).items.map((item) => item.id)).toEqual([conversationId]);
  // Blocking the customer, and the supervisor unblocking them.
  expect((await use('blockCustomer', (client) => client.blockCustomer(token, next, 'Insults the staff'))).conversation.block).toMatchObject({
    reason: 'Insults the staff',
  });
  expect((await use('unblockCustomer', (client) => client.unblockCustomer(token, next))).conversation.block).toBeNull();
  // The customer's number, masked in every summary, revealed with a reason.
  expect(await use('revealCustomerNumber', (client) => client.revealCustomerNumber(token, next, 'Asked to be called back'))).toEqual({
    conversationId: next,
    phone: customer(t).waId,
  });
  expect((await use('conversations', (client) => client.conversations(token, { filter: 'all', state: 'resolved' }))).items.map((item) => item.id)).toEqual([
    conversationId,
  ]);

  // Presence.
  expect(await use('setTimeZone', (client) => client.setTimeZone(token, 'Europe/Rome', 'workstation'))).toMatchObject({ timeZone: 'Europe/Rome' });
  expect(await use('setAvailability', (client) => client.setAvailability(token, false))).toMatchObject({ available: false });
  expect(await use('myStatus', (client) => client.myStatus(token))).toMatchObject({ available: false, timeZone: 'Europe/Rome', online: false });
  // The supervisor view: the default team, which this supervisor supervises.
  expect((await use('supervisorOverview', (client) => client.supervisorOverview(token))).teams.map((team) => team.name)).toEqual(['General']);
  expect(await use('memberConversations', (client) => client.memberConversations(token, general.teamId, issued.agent.id))).toEqual({
    teamId: general.teamId,
    agentId: issued.agent.id,
    items: [],
    total: 0,
  });
  // Personal data asked with its purpose, and the customer's answer on promotions.
  const asking = { idempotencyKey: crypto.randomUUID(), conversationId: next, kind: 'text' as const, text: 'Could you send me your email address?' };
  await use('send', (client) => client.send(token, { ...asking, personalDataPurpose: { purpose: 'promotions' } }));
  expect(await use('recordConsent', (client) => client.recordConsent(token, next, { consent: 'yes', wording: 'Offers by WhatsApp?' }))).toMatchObject({
    consent: 'yes',
    source: 'agent',
  });
  expect(await use('conversationPersonalData', (client) => client.conversationPersonalData(token, next))).toMatchObject({
    requests: [{ kinds: ['email'], purpose: 'promotions' }],
    promotionsConsent: 'yes',
  });
  await use('reportScreenLock', (client) => client.reportScreenLock(token, true));
  await use('reportPresence', (client) => client.reportPresence(token, { conversationId, typing: true }));

  // Administration.
  const rejected = await pendingPairing();
  expect((await use('admin.lookupPairing', (client) => client.admin.lookupPairing(token, rejected.code))).device.machineId).toBe(rejected.device.machineId);
  expect((await use('admin.rejectPairing', (client) => client.admin.rejectPairing(token, rejected.code))).status).toBe('rejected');
  const approved = await pendingPairing();
  const device = await use('admin.approvePairing', (client) => client.admin.approvePairing(token, approved.code, false));
  expect((await use('admin.devices', (client) => client.admin.devices(token))).devices.map((each) => each.id)).toContain(device.id);
  expect((await use('admin.revokeDevice', (client) => client.admin.revokeDevice(token, device.id, 'lost on a train'))).status).toBe('revoked');
  const created = await use('admin.createAgent', (client) =>
    client.admin.createAgent(token, { username: 'nuovo.agente', displayName: 'Nuovo Agente', roles: ['agent'] }),
  );
  expect((await use('admin.agents', (client) => client.admin.agents(token))).agents.map((each) => each.username)).toContain('nuovo.agente');
  expect((await use('admin.numbers', (client) => client.admin.numbers(token))).numbers.map((each) => each.phoneNumberId)).toContain(
    t.sandbox.business.phoneNumberId,
  );
  const number = { phoneNumberId: '100000000000123', wabaId: '200000000000123', displayName: 'Contract', accessToken: `EAACONTRACT${'x'.repeat(24)}` };
  expect((await use('admin.addNumber', (client) => client.admin.addNumber(token, number))).health).toBe('ok');
  expect(
    (await use('admin.rotateNumberToken', (client) => client.admin.rotateNumberToken(token, number.phoneNumberId, `EAANEW${'y'.repeat(24)}`))).hasToken,
  ).toBe(true);
  expect((await use('admin.removeNumber', (client) => client.admin.removeNumber(token, number.phoneNumberId, undefined))).movedConversations).toBe(0);
  const team = await use('admin.createTeam', (client) => client.admin.createTeam(token, { name: 'Contratti' }));
  expect((await use('admin.teams', (client) => client.admin.teams(token))).teams.map((each) => each.name)).toContain('Contratti');
  expect((await use('admin.updateTeam', (client) => client.admin.updateTeam(token, team.id, { description: 'I contratti' }))).description).toBe('I contratti');
  expect(
    (await use('admin.teamMember', (client) => client.admin.teamMember(token, team.id, { kind: 'add', agentId: created.agent.id, capacity: 2 }))).members,
  ).toHaveLength(1);
  await use('admin.teamMember', (client) => client.admin.teamMember(token, team.id, { kind: 'capacity', agentId: created.agent.id, capacity: 0 }));
  await use('admin.teamMember', (client) => client.admin.teamMember(token, team.id, { kind: 'remove', agentId: created.agent.id }));
  expect((await use('admin.setAgentRoles', (client) => client.admin.setAgentRoles(token, created.agent.id, ['agent', 'supervisor']))).roles).toEqual([
    'agent',
    'supervisor',
  ]);
  expect((await use('admin.teamSupervisor', (client) => client.admin.teamSupervisor(token, team.id, created.agent.id, true))).supervisors).toHaveLength(1);
  await use('admin.teamSupervisor', (client) => client.admin.teamSupervisor(token, team.id, created.agent.id, false));
  expect((await use('admin.setNumberTeam', (client) => client.admin.setNumberTeam(token, t.sandbox.business.phoneNumberId, team.id))).defaultTeamId).toBe(
    team.id,
  );
  await use('admin.setNumberTeam', (client) => client.admin.setNumberTeam(token, t.sandbox.business.phoneNumberId, null));
  const hours = {
    timeZone: 'Europe/Rome',
    week: { mon: [{ from: '09:00', to: '18:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
    holidays: [],
  };
  expect((await use('setTeamHours', (client) => client.setTeamHours(token, team.id, { hours, awayMessage: 'Chiusi' }))).hours).toEqual(hours);
  expect((await use('teamHours', (client) => client.teamHours(token, team.id))).awayMessage).toBe('Chiusi');
  const rule = await use('admin.createRoutingRule', (client) =>
    client.admin.createRoutingRule(token, { condition: { kind: 'keyword', keywords: ['contratto'] }, teamId: team.id }),
  );
  expect((await use('admin.routingRules', (client) => client.admin.routingRules(token))).rules.map((each) => each.id)).toContain(rule.id);
  expect((await use('admin.updateRoutingRule', (client) => client.admin.updateRoutingRule(token, rule.id, { enabled: false }))).enabled).toBe(false);
  expect((await use('admin.moveRoutingRule', (client) => client.admin.moveRoutingRule(token, rule.id, 1))).rules[0]?.id).toBe(rule.id);
  expect((await use('admin.removeRoutingRule', (client) => client.admin.removeRoutingRule(token, rule.id))).removed).toBe(rule.id);
  expect((await use('admin.removeTeam', (client) => client.admin.removeTeam(token, team.id, undefined))).movedConversations).toBe(0);
  expect((await use('admin.agentAction', (client) => client.admin.agentAction(token, created.agent.id, 'disable'))).status).toBe('disabled');
  await refused('admin.agentAction', (client) => client.admin.agentAction(token, created.agent.id, 'unlock'));
  const reply = await use('saveQuickReply', (client) =>
    client.saveQuickReply(token, undefined, { teamId: null, shortcut: 'hi', texts: { en: 'Hi {{customer.name}}' } }),
  );
  expect(
    (await use('saveQuickReply', (client) => client.saveQuickReply(token, reply.id, { teamId: null, shortcut: 'hello', texts: { it: 'Ciao' } }))).shortcut,
  ).toBe('hello');
  expect((await use('managedQuickReplies', (client) => client.managedQuickReplies(token))).replies.map((each) => each.id)).toEqual([reply.id]);
  expect((await use('quickReplies', (client) => client.quickReplies(token))).replies.map((each) => each.id)).toEqual([reply.id]);
  await use('removeQuickReply', (client) => client.removeQuickReply(token, reply.id));
  const label = await use('saveLabel', (client) => client.saveLabel(token, undefined, { teamId: null, name: 'Urgente', color: 'red' }));
  expect((await use('saveLabel', (client) => client.saveLabel(token, label.id, { teamId: null, name: 'Urgentissimo', color: 'orange' }))).name).toBe(
    'Urgentissimo',
  );
  expect((await use('managedLabels', (client) => client.managedLabels(token))).labels.map((each) => each.id)).toEqual([label.id]);
  expect((await use('labels', (client) => client.labels(token))).labels.map((each) => each.id)).toEqual([label.id]);
  expect((await use('conversationLabel', (client) => client.conversationLabel(token, conversationId, label.id, true))).labels.map((each) => each.id)).toEqual([
    label.id,
  ]);
  expect(
    (await use('conversations', (client) => client.conversations(token, { filter: 'all', state: 'resolved', label: label.id }))).items.map((item) => item.id),
  ).toEqual([conversationId]);
  expect((await use('conversationLabel', (client) => client.conversationLabel(token, conversationId, label.id, false))).labels).toEqual([]);
  await use('removeLabel', (client) => client.removeLabel(token, label.id));
  const elsewhere = await enrolledAgent(t, await approvedDevice(t, 'elsewhere'), 'signed.elsewhere');
  const live = await use('admin.sessions', (client) => client.admin.sessions(token));
  const theirs = live.sessions.find((session) => session.agent.id === elsewhere.agentId);
  if (theirs === undefined) throw new Error('the other agent’s session is not listed');
  expect((await use('admin.endSession', (client) => client.admin.endSession(token, theirs.id))).endedAt).not.toBeNull();
  const page = await use('admin.audit', (client) => client.admin.audit(token, { event: 'session.ended', actor: username, limit: 5 }));
  expect(page.items.map((item) => item.event)).toEqual(['session.ended']);
  expect((await use('admin.verifyAudit', (client) => client.admin.verifyAudit(token))).ok).toBe(true);
  await use('logout', (client) => client.logout(token));
});

afterAll(async () => {
  await runEvery([
    () => {
      agent?.destroy();
    },
    () => new Promise<void>((resolve) => (front === undefined ? resolve() : front.close(() => resolve()))),
    () => t?.close(),
    () => temp.remove(),
  ]);
});

const matches = (route: Endpoint, pathname: string) => new RegExp(`^${route.url.replace(/:[A-Za-z]+/g, '([^/]+)')}$`).exec(pathname);
const keysOf = (schema: z.ZodType | undefined) => (schema === undefined ? [] : Object.keys((schema as z.ZodObject).shape));

describe('ServerApi', () => {
  it('has every one of its methods called here', () => {
    const methods = [
      ...Object.getOwnPropertyNames(ServerApi.prototype),
      ...Object.getOwnPropertyNames(AdminApi.prototype).map((name) => `admin.${name}`),
    ].filter((name) => !name.endsWith('constructor'));
    expect([...madeBy.keys()].sort()).toEqual(methods.sort());
    for (const [method, requests] of madeBy) expect(requests.length, method).toBeGreaterThan(0);
  });

  it('sends each request to one route of the contract, with exactly the parts that route declares', () => {
    for (const [method, requests] of madeBy) {
      for (const request of requests) {
        const [pathname = '', search = ''] = request.target.split('?');
        const where = `${method}: ${request.method} ${request.target}`;
        const routes = CLIENT_API_ROUTES.filter((route) => route.method === request.method && matches(route, pathname) !== null);
        expect(
          routes.map((route) => route.name),
          where,
        ).toHaveLength(1);
        const route = routes[0] as Endpoint;
        const params = Object.fromEntries(
          (route.url.match(/:[A-Za-z]+/g) ?? []).map((name, index) => [name.slice(1), decodeURIComponent(matches(route, pathname)?.[index + 1] ?? '')]),
        );
        if (route.params !== undefined) expect(route.params.safeParse(params).success, where).toBe(true);
        const query = Object.fromEntries(new URLSearchParams(search));
        for (const name of Object.keys(query)) expect(keysOf(route.query), where).toContain(name);
        if (route.query !== undefined) expect(route.query.safeParse(query).success, where).toBe(true);
        if (route.kind === 'json' && route.body !== undefined) {
          expect(request.contentType, where).toBe('application/json');
          expect(route.body.safeParse(JSON.parse(request.body.toString('utf8'))).success, where).toBe(true);
        } else if (route.kind === 'upload') {
          expect(request.contentType, where).toBe('image/png');
          expect(request.body, where).toEqual(PNG);
        } else {
          expect(request.body.length, where).toBe(0);
        }
      }
    }
  });

  it('takes each route’s answer: a success, or the route’s own refusal', () => {
    for (const [method, requests] of madeBy) {
      for (const request of requests) {
        if (refusals.has(method) && request.status >= 400) continue;
        expect(request.status, `${method}: ${request.method} ${request.target}`).toBeLessThan(300);
      }
    }
    expect(Object.fromEntries(refusals)).toEqual({ 'admin.agentAction': 'agent_not_locked' });
  });
});
