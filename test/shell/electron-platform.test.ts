/** The platform parts on Electron: safeStorage reported truthfully, idle and lock from powerMonitor, machine facts, paths. */
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createElectronMachineInfo } from '../../main/shell/electron-machine-info.js';
import { createElectronPlatform } from '../../main/shell/electron-platform.js';
import { MainWindow } from '../../main/shell/main-window.js';
import { createPowerMonitorIdleSource } from '../../main/shell/power-monitor-idle-source.js';
import { createSafeStorageSecretStore } from '../../main/shell/safe-storage-secret-store.js';
import { fake } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule);
vi.mock('node-machine-id', () => ({
  machineId: (original?: boolean) => Promise.resolve(original === true ? 'raw-os-machine-id' : 'node-machine-id-own-hash'),
}));

// Electron adds process.getSystemVersion(); plain Node has none.
Object.assign(process, { getSystemVersion: () => '10.0.22631' });

afterEach(() => {
  fake.safeStorage.available = true;
  fake.safeStorage.linuxBackend = 'gnome_libsecret';
});

describe('the safeStorage secret store', () => {
  it('reports Linux basic_text as unprotected, and names it', () => {
    fake.safeStorage.linuxBackend = 'basic_text';
    const store = createSafeStorageSecretStore('linux');
    expect(store.backend()).toBe('basic_text');
    expect(store.isProtected()).toBe(false);
  });

  it('reports a backend not chosen yet (before ready) as unprotected', () => {
    fake.safeStorage.linuxBackend = 'unknown';
    expect(createSafeStorageSecretStore('linux').isProtected()).toBe(false);
  });

  it('reports a keyring as protected only while encryption is available', () => {
    for (const backend of ['gnome_libsecret', 'kwallet5', 'kwallet6']) {
      fake.safeStorage.linuxBackend = backend;
      expect(createSafeStorageSecretStore('linux').isProtected()).toBe(true);
    }
    fake.safeStorage.available = false;
    expect(createSafeStorageSecretStore('linux').isProtected()).toBe(false);
  });

  it('names Keychain and DPAPI without asking the Linux-only backend query', () => {
    const asked = fake.safeStorage.backendAsked;
    expect(createSafeStorageSecretStore('darwin').backend()).toBe('keychain');
    expect(createSafeStorageSecretStore('win32').backend()).toBe('dpapi');
    expect(createSafeStorageSecretStore('win32').isProtected()).toBe(true);
    expect(fake.safeStorage.backendAsked).toBe(asked);
  });

  it('seals any bytes into something else and opens them back', () => {
    const store = createSafeStorageSecretStore('linux');
    const plain = Uint8Array.from({ length: 256 }, (_, index) => index);
    const sealed = store.seal(plain);
    expect(Buffer.from(sealed).includes(Buffer.from(plain))).toBe(false);
    expect(store.open(sealed)).toEqual(plain);
    expect(store.open(sealed)).toBeInstanceOf(Uint8Array);
  });

  it('lets a failure to open reach the caller', () => {
    expect(() => createSafeStorageSecretStore('linux').open(Uint8Array.from([1, 2, 3]))).toThrow();
  });
});

describe('the powerMonitor idle source', () => {
  it('reads the system idle time', () => {
    fake.powerMonitor.idleSeconds = 301;
    expect(createPowerMonitorIdleSource().idleSeconds()).toBe(301);
  });

  it('calls back on screen lock and on suspend, until unsubscribed', () => {
    const idle = createPowerMonitorIdleSource();
    let locks = 0;
    const stop = idle.onScreenLocked(() => (locks += 1));
    fake.powerMonitor.emit('lock-screen');
    fake.powerMonitor.emit('suspend');
    fake.powerMonitor.emit('unlock-screen');
    fake.powerMonitor.emit('resume');
    expect(locks).toBe(2);
    stop();
    fake.powerMonitor.emit('lock-screen');
    expect(locks).toBe(2);
    expect(fake.powerMonitor.listenerCount('lock-screen')).toBe(0);
    expect(fake.powerMonitor.listenerCount('suspend')).toBe(0);
  });
});

describe('the machine facts', () => {
  it('gives the raw OS machine ID (the core makes it app-scoped) and the app’s facts', async () => {
    const machine = createElectronMachineInfo();
    expect(await machine.rawMachineId()).toBe('raw-os-machine-id');
    expect(machine.hostname()).toBe(os.hostname());
    expect(machine.appVersion()).toBe('1.2.3');
    expect(machine.osLocale()).toBe('en-US');
    expect(machine.platform()).toBe(process.platform);
    expect(machine.osDescription()).toMatch(/\S/);
  });
});

describe('the platform', () => {
  it('keeps data in the user data directory and finds the provisioning file', () => {
    fake.app.paths = { userData: '/home/agent/.config/Sportello', exe: '/opt/Sportello/sportello' };
    vi.stubEnv('SPORTELLO_PROVISIONING_FILE', '');
    vi.stubEnv('APPIMAGE', '');
    const platform = createElectronPlatform(new MainWindow({ preloadPath: '/p.js', isPackaged: true, onLoadFailed: () => {} }));
    expect(platform.userDataDir).toBe('/home/agent/.config/Sportello');
    if (process.platform === 'linux') expect(platform.provisioningPath).toBe(path.join('/opt/Sportello', 'provisioning.json'));
    vi.stubEnv('SPORTELLO_PROVISIONING_FILE', '/etc/sportello/provisioning.json');
    const overridden = createElectronPlatform(new MainWindow({ preloadPath: '/p.js', isPackaged: true, onLoadFailed: () => {} }));
    expect(overridden.provisioningPath).toBe('/etc/sportello/provisioning.json');
    vi.unstubAllEnvs();
  });
});
