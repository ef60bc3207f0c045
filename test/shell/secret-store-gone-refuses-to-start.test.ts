/**
 * A workstation whose keys KWallet sealed starts where KWallet does not answer (not running, or
 * locked): asking for it with `--password-store` leaves it selected but unable to encrypt. The
 * app refuses to start, in a dialog that names the store and what to do, before any window,
 * IPC handler or core exists; it neither seals new keys under Chromium's fixed basic_text
 * password nor erases the sealed ones (they open again in a session with that store).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { SEALING_RECORD_FILE } from '../../main/secrets/sealing-backend.js';
import { SealedFiles, secretsDirOf } from '../../main/secrets/sealed-files.js';
import { createSafeStorageSecretStore } from '../../main/shell/safe-storage-secret-store.js';
import { FakeBrowserWindow, fake } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule);

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sportello-store-gone-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));
fake.app.paths = { logs: path.join(workDir, 'logs'), userData: path.join(workDir, 'user-data'), exe: path.join(workDir, 'sportello') };
Object.defineProperty(process, 'platform', { value: 'linux' });

const secretsDir = secretsDirOf(path.join(workDir, 'user-data'));
fake.safeStorage.linuxBackend = 'kwallet5';
new SealedFiles(secretsDir, createSafeStorageSecretStore('linux')).write('device-key', crypto.randomBytes(48));
const before = Object.fromEntries(fs.readdirSync(secretsDir).map((name) => [name, fs.readFileSync(path.join(secretsDir, name))]));

// A GNOME session; KWallet, asked for by name, is selected but does not answer.
fake.safeStorage.linuxBackend = 'gnome_libsecret';
fake.safeStorage.available = false;
await import('../../main/index.js');

describe('a start where the store that sealed the keys does not answer', () => {
  it('asked for that store', () => {
    expect(fake.app.commandLine.getSwitchValue('password-store')).toBe('kwallet5');
  });

  it('is refused with a dialog that names the store and what to do, and quits', async () => {
    fake.app.markReady();
    await vi.waitFor(() => expect(fake.app.exitCodes).toEqual([1]));
    expect(fake.dialog.messageBoxCalls).toHaveLength(1);
    const options = fake.dialog.messageBoxCalls[0]?.options;
    expect(options).toMatchObject({ type: 'error', title: 'Sportello cannot open this workstation’s keys', buttons: ['Quit'] });
    expect(options?.message).toContain('KDE Wallet (kwallet5)');
    expect(options?.message).toContain('does not answer');
    expect(options?.detail).toContain('erased nothing');
    expect(fake.dialog.errorBoxes).toEqual([]);
  });

  it('opened nothing: no window, no IPC handler', () => {
    expect(FakeBrowserWindow.created).toEqual([]);
    expect(fake.ipcMain.handlers.size).toBe(0);
  });

  it('left the sealed files and the record as they were', () => {
    const after = Object.fromEntries(fs.readdirSync(secretsDir).map((name) => [name, fs.readFileSync(path.join(secretsDir, name))]));
    expect(Object.keys(after).sort()).toEqual(['device-key.sealed', SEALING_RECORD_FILE]);
    expect(after).toEqual(before);
  });
});
