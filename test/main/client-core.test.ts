/**
 * The main-process core against a real server with the sandbox, over HTTPS with the pinned
 * certificate: the provisioning file, pairing approved by the admin CLI, enrollment, login, a
 * customer's message over the WebSocket, a reply and its ticks, idle lock and unlock, and
 * revocation wiping the workstation.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedEvent } from '../../common/api/events.js';
import type { AppState } from '../../common/ipc/app-state.js';
import type { IpcEventName, IpcEventPayload } from '../../common/ipc/contract.js';
import { ClientCore } from '../../main/core/client-core.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { IT, totpNow } from '../helpers/identity-setup.js';
import { makeTestPlatform } from '../helpers/node-platform.js';
import type { TestPlatform } from '../helpers/node-platform.js';
import { secretOfUri } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import { testDatabaseUrl } from '../helpers/test-store.js';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

let server: TestServer | undefined;
let platform: TestPlatform | undefined;
let core: ClientCore | undefined;
afterEach(async () => {
  await core?.stop();
  await server?.close();
  platform?.remove();
  core = undefined;
  server = undefined;
  platform = undefined;
});

/** Everything the core tells the renderer, and a way to wait for a particular state or event. */
function recorder(subject: ClientCore) {
  const seen: Array<{ event: IpcEventName; payload: unknown }> = [];
  const waiters: Array<{ match: (event: IpcEventName, payload: unknown) => boolean; resolve: () => void }> = [];
  subject.onEvent(<E extends IpcEventName>(event: E, payload: IpcEventPayload<E>) => {
    seen.push({ event, payload });
    for (const waiter of [...waiters]) {
      if (waiter.match(event, payload)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  const until = (match: (event: IpcEventName, payload: unknown) => boolean, what: string, timeoutMs = 10_000) =>
    new Promise<void>((resolve, reject) => {
      if (seen.some((entry) => match(entry.event, entry.payload))) return resolve();
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; state is ${subject.state.screen}`)), timeoutMs);
      waiters.push({ match, resolve: () => (clearTimeout(timer), resolve()) });
    });
  return {
    seen,
    until,
    screen: (screen: AppState['screen']) => until((event, payload) => event === 'state' && (payload as AppState).screen === screen, `the ${screen} screen`),
    inbox: (match: (event: FeedEvent) => boolean, what: string) => until((event, payload) => event === 'inbox' && match(payload as FeedEvent), what),
  };
}

async function call(subject: ClientCore, name: string, request: unknown = {}) {
  const result = await dispatchIpc(subject, name, request, { onUnexpectedError: (failed, error) => console.error(failed, error) });
  if (!result.ok) throw new Error(`${name}: ${result.code}: ${result.message}`);
  return result.value;
}

describe('the main-process core', () => {
  it('shows a clear screen and touches no network without a usable provisioning file', async () => {
    platform = makeTestPlatform();
    core = new ClientCore(platform);
    await core.start();
    expect(core.state).toMatchObject({ screen: 'unprovisioned', problem: { code: 'provisioning_missing' }, provisioningPath: platform.provisioningPath });

    platform.writeProvisioning('{"serverUrl": "http://desk.example.com", "spkiSha256": []}');
    const second = new ClientCore(platform);
    await second.start();
    expect(second.state).toMatchObject({ screen: 'unprovisioned', problem: { code: 'provisioning_malformed', message: expect.stringContaining('serverUrl') } });
    await second.stop();
  });

  it('refuses a server whose certificate key is not the pinned one', async () => {
    server = await startTestServer({ tls: true });
    platform = makeTestPlatform();
    platform.writeProvisioning({ serverUrl: server.server.url, spkiSha256: [Buffer.alloc(32, 1).toString('base64')] });
    core = new ClientCore(platform);
    await core.start();
    expect(core.state).toMatchObject({ screen: 'offline', problem: { code: 'server_pin_mismatch' } });
    const nonces = await server.server.database.db.selectFrom('auth_nonces').selectAll().execute();
    expect(nonces).toEqual([]);
  });

  it('walks the whole journey: pair, approve by CLI, enroll, log in, work, lock, unlock, revoke', async () => {
    server = await startTestServer({ tls: true, statusDelaysMs: { sent: 20, delivered: 40, read: 60 } });
    const t = server;
    if (t.certificate === undefined) throw new Error('expected TLS');
    platform = makeTestPlatform({ hostname: 'reception-02' });
    platform.writeProvisioning({ serverUrl: t.server.url, spkiSha256: [t.certificate.spkiSha256] });
    core = new ClientCore(platform, { pairingPollMs: 100, idleCheckMs: 50, reconnectBackoffMs: 100 });
    const events = recorder(core);
    await core.start();
    const unpaired = core.state;
    if (unpaired.screen !== 'unpaired' || unpaired.machineId === null) throw new Error(`expected unpaired with a machine ID, got ${unpaired.screen}`);
    expect(unpaired.machineId).toMatch(/^[0-9a-f]{64}$/);

    // IT registers the machine ID the screen shows, then the workstation asks to pair.
    await t.server.identity.devices.allow([{ machineId: unpaired.machineId, label: 'Reception 2' }], IT, 'single');
    const pairing = (await call(core, 'startPairing')) as AppState;
    if (pairing.screen !== 'pairing') throw new Error(`expected pairing, got ${pairing.screen}`);
    expect(pairing.code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);

    // The admin CLI approves the code, as IT would on the server.
    const databaseUrl = await testDatabaseUrl(t.dataDir);
    const cli = await run(process.execPath, ['--import', 'tsx', 'server/admin-cli/main.ts', 'devices', 'approve', pairing.code, '--yes', '--json'], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        SPORTELLO_DATA_DIR: t.dataDir,
        SPORTELLO_LOG_LEVEL: 'silent',
        ...(databaseUrl === undefined ? {} : { SPORTELLO_DATABASE_URL: databaseUrl }),
      },
    });
    expect(cli.stdout).toContain('active');
    await events.screen('signed_out');
    expect(core.state).toMatchObject({ screen: 'signed_out', deviceLabel: 'Reception 2' });

    // Enrollment with the admin's one-time code.
    const issued = await t.server.identity.agents.create({ username: 'chiara', displayName: 'Chiara', roles: ['supervisor', 'admin'] }, IT);
    const enrolling = (await call(core, 'startEnrollment', {
      username: 'chiara',
      enrollmentCode: issued.enrollmentCode,
      newPassword: 'orange kettle winter 19',
    })) as AppState;
    if (enrolling.screen !== 'enrolling' || enrolling.step !== 'authenticator') throw new Error('expected the authenticator step');
    const secret = secretOfUri(enrolling.otpauthUri);
    expect(enrolling.manualKey.replace(/ /g, '')).toBe(secret);
    const wrong = await dispatchIpc(core, 'confirmEnrollment', { code: '000000' });
    expect(wrong).toMatchObject({ ok: false, code: 'totp_code_wrong' });
    const codes = (await call(core, 'confirmEnrollment', { code: await totpNow(secret) })) as AppState;
    if (codes.screen !== 'enrolling' || codes.step !== 'recovery_codes') throw new Error('expected the recovery codes');
    expect(codes.recoveryCodes).toHaveLength(10);
    await call(core, 'finishEnrollment');
    expect(core.state).toMatchObject({ screen: 'inbox', agent: { username: 'chiara', roles: ['supervisor', 'admin'] }, blockScreenshots: true });
    expect(platform.desktop.contentProtection).toBe(true);

    // A customer writes: the event arrives through the socket, and a notification without text.
    await events.until((event, payload) => event === 'connection' && (payload as { status: string }).status === 'online', 'the event socket');
    const written = await customerWrites(t, customer(t, 0), 'Il pacco è arrivato rotto');
    await events.inbox((event) => event.type === 'message' && event.message.id === written.messageId, 'the customer message');
    expect(platform.desktop.notifications).toContainEqual({ title: expect.any(String), body: null });

    const page = (await call(core, 'listConversations', { filter: 'all' })) as { items: Array<{ id: number }> };
    expect(page.items.map((item) => item.id)).toContain(written.conversationId);
    const sent = (await call(core, 'sendMessage', {
      conversationId: written.conversationId,
      clientMessageId: crypto.randomUUID(),
      kind: 'text',
      text: 'Mi dispiace, la rimborsiamo subito.',
    })) as {
      state: string;
      message: { id: number };
    };
    expect(sent.state).toBe('sent');
    await events.inbox((event) => event.type === 'status' && event.message.id === sent.message.id && event.message.status === 'read', 'the read tick');

    // Idle: the app locks, the inbox is out of reach, the authenticator brings it back.
    platform.idle.seconds = 10 * 60;
    await events.screen('locked');
    expect(core.state).toMatchObject({ screen: 'locked', reason: 'idle' });
    expect(await dispatchIpc(core, 'listConversations', { filter: 'all' })).toMatchObject({ ok: false, code: 'not_allowed_now' });
    platform.idle.seconds = 0;
    expect(await dispatchIpc(core, 'unlock', { secondFactor: { kind: 'totp', code: '123456' } })).toMatchObject({ ok: false, code: 'unlock_failed' });
    await call(core, 'unlock', { secondFactor: { kind: 'totp', code: await totpNow(secret, Date.now() + 30_000) } });
    expect(core.state.screen).toBe('inbox');
    platform.idle.lockScreen();
    expect(core.state).toMatchObject({ screen: 'locked', reason: 'screen_locked' });
    await call(core, 'unlock', { secondFactor: { kind: 'recovery', code: codes.recoveryCodes[0] ?? '' } });

    // Revocation: the socket closes, the workstation wipes its key and says why.
    const device = await t.server.database.db.selectFrom('devices').select('id').where('machine_id', '=', unpaired.machineId).executeTakeFirstOrThrow();
    await t.server.identity.devices.revoke(device.id, 'Workstation decommissioned', IT);
    await events.screen('revoked');
    expect(core.state).toEqual({ screen: 'revoked', reason: 'Workstation decommissioned', dataErased: true });
    expect(fs.readdirSync(path.join(platform.userDataDir, 'secrets'))).toEqual([]);
    expect(await dispatchIpc(core, 'listConversations', { filter: 'all' })).toMatchObject({ ok: false, code: 'not_allowed_now' });
  });
});
