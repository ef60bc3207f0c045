/**
 * The desktop as the main-process core sees it, for tests under Node: real files in a temp
 * user-data dir, and stand-ins for what only a desktop session has (the OS keyring, dialogs,
 * idle time, notifications) that record what the core asked of them.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Desktop, IdleSource, LinkToConfirm, MachineInfo, PickedFile, Platform, SecretStore } from '../../main/platform/platform.js';
import type { ProvisioningFile } from '../../common/provisioning/provisioning-file.js';
import { makeTempDir } from './temp-dir.js';

/** Stands in for the OS keyring: AES-256-GCM under a key that lives as long as this "login session". */
export class TestKeyring implements SecretStore {
  readonly #key: Buffer;
  backendName = 'test_keyring';

  /** `key`: the same key across processes, as the OS keyring survives an app restart. */
  constructor(key: Buffer = crypto.randomBytes(32)) {
    this.#key = key;
  }

  backend(): string {
    return this.backendName;
  }

  isProtected(): boolean {
    return this.backendName !== 'basic_text';
  }

  seal(plain: Uint8Array): Uint8Array {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Uint8Array): Uint8Array {
    const bytes = Buffer.from(sealed);
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
  }
}

export class RecordingDesktop implements Desktop {
  readonly notifications: Array<{ title: string; body: string | null }> = [];
  readonly opened: string[] = [];
  readonly linkPrompts: LinkToConfirm[] = [];
  contentProtection: boolean | undefined;
  /** What the next file dialog returns. */
  nextFile: PickedFile | null = null;
  /** Where the next save dialog says to save (null: the user cancels it); and the names it offered. */
  nextSavePath: string | null = null;
  readonly saveOffers: string[] = [];
  confirmLinks = false;

  pickFile(): Promise<PickedFile | null> {
    const file = this.nextFile;
    this.nextFile = null;
    return Promise.resolve(file);
  }

  chooseSavePath(suggestedName: string): Promise<string | null> {
    this.saveOffers.push(suggestedName);
    const chosen = this.nextSavePath;
    this.nextSavePath = null;
    return Promise.resolve(chosen);
  }

  confirmOpenLink(link: LinkToConfirm): Promise<boolean> {
    this.linkPrompts.push(link);
    return Promise.resolve(this.confirmLinks);
  }

  openExternal(url: string): Promise<void> {
    this.opened.push(url);
    return Promise.resolve();
  }

  notify(notification: { title: string; body: string | null }): void {
    this.notifications.push(notification);
  }

  setContentProtection(blocked: boolean): void {
    this.contentProtection = blocked;
  }
}

export class ManualIdle implements IdleSource {
  seconds = 0;
  readonly #listeners = new Set<() => void>();

  idleSeconds(): number {
    return this.seconds;
  }

  onScreenLocked(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  lockScreen(): void {
    for (const listener of this.#listeners) listener();
  }
}

export interface TestPlatform extends Platform {
  readonly secrets: TestKeyring;
  readonly desktop: RecordingDesktop;
  readonly idle: ManualIdle;
  writeProvisioning(file: ProvisioningFile | string): void;
  remove(): void;
}

export interface TestPlatformOptions {
  readonly hostname?: string;
  readonly locale?: string;
  /** The OS's time zone (Europe/Rome unless told). */
  readonly timeZone?: string;
  /** The OS machine ID (a fresh install on a machine seen before, e.g. after a reinstall). */
  readonly rawMachineId?: string;
  /** Reuse an install (a restart): its directory, machine and keyring key. */
  readonly install?: { readonly dir: string; readonly rawMachineId: string; readonly keyringKey: Buffer };
}

export function makeTestPlatform(
  options: TestPlatformOptions = {},
): TestPlatform & { readonly install: { dir: string; rawMachineId: string; keyringKey: Buffer } } {
  const temp =
    options.install === undefined
      ? makeTempDir('sportello-client-')
      : { dir: options.install.dir, remove: () => fs.rmSync(options.install?.dir ?? '', { recursive: true, force: true }) };
  const rawMachineId = options.install?.rawMachineId ?? options.rawMachineId ?? crypto.randomUUID();
  const keyringKey = options.install?.keyringKey ?? crypto.randomBytes(32);
  const provisioningPath = path.join(temp.dir, 'install', 'provisioning.json');
  const machine: MachineInfo = {
    rawMachineId: () => Promise.resolve(rawMachineId),
    hostname: () => options.hostname ?? 'test-workstation',
    osDescription: () => 'Linux 6.1 (test)',
    appVersion: () => '0.1.0',
    osLocale: () => options.locale ?? 'en-US',
    timeZone: () => options.timeZone ?? 'Europe/Rome',
    platform: () => 'linux',
  };
  return {
    userDataDir: path.join(temp.dir, 'user-data'),
    provisioningPath,
    secrets: new TestKeyring(keyringKey),
    desktop: new RecordingDesktop(),
    idle: new ManualIdle(),
    machine,
    now: Date.now,
    monotonicNow: () => performance.now(),
    writeProvisioning(file) {
      fs.mkdirSync(path.dirname(provisioningPath), { recursive: true });
      fs.writeFileSync(provisioningPath, typeof file === 'string' ? file : JSON.stringify(file));
    },
    remove: temp.remove,
    install: { dir: temp.dir, rawMachineId, keyringKey },
  };
}
