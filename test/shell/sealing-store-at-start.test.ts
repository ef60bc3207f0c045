/**
 * The shell's two steps around the recorded secret store: before ready, the `--password-store`
 * switch for it (Linux only); after ready, a refusal dialog in the agent's language when the
 * store in use is another or does not answer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { desktopTextFor } from '../../main/desktop-text/desktop-text.js';
import { SEALING_RECORD_FILE, recordSealingBackend } from '../../main/secrets/sealing-backend.js';
import { createSafeStorageSecretStore } from '../../main/shell/safe-storage-secret-store.js';
import { askForTheSealingStore, refuseAnotherSealingStore } from '../../main/shell/sealing-store-at-start.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { fake } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule);

const temps: Array<() => void> = [];
afterEach(() => {
  temps.splice(0).forEach((remove) => remove());
  fake.app.commandLine.switches.clear();
  fake.dialog.messageBoxCalls.length = 0;
  fake.safeStorage.linuxBackend = 'gnome_libsecret';
  fake.safeStorage.available = true;
});

function secretsDir(recorded?: string): string {
  const temp = makeTempDir('sportello-store-at-start-');
  temps.push(temp.remove);
  if (recorded !== undefined) recordSealingBackend(temp.dir, recorded);
  return temp.dir;
}

describe('before the app is ready', () => {
  it('asks Chromium for each Linux store by its switch', () => {
    const switches = { basic_text: 'basic', gnome_libsecret: 'gnome-libsecret', kwallet: 'kwallet', kwallet5: 'kwallet5', kwallet6: 'kwallet6' };
    for (const [backend, value] of Object.entries(switches)) {
      fake.app.commandLine.switches.clear();
      askForTheSealingStore(secretsDir(backend), 'linux');
      expect(fake.app.commandLine.getSwitchValue('password-store')).toBe(value);
      expect(fake.safeStorage.selected()).toBe(backend);
    }
  });

  it('asks for nothing when nothing is sealed yet, off Linux, or for a name Chromium has no switch for', () => {
    askForTheSealingStore(secretsDir(), 'linux');
    askForTheSealingStore(secretsDir('kwallet5'), 'darwin');
    askForTheSealingStore(secretsDir('keychain'), 'linux');
    expect(fake.app.commandLine.switches.size).toBe(0);
  });

  it('asks for nothing from a record it cannot read, and leaves the error to the check after ready', async () => {
    const dir = secretsDir();
    fs.writeFileSync(path.join(dir, SEALING_RECORD_FILE), '{"backend":');
    expect(() => askForTheSealingStore(dir, 'linux')).not.toThrow();
    expect(fake.app.commandLine.switches.size).toBe(0);
    await expect(refuseAnotherSealingStore(dir, createSafeStorageSecretStore('linux'), desktopTextFor('en'))).rejects.toMatchObject({
      code: 'secret_store_record_unreadable',
    });
    expect(fake.dialog.messageBoxCalls).toEqual([]);
  });
});

describe('after the app is ready', () => {
  it('lets a start go on with the recorded store, answering', async () => {
    fake.safeStorage.linuxBackend = 'kwallet5';
    expect(await refuseAnotherSealingStore(secretsDir('kwallet5'), createSafeStorageSecretStore('linux'), desktopTextFor('en'))).toBeUndefined();
    expect(await refuseAnotherSealingStore(secretsDir(), createSafeStorageSecretStore('linux'), desktopTextFor('en'))).toBeUndefined();
    expect(fake.dialog.messageBoxCalls).toEqual([]);
  });

  it('lets a basic_text install go on with basic_text: the server’s policy decides at sign-in', async () => {
    fake.safeStorage.linuxBackend = 'basic_text';
    fake.safeStorage.available = false;
    expect(await refuseAnotherSealingStore(secretsDir('basic_text'), createSafeStorageSecretStore('linux'), desktopTextFor('en'))).toBeUndefined();
  });

  it('refuses another store, naming both, in Italian for an Italian desktop', async () => {
    fake.safeStorage.linuxBackend = 'basic_text';
    const refusal = await refuseAnotherSealingStore(secretsDir('gnome_libsecret'), createSafeStorageSecretStore('linux'), desktopTextFor('it-IT'));
    expect(refusal).toEqual({ reason: 'store_changed', recorded: 'gnome_libsecret', current: 'basic_text' });
    expect(fake.dialog.messageBoxCalls).toHaveLength(1);
    const options = fake.dialog.messageBoxCalls[0]?.options;
    expect(options).toMatchObject({
      type: 'error',
      title: 'Sportello non può aprire le chiavi di questa postazione',
      buttons: ['Esci'],
      defaultId: 0,
      cancelId: 0,
    });
    expect(options?.message).toBe(
      'Le chiavi di questa postazione sono sigillate con il portachiavi di GNOME o un altro Secret Service (gnome_libsecret), ma questa sessione del desktop dà a Sportello nessun portachiavi, solo la password fissa di Chromium (basic_text).',
    );
    expect(options?.detail).toContain('non ha cancellato nulla');
  });

  it('refuses a recorded keyring that does not answer', async () => {
    fake.safeStorage.linuxBackend = 'kwallet6';
    fake.safeStorage.available = false;
    const refusal = await refuseAnotherSealingStore(secretsDir('kwallet6'), createSafeStorageSecretStore('linux'), desktopTextFor('en-US'));
    expect(refusal).toEqual({ reason: 'store_unavailable', recorded: 'kwallet6', current: 'kwallet6' });
    expect(fake.dialog.messageBoxCalls[0]?.options.message).toBe(
      'This workstation’s keys are sealed with KDE Wallet (kwallet6), which does not answer in this desktop session (it is not running, or it is locked).',
    );
  });
});
