/**
 * What this install keeps on disk, and what goes with what when it is erased: the sealed secrets
 * (the device key, the cache key's two halves) and the cache's files. The core decides when;
 * every erase of the cache's files comes after its worker has closed it, each wipe behind its
 * marker (workstation-cache.ts), written before the cache closes.
 */
import { CacheSecrets } from '../cache/cache-secrets.js';
import {
  cacheExists,
  eraseCacheFiles,
  finishInterruptedAgentWipe,
  finishInterruptedWipe,
  markAgentWipe,
  markWipe,
  wipeAgentCache,
  wipeWorkstation,
} from '../cache/workstation-cache.js';
import { DeviceKey } from '../device/device-key.js';
import { SealedFiles, secretsDirOf } from '../secrets/sealed-files.js';

export class KeptData {
  readonly sealed: SealedFiles;
  readonly cacheSecrets: CacheSecrets;
  readonly #userDataDir: string;

  constructor(userDataDir: string, secrets: ConstructorParameters<typeof SealedFiles>[1]) {
    this.#userDataDir = userDataDir;
    this.sealed = new SealedFiles(secretsDirOf(userDataDir), secrets);
    this.cacheSecrets = new CacheSecrets(this.sealed);
  }

  /** Finishes a wipe the app did not live to finish; the reason, when it was the workstation's. */
  finishInterruptedWipes(): string | undefined {
    const reason = finishInterruptedWipe(this.#userDataDir, () => this.#eraseSecrets());
    if (reason === undefined) finishInterruptedAgentWipe(this.#userDataDir, () => this.cacheSecrets.eraseAll());
    return reason;
  }

  /** Whether this install has held a cache (it was paired and someone signed in). */
  holdsCache(): boolean {
    return this.cacheSecrets.held() || cacheExists(this.#userDataDir);
  }

  /** A logout the policy keeps no cache for: the cache's files and the server's share go. */
  eraseLoggedOutCache(): void {
    eraseCacheFiles(this.#userDataDir);
    this.cacheSecrets.forgetShare();
  }

  /** Marks the agent's wipe to come, before their cache closes. */
  markAgentWipe(): void {
    markAgentWipe(this.#userDataDir);
  }

  /** What the workstation kept of the agent goes: the cache and both key halves, not the device key. */
  eraseAgent(): void {
    wipeAgentCache(this.#userDataDir, () => this.cacheSecrets.eraseAll());
  }

  /** Marks the workstation's wipe to come, before the cache closes; a failure leaves eraseAll to try again. */
  markWipe(reason: string): void {
    try {
      markWipe(this.#userDataDir, reason);
    } catch {
      // eraseAll writes the marker again, and says whether the erase succeeded.
    }
  }

  /** Everything goes: the cache, both key halves and the device key. False when the erase failed. */
  eraseAll(reason: string): boolean {
    try {
      wipeWorkstation(this.#userDataDir, reason, () => this.#eraseSecrets());
      return true;
    } catch {
      return false;
    }
  }

  #eraseSecrets(): void {
    this.cacheSecrets.eraseAll();
    DeviceKey.erase(this.sealed);
  }
}
