/**
 * The SecretStore on Electron's safeStorage: Keychain on macOS, DPAPI on Windows, the desktop's
 * keyring on Linux. It reports the backend truthfully: Linux's `basic_text` (a fixed, public
 * password) and a backend not yet chosen protect nothing, and the core decides whether the
 * server's policy allows that.
 */
import { safeStorage } from 'electron';
import type { SecretStore } from '../platform/platform.js';
import { UNPROTECTING_BACKENDS } from '../secrets/sealing-backend.js';

export function storageBackendName(platform: string): string {
  if (platform === 'darwin') return 'keychain';
  if (platform === 'win32') return 'dpapi';
  return safeStorage.getSelectedStorageBackend();
}

export function createSafeStorageSecretStore(platform: string = process.platform): SecretStore {
  const backend = (): string => storageBackendName(platform);
  return {
    backend,
    isProtected: () => safeStorage.isEncryptionAvailable() && !UNPROTECTING_BACKENDS.has(backend()),
    // The SecretStore interface is synchronous, so the synchronous safeStorage calls (deprecated
    // in favour of the async ones in Electron 45) are used; the bytes travel as base64 text.
    seal: (plain) => new Uint8Array(safeStorage.encryptString(Buffer.from(plain).toString('base64'))),
    open: (sealed) => new Uint8Array(Buffer.from(safeStorage.decryptString(Buffer.from(sealed)), 'base64')),
  };
}
