/**
 * What the main-process core needs from the machine and the desktop, as plain interfaces. The
 * Electron shell (main/shell/) implements them with safeStorage, dialogs, powerMonitor and
 * notifications; tests implement them with Node stand-ins. The core never imports electron.
 */
import type { InboundLinkFlag } from '../../common/links/link-policy.js';

/** OS-backed secret sealing (Electron safeStorage): Keychain, DPAPI, or a Linux keyring. */
export interface SecretStore {
  /** The backend's name as Electron reports it: keychain, dpapi, gnome_libsecret, kwallet5, basic_text … */
  backend(): string;
  /** False when the backend protects nothing (Linux basic_text) or encryption is unavailable. */
  isProtected(): boolean;
  seal(plain: Uint8Array): Uint8Array;
  open(sealed: Uint8Array): Uint8Array;
}

/** A file the agent picked in the native dialog. */
export interface PickedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** A link the agent is asked about: where it goes, and the links rule's warnings (common/links/policy-links.ts). */
export interface LinkToConfirm {
  readonly url: string;
  readonly host: string;
  readonly flags?: readonly InboundLinkFlag[];
}

export interface Desktop {
  /** The native open-file dialog; null when cancelled. */
  pickFile(): Promise<PickedFile | null>;
  /** The native save-file dialog, offering `suggestedName`: the path the user chose, or null when cancelled (main writes the file). */
  chooseSavePath(suggestedName: string): Promise<string | null>;
  /** A native dialog showing the link's real host, and what is suspicious about it (`flags`); true only when the user confirms. */
  confirmOpenLink(link: LinkToConfirm): Promise<boolean>;
  /** Hands an already-confirmed https URL to the system browser. */
  openExternal(url: string): Promise<void>;
  /** A native notification; `body` is null when the policy keeps message text off the screen. */
  notify(notification: { title: string; body: string | null }): void;
  /** Screenshots and screen sharing blocked (setContentProtection) or allowed, by policy. */
  setContentProtection(blocked: boolean): void;
}

/** System idle time and screen lock (Electron powerMonitor). */
export interface IdleSource {
  /** Seconds since the last keyboard or mouse input anywhere on the system. */
  idleSeconds(): number;
  /** Calls back when the OS screen is locked or the machine suspends; returns an unsubscribe. */
  onScreenLocked(listener: () => void): () => void;
}

export interface MachineInfo {
  /** The raw OS machine ID (node-machine-id); it never leaves main: only its app-scoped HMAC does. */
  rawMachineId(): Promise<string>;
  hostname(): string;
  /** e.g. "Windows 11 (10.0.22631)", "macOS 15.1", "Linux 6.1 (Debian 12)". */
  osDescription(): string;
  appVersion(): string;
  osLocale(): string;
  /** The OS's IANA time zone (Europe/Rome): the agent's zone until they pick one. */
  timeZone(): string;
  platform(): string;
}

export interface Platform {
  /** A directory only this app and user can read: sealed secrets and the encrypted cache live here. */
  readonly userDataDir: string;
  /** Where the provisioning file is looked for: the path IT set, else the install directory's. */
  readonly provisioningPath: string;
  readonly secrets: SecretStore;
  readonly desktop: Desktop;
  readonly idle: IdleSource;
  readonly machine: MachineInfo;
  readonly now: () => number;
  /** Milliseconds from an arbitrary start that never go back, whatever the wall clock does (performance.now). */
  readonly monotonicNow: () => number;
}
