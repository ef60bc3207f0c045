/**
 * main/index.ts end to end against the fake Electron: the sandbox and the app:// scheme before
 * ready, then the hardened session, the protocol, the IPC handlers, the window and the core
 * started; quitting waits for the core to stop. The core is a recording stand-in here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { IPC_CALL_NAMES, IPC_EVENT_CHANNEL } from '../../common/ipc/contract.js';
import type { IpcEventName, IpcEventPayload } from '../../common/ipc/contract.js';
import type { Platform } from '../../main/platform/platform.js';
import { FakeBrowserWindow, fake } from './fake-electron.js';

type Listener = <E extends IpcEventName>(event: E, payload: IpcEventPayload<E>) => void;

const core = vi.hoisted(() => ({
  platform: null as Platform | null,
  started: false,
  stopped: false,
  calls: [] as string[],
  listeners: new Set<Listener>(),
}));

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule);
vi.mock('../../main/core/client-core.js', () => ({
  ClientCore: class {
    constructor(platform: Platform) {
      core.platform = platform;
    }
    handle(name: string) {
      core.calls.push(name);
      return Promise.resolve({ status: 'online' });
    }
    onEvent(listener: Listener) {
      core.listeners.add(listener);
      return () => core.listeners.delete(listener);
    }
    start() {
      core.started = true;
      return Promise.resolve();
    }
    stop() {
      core.stopped = true;
      return Promise.resolve();
    }
  },
}));

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sportello-entry-'));
fake.app.paths = { logs: path.join(workDir, 'logs'), userData: path.join(workDir, 'user-data'), exe: path.join(workDir, 'sportello') };
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

await import('../../main/index.js');

describe('before the app is ready', () => {
  it('has enabled the sandbox for every renderer', () => {
    expect(fake.app.sandboxEnabled).toBe(true);
  });

  it('has registered app:// as privileged', () => {
    expect(fake.protocol.privileged.map((scheme) => scheme.scheme)).toEqual(['app']);
  });

  it('hardens every web contents as it is created', () => {
    expect(fake.app.listenerCount('web-contents-created')).toBe(1);
  });

  it('has not started anything else yet', () => {
    expect(fake.ipcMain.handlers.size).toBe(0);
    expect(FakeBrowserWindow.created).toEqual([]);
    expect(core.platform).toBeNull();
  });
});

describe('once ready', () => {
  it('starts the core with the desktop platform', async () => {
    fake.app.markReady();
    await vi.waitFor(() => expect(core.started).toBe(true));
    expect(core.platform?.userDataDir).toBe(path.join(workDir, 'user-data'));
  });

  it('has hardened the session and serves app://', () => {
    expect(fake.session.defaultSession.permissionRequestHandler).not.toBeNull();
    expect(fake.session.defaultSession.permissionCheckHandler).not.toBeNull();
    expect(fake.protocol.handlers.has('app')).toBe(true);
  });

  it('opened one hardened window on app:// with the built preload', () => {
    const [window] = FakeBrowserWindow.created;
    expect(FakeBrowserWindow.created).toHaveLength(1);
    expect(window?.loadedUrls).toEqual(['app://sportello/index.html']);
    expect(window?.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, devTools: false });
    expect(window?.options.webPreferences?.preload).toMatch(/[/\\]preload[/\\]index\.js$/);
  });

  it('serves the contract’s calls to that window only', async () => {
    expect(fake.ipcMain.handlers.size).toBe(IPC_CALL_NAMES.length);
    const window = FakeBrowserWindow.created[0];
    const handler = fake.ipcMain.handlers.get('sportello:getConnection');
    const ours = { sender: window?.webContents, senderFrame: window?.webContents.mainFrame };
    expect(await handler?.(ours, {})).toEqual({ ok: true, value: { status: 'online' } });
    const foreign = { sender: window?.webContents, senderFrame: { ...window?.webContents.mainFrame, url: 'https://evil.example/' } };
    expect(await handler?.(foreign, {})).toMatchObject({ ok: false, code: 'ipc_forbidden_sender' });
    expect(core.calls).toEqual(['getConnection']);
  });

  it('forwards the core’s events to the window', () => {
    for (const listener of core.listeners) listener('connection', { status: 'connecting' });
    expect(FakeBrowserWindow.created[0]?.webContents.sent).toEqual([
      { channel: IPC_EVENT_CHANNEL, message: { event: 'connection', payload: { status: 'connecting' } } },
    ]);
  });

  it('focuses the window when the app is started again', () => {
    fake.app.emit('second-instance');
    expect(FakeBrowserWindow.created[0]?.focused).toBe(1);
  });
});

describe('quitting', () => {
  it('stops the core before the process ends', async () => {
    fake.app.quit();
    await vi.waitFor(() => expect(fake.app.quitCalls).toBe(2));
    expect(core.stopped).toBe(true);
  });
});
