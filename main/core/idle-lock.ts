/** Locks the app after the system has been idle for the policy's minutes, or when the OS screen locks. */
import type { IdleSource } from '../platform/platform.js';

export class IdleLock {
  readonly #idle: IdleSource;
  readonly #onLock: (reason: 'idle' | 'screen_locked') => void;
  readonly #checkEveryMs: number;
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(idle: IdleSource, onLock: (reason: 'idle' | 'screen_locked') => void, checkEveryMs = 5000) {
    this.#idle = idle;
    this.#onLock = onLock;
    this.#checkEveryMs = checkEveryMs;
  }

  start(idleLockMinutes: number): void {
    this.stop();
    const limitSeconds = idleLockMinutes * 60;
    this.#timer = setInterval(() => {
      if (this.#idle.idleSeconds() >= limitSeconds) this.#onLock('idle');
    }, this.#checkEveryMs);
    this.#unsubscribe = this.#idle.onScreenLocked(() => this.#onLock('screen_locked'));
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }
}
