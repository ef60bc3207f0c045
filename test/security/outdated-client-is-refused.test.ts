/**
 * A desktop app older than the server's minimum (SPORTELLO_MIN_CLIENT_VERSION) was served like
 * any other, whatever it no longer understood. Now every request carries the app's version; the
 * server refuses an older one, or one that says none, with `client_outdated` (426) on every path
 * of the client API and on the event socket, and the client core turns that into the
 * update_required screen, shown in English and Italian. A revoked app still learns it was
 * revoked. The approval page, the webhooks and the OpenAPI document are not the desktop's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CLIENT_VERSION_HEADER, compareVersions } from '../../common/api/client-version.js';
import type { ConnectionState } from '../../common/ipc/app-state.js';
import { loadConfig } from '../../server/config/load-config.js';
import { ClientCore } from '../../main/core/client-core.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { startE2e } from '../e2e/e2e-setup.js';
import { waitForHeading } from '../e2e/harness/app-driver.js';
import type { UiLanguage } from '../e2e/harness/catalogue.js';
import { coreDriver, pairAndEnroll } from '../helpers/core-enrollment.js';
import { approvedDevice, IT } from '../helpers/identity-setup.js';
import { makeTestPlatform } from '../helpers/node-platform.js';
import { eventually } from '../helpers/store-queries.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `tls` for a desktop client core, which pins the certificate; plain HTTP for the test device. */
async function serverRequiring(minClientVersion: string | undefined, options: { dataDir?: string; tls?: boolean } = {}): Promise<TestServer> {
  const t = await startTestServer({ identity: { minClientVersion }, ...options });
  cleanups.push(() => t.close());
  return t;
}

/** A workstation paired by IT while it ran a version the server accepts. */
async function approvedWorkstation(t: TestServer): Promise<TestDevice> {
  const device = new TestDevice(t.server.url);
  device.clientVersion = '0.2.0';
  await t.server.identity.devices.allow([{ machineId: device.machineId, label: 'Front desk' }], IT, 'single');
  const pairing = await device.requestPairing();
  if (pairing.status !== 201) throw new Error(`pairing: ${pairing.status} ${JSON.stringify(pairing.body)}`);
  await t.server.identity.pairing.approve(pairing.body.code.replace('-', ''), IT);
  return device;
}

describe('versions', () => {
  it('compare by semantic versioning’s precedence', () => {
    const ordered = [
      '0.1.0',
      '0.1.9',
      '0.2.0-alpha',
      '0.2.0-alpha.1',
      '0.2.0-alpha.beta',
      '0.2.0-beta.2',
      '0.2.0-beta.11',
      '0.2.0-rc.1',
      '0.2.0',
      '0.10.0',
      '1.0.0',
    ];
    for (let i = 0; i < ordered.length; i += 1) {
      for (let j = 0; j < ordered.length; j += 1)
        expect(Math.sign(compareVersions(ordered[i] ?? '', ordered[j] ?? '')), `${ordered[i]} vs ${ordered[j]}`).toBe(Math.sign(i - j));
    }
    expect(compareVersions('1.2.3+build.5', '1.2.3')).toBe(0);
  });

  it('come from SPORTELLO_MIN_CLIENT_VERSION, which must be one', () => {
    expect(loadConfig({ SPORTELLO_MIN_CLIENT_VERSION: '0.2.0' }).identity.minClientVersion).toBe('0.2.0');
    expect(loadConfig({}).identity.minClientVersion).toBeUndefined();
    expect(() => loadConfig({ SPORTELLO_MIN_CLIENT_VERSION: 'v2' })).toThrow(
      /^Configuration error: SPORTELLO_MIN_CLIENT_VERSION must be a version such as 1.4.0/,
    );
  });
});

describe('the server with a minimum client version', () => {
  it('refuses older apps, and apps that send no version, on the client API with client_outdated', async () => {
    const t = await serverRequiring('0.2.0');
    const device = await approvedWorkstation(t);
    const paths: Array<[string, string, unknown?]> = [
      [
        'POST',
        '/v1/pairings',
        { machineId: device.machineId, publicKey: device.publicKey, hostname: 'x', os: 'y', appVersion: '0.1.0', storageBackend: 'gnome_libsecret' },
      ],
      ['POST', '/v1/sessions', {}],
      ['GET', '/v1/conversations'],
      ['GET', '/v1/admin/devices'],
    ];
    for (const version of [undefined, '0.1.9', '0.2.0-rc.1']) {
      device.clientVersion = version;
      for (const [method, url, body] of paths) {
        const answer = await device.call(method, url, body);
        expect(answer, `${method} ${url} as ${version ?? 'no version'}`).toMatchObject({
          status: 426,
          body: { error: { code: 'client_outdated', details: { minimumVersion: '0.2.0', clientVersion: version ?? null } } },
        });
      }
    }
    device.clientVersion = 'banana';
    expect(await device.call('GET', '/v1/conversations')).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });

    // The minimum and anything newer pass the gate (and meet the usual checks).
    for (const version of ['0.2.0', '0.2.1', '1.0.0-beta.1']) {
      device.clientVersion = version;
      expect((await device.call('GET', '/v1/conversations')).body).toMatchObject({ error: { code: 'session_required' } });
    }
  });

  it('refuses an outdated app’s event socket before the upgrade', async () => {
    const t = await serverRequiring('0.2.0');
    const refusal = await new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      const socket = new WebSocket(`${t.server.url.replace(/^http/, 'ws')}/v1/events`, { headers: { [CLIENT_VERSION_HEADER]: '0.1.0' } });
      socket.on('unexpected-response', (_request, response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          socket.terminate();
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        });
      });
      socket.on('open', () => reject(new Error('the socket opened')));
      socket.on('error', () => undefined);
    });
    expect(refusal).toMatchObject({ status: 426, body: { error: { code: 'client_outdated' } } });
  });

  it('still tells an outdated app that it was revoked, so that it wipes, and leaves what is not the desktop’s open', async () => {
    const t = await serverRequiring('0.2.0');
    const device = await approvedWorkstation(t);
    device.clientVersion = '0.1.0';
    const status = () => device.proof('device.status').then((proof) => device.call('POST', '/v1/device/status', { proof }));
    expect(await status()).toMatchObject({ status: 426, body: { error: { code: 'client_outdated' } } });
    const row = await t.server.database.db.selectFrom('devices').select('id').where('machine_id', '=', device.machineId).executeTakeFirstOrThrow();
    await t.server.identity.devices.revoke(row.id, 'Lost on the train', IT);
    expect(await status()).toMatchObject({ status: 200, body: { status: 'revoked', revokedReason: 'Lost on the train' } });

    const anonymous = new TestDevice(t.server.url);
    expect((await anonymous.call('GET', '/v1/openapi.json')).status).toBe(200);
    expect((await fetch(`${t.server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${t.server.url}/pair?code=ACDE-FGHJ`)).status).not.toBe(426);
  });

  it('serves every version when no minimum is set', async () => {
    const t = await serverRequiring(undefined);
    const device = await approvedDevice(t);
    device.clientVersion = undefined;
    expect((await device.call('GET', '/v1/conversations')).body).toMatchObject({ error: { code: 'session_required' } });
  });
});

describe('the client core of an outdated app', () => {
  it('shows update_required before pairing, with both versions, and checks again on request', async () => {
    const t = await serverRequiring('0.2.0', { tls: true });
    if (t.certificate === undefined) throw new Error('expected TLS');
    const platform = makeTestPlatform();
    cleanups.push(() => platform.remove());
    platform.writeProvisioning({ serverUrl: t.server.url, spkiSha256: [t.certificate.spkiSha256] });
    const core = new ClientCore(platform);
    cleanups.push(() => core.stop());
    await core.start();
    expect(core.state).toEqual({ screen: 'update_required', appVersion: '0.1.0', minimumVersion: '0.2.0' });
    expect(await dispatchIpc(core, 'startPairing', {})).toMatchObject({ ok: false, code: 'not_allowed_now' });
    expect(await dispatchIpc(core, 'retry', {})).toMatchObject({ ok: true, value: { screen: 'update_required' } });
    expect(await t.server.database.db.selectFrom('pairings').selectAll().execute()).toEqual([]);
  });

  it('leaves the inbox for update_required when the server it works with starts refusing its version', async () => {
    const data = makeTempDir('sportello-outdated-');
    cleanups.push(() => data.remove());
    const before = await startTestServer({ tls: true, dataDir: data.dir });
    let beforeOpen = true;
    cleanups.push(() => (beforeOpen ? before.close() : undefined));
    if (before.certificate === undefined) throw new Error('expected TLS');
    const network = await TcpProxy.start(Number(new URL(before.server.url).port));
    cleanups.push(() => network.close());

    const platform = makeTestPlatform();
    cleanups.push(() => platform.remove());
    platform.writeProvisioning({ serverUrl: `https://127.0.0.1:${network.port}`, spkiSha256: [before.certificate.spkiSha256] });
    const core = new ClientCore(platform, { pairingPollMs: 100, reconnectBackoffMs: 50 });
    cleanups.push(() => core.stop());
    let connection: ConnectionState['status'] = 'offline';
    core.onEvent((event, payload) => {
      if (event === 'connection') connection = (payload as ConnectionState).status;
    });
    await core.start();
    const { call, waitFor } = coreDriver(core);
    await pairAndEnroll(before, call, waitFor, 'anna', 'agent');
    await eventually(() => Promise.resolve(connection === 'online' ? true : undefined), 10_000, 'online');

    // The company upgrades the server and raises the minimum; the event socket reconnects to it.
    beforeOpen = false;
    await before.close();
    const after = await serverRequiring('0.2.0', { dataDir: data.dir, tls: true });
    network.retarget(Number(new URL(after.server.url).port));
    await waitFor('update_required');
    expect(core.state).toEqual({ screen: 'update_required', appVersion: '0.1.0', minimumVersion: '0.2.0' });
    expect(await dispatchIpc(core, 'listConversations', { filter: 'mine' })).toMatchObject({ ok: false, code: 'not_allowed_now' });
    // Not a revocation: the encrypted cache is still on the disk.
    expect(fs.existsSync(path.join(platform.userDataDir, 'cache'))).toBe(true);
  });
});

describe.each<UiLanguage>(['en', 'it'])('the update screen in %s', (language) => {
  it('names this version and the oldest the server accepts, and offers to check again', async () => {
    const e2e = await startE2e();
    cleanups.push(() => e2e.close());
    const session = await e2e.open(language, { server: { identity: { minClientVersion: '0.2.0' } } });
    await waitForHeading(session, session.tr('updateRequired.title'));
    const card = session.app.page.locator('.facts');
    expect(await card.getByText('0.1.0', { exact: true }).isVisible()).toBe(true);
    expect(await card.getByText('0.2.0', { exact: true }).isVisible()).toBe(true);
    expect(await session.app.page.getByText(session.tr('updateRequired.next')).isVisible()).toBe(true);
    await session.app.page.getByRole('button', { name: session.tr('updateRequired.checkAgain') }).click();
    await waitForHeading(session, session.tr('updateRequired.title'));
    expect(session.app.complaints).toEqual([]);
  });
});
