/**
 * A workstation paired on one Linux desktop (KDE: its keys sealed by KWallet) is started in
 * another session, where Chromium on its own would pick another secret store (a bare window
 * manager: basic_text). The app must ask for the store that sealed its keys before it is ready
 * (`--password-store`), and so open them: it stays paired, rather than "the workstation must be
 * paired again". main/index.ts runs against the fake Electron with the real core, up to its call
 * to the (closed) server.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { SealedFiles, secretsDirOf } from '../../main/secrets/sealed-files.js';
import { createSafeStorageSecretStore } from '../../main/shell/safe-storage-secret-store.js';
import { FakeBrowserWindow, fake } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule);
vi.mock('node-machine-id', () => ({ machineId: () => Promise.resolve('4c4c4544-0042-3510-8052-b4c04f4e3332') }));

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sportello-session-change-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));
fake.app.paths = { logs: path.join(workDir, 'logs'), userData: path.join(workDir, 'user-data'), exe: path.join(workDir, 'sportello') };
Object.defineProperty(process, 'platform', { value: 'linux' });

/** A port nothing listens on: the core's first call to the server fails, and it says offline. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((closed) => server.close(closed));
  return port;
}
fs.writeFileSync(
  path.join(workDir, 'provisioning.json'),
  JSON.stringify({ serverUrl: `https://127.0.0.1:${await closedPort()}`, spkiSha256: [crypto.randomBytes(32).toString('base64')] }),
);

// The first session, on KDE: the device key is sealed by KWallet.
const secretsDir = secretsDirOf(path.join(workDir, 'user-data'));
fake.safeStorage.linuxBackend = 'kwallet5';
const deviceKey = crypto.generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' });
new SealedFiles(secretsDir, createSafeStorageSecretStore('linux')).write('device-key', deviceKey);
const sealedBefore = fs.readFileSync(path.join(secretsDir, 'device-key.sealed'));

// The next start, in a session Chromium would give basic_text.
fake.safeStorage.linuxBackend = 'basic_text';
await import('../../main/index.js');

const getState = async () => {
  const window = FakeBrowserWindow.created[0];
  const ours = { sender: window?.webContents, senderFrame: window?.webContents.mainFrame };
  return (await fake.ipcMain.handlers.get('sportello:getState')?.(ours, {})) as { ok: boolean; value?: { screen: string } } | undefined;
};

describe('a workstation started in another desktop session', () => {
  it('asks Chromium, before ready, for the store that sealed its keys', () => {
    expect(fake.app.commandLine.getSwitchValue('password-store')).toBe('kwallet5');
  });

  it('opens its device key and goes on to its server, still paired', async () => {
    fake.app.markReady();
    await vi.waitFor(async () => expect((await getState())?.value?.screen).toBe('offline'), { timeout: 10_000 });
    expect(fake.dialog.errorBoxes).toEqual([]);
    expect(fake.app.exitCodes).toEqual([]);
    expect(fake.safeStorage.selected()).toBe('kwallet5');
    expect(fs.readFileSync(path.join(secretsDir, 'device-key.sealed')).equals(sealedBefore)).toBe(true);
    expect(Buffer.from(new SealedFiles(secretsDir, createSafeStorageSecretStore('linux')).read('device-key') ?? []).equals(deviceKey)).toBe(true);
  });

  it('quits cleanly', async () => {
    fake.app.quit();
    await vi.waitFor(() => expect(fake.app.quitCalls).toBe(2));
  });
});
