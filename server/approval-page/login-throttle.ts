/**
 * The approval page's own brake on password guessing: growing delays per source address and per
 * username, instead of the desktop login's lock (an anonymous page must never let a stranger lock
 * an account). The first few attempts are free; after them each attempt must wait twice as long
 * as the one before, up to a ceiling; a success clears both, and a key left alone long enough is
 * forgotten. Every attempt that gets to the password check counts, whatever its outcome, so the
 * delays say nothing about which usernames exist or may log in here. Both maps are bounded: the
 * keys are whatever a stranger sends.
 */
import { BoundedLru } from '../credentials/bounded-lru.js';

export interface ThrottlePolicy {
  /** Attempts a key may make without waiting. */
  readonly freeAttempts: number;
  /** The wait after the last free attempt; it doubles with each attempt after that. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /** A key with no attempt for this long starts afresh. */
  readonly forgetAfterMs: number;
  /** Addresses, and usernames, tracked at once (the least recently used go first). */
  readonly maxTracked: number;
}

export const PAGE_LOGIN_THROTTLE: ThrottlePolicy = {
  freeAttempts: 3,
  firstDelayMs: 1000,
  maxDelayMs: 5 * 60 * 1000,
  forgetAfterMs: 60 * 60 * 1000,
  maxTracked: 10_000,
};

export interface ThrottleKeys {
  readonly address: string;
  readonly username: string;
}

export type ThrottleDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number; readonly by: keyof ThrottleKeys };

interface Attempts {
  readonly count: number;
  readonly lastAt: number;
}

/** How long a key must wait after `attempts` counted attempts. */
export function delayAfter(policy: ThrottlePolicy, attempts: number): number {
  if (attempts < policy.freeAttempts) return 0;
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (attempts - policy.freeAttempts));
}

export class LoginThrottle {
  readonly #policy: ThrottlePolicy;
  readonly #keys: Readonly<Record<keyof ThrottleKeys, BoundedLru<string, Attempts>>>;

  constructor(policy: ThrottlePolicy = PAGE_LOGIN_THROTTLE) {
    this.#policy = policy;
    this.#keys = { address: new BoundedLru(policy.maxTracked), username: new BoundedLru(policy.maxTracked) };
  }

  /** Whether an attempt may go ahead now; if so it is counted at once (so concurrent attempts cannot all pass as the first). */
  admit(keys: ThrottleKeys, now: number): ThrottleDecision {
    let refusal: { retryAfterMs: number; by: keyof ThrottleKeys } | undefined;
    for (const by of ['address', 'username'] as const) {
      const attempts = this.#attempts(by, keys[by], now);
      const wait = attempts === undefined ? 0 : attempts.lastAt + delayAfter(this.#policy, attempts.count) - now;
      if (wait > 0 && (refusal === undefined || wait > refusal.retryAfterMs)) refusal = { retryAfterMs: wait, by };
    }
    if (refusal !== undefined) return { allowed: false, ...refusal };
    for (const by of ['address', 'username'] as const)
      this.#keys[by].set(keys[by], { count: (this.#attempts(by, keys[by], now)?.count ?? 0) + 1, lastAt: now });
    return { allowed: true };
  }

  /** An admitted attempt that checked nothing after all (the server was busy): it does not count. */
  withdraw(keys: ThrottleKeys): void {
    for (const by of ['address', 'username'] as const) {
      const attempts = this.#keys[by].get(keys[by]);
      if (attempts === undefined) continue;
      if (attempts.count <= 1) this.#keys[by].delete(keys[by]);
      else this.#keys[by].set(keys[by], { count: attempts.count - 1, lastAt: attempts.lastAt });
    }
  }

  /** A login succeeded: its address and username start afresh. */
  succeeded(keys: ThrottleKeys): void {
    for (const by of ['address', 'username'] as const) this.#keys[by].delete(keys[by]);
  }

  /** Keys tracked now, per kind (at most `maxTracked` each). */
  tracked(): Readonly<Record<keyof ThrottleKeys, number>> {
    return { address: this.#keys.address.size, username: this.#keys.username.size };
  }

  #attempts(by: keyof ThrottleKeys, key: string, now: number): Attempts | undefined {
    const attempts = this.#keys[by].get(key);
    return attempts !== undefined && now - attempts.lastAt < this.#policy.forgetAfterMs ? attempts : undefined;
  }
}
