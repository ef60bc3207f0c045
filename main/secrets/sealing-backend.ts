/**
 * Which OS secret store sealed this workstation's secrets, recorded beside them in
 * `sealed-by.json` (a name, not a secret). On Linux, Chromium picks the store from the desktop
 * session (GNOME: libsecret, KDE: KWallet, anything else: basic_text), so logging in to another
 * desktop would pick another store, which cannot open what the first one sealed. The shell asks
 * for the recorded store before the app is ready (`--password-store`, as Element Desktop does),
 * and refuses to start when it still does not get it: see docs/desktop-client.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CodedError } from '../../common/errors/coded-error.js';
import type { SecretStore } from '../platform/platform.js';
import { writeFileDurably } from './durable-file.js';

export const SEALING_RECORD_FILE = 'sealed-by.json';

/** Linux's `basic_text` (a fixed, public password) and a store not chosen yet (before ready) protect nothing. */
export const UNPROTECTING_BACKENDS: ReadonlySet<string> = new Set(['basic_text', 'unknown']);

const SealingRecord = z.object({ backend: z.string().regex(/^[a-z0-9_]{1,40}$/) }).strict();

/**
 * Chromium's `--password-store` value for each Linux store safeStorage names
 * (components/os_crypt/sync/key_storage_util_linux.cc). Keychain and DPAPI need no switch.
 */
const PASSWORD_STORE_SWITCH: Readonly<Record<string, string>> = {
  basic_text: 'basic',
  gnome_libsecret: 'gnome-libsecret',
  kwallet: 'kwallet',
  kwallet5: 'kwallet5',
  kwallet6: 'kwallet6',
};

/** The `--password-store` value that makes Chromium use `backend`; undefined when none does. */
export function passwordStoreSwitch(backend: string): string | undefined {
  return Object.hasOwn(PASSWORD_STORE_SWITCH, backend) ? PASSWORD_STORE_SWITCH[backend] : undefined;
}

/** The store recorded in `dir`, or undefined when nothing was sealed yet (or before the record existed). */
export function readSealingBackend(dir: string): string | undefined {
  const file = path.join(dir, SEALING_RECORD_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: z.infer<typeof SealingRecord> | undefined;
  try {
    parsed = SealingRecord.parse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined) {
    throw new CodedError(
      'secret_store_record_unreadable',
      `${file} should name the OS secret store that sealed this workstation's secrets, and does not: restore it, or ask IT to pair this workstation again.`,
    );
  }
  return parsed.backend;
}

export function recordSealingBackend(dir: string, backend: string): void {
  writeFileDurably(path.join(dir, SEALING_RECORD_FILE), `${JSON.stringify(SealingRecord.parse({ backend }))}\n`);
}

export function eraseSealingRecord(dir: string): void {
  fs.rmSync(path.join(dir, SEALING_RECORD_FILE), { force: true });
}

/** Why this start cannot open what is sealed: the store that sealed it is not the one in use, or it does not answer. */
export interface SealingStoreRefusal {
  readonly reason: 'store_changed' | 'store_unavailable';
  readonly recorded: string;
  readonly current: string;
}

/**
 * Judged after the app is ready, before anything is opened. The recorded store must be the one
 * in use, and must answer when it is one that protects (a keyring that is not running, or stays
 * locked, leaves safeStorage selected but unable to encrypt). A `basic_text` record stays usable
 * with `basic_text`: whether that is allowed at all is the server's policy, checked at sign-in.
 */
export function sealingStoreRefusal(recorded: string | undefined, secrets: SecretStore): SealingStoreRefusal | undefined {
  if (recorded === undefined) return undefined;
  const current = secrets.backend();
  if (current !== recorded) return { reason: 'store_changed', recorded, current };
  if (!UNPROTECTING_BACKENDS.has(recorded) && !secrets.isProtected()) return { reason: 'store_unavailable', recorded, current };
  return undefined;
}
