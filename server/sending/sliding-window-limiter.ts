/**
 * At most `limit` events in any window of `windowMs`, exactly: the times of the last `limit`
 * events are kept in a ring. A token bucket would let twice the limit through across a window
 * edge, which is how a burst earns Meta's 130429.
 */
export class SlidingWindowLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #times: number[];
  #next = 0;
  #count = 0;

  constructor(limit: number, windowMs: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#times = new Array<number>(limit).fill(0);
  }

  /** Milliseconds until one more event fits (0: now). */
  waitMs(now: number): number {
    if (this.#count < this.#limit) return 0;
    const oldest = this.#times[this.#next] ?? 0;
    return Math.max(0, oldest + this.#windowMs - now);
  }

  /** Records an event if it fits; false if it would exceed the limit. */
  tryTake(now: number): boolean {
    if (this.waitMs(now) > 0) return false;
    this.#times[this.#next] = now;
    this.#next = (this.#next + 1) % this.#limit;
    if (this.#count < this.#limit) this.#count += 1;
    return true;
  }

  /** Nothing recorded is still inside the window: the limiter can be dropped. */
  isIdle(now: number): boolean {
    if (this.#count === 0) return true;
    const newest = this.#times[(this.#next - 1 + this.#limit) % this.#limit] ?? 0;
    return newest + this.#windowMs <= now;
  }

  /** Treat the whole window as used from `now` (Meta said 130429: back off a full window). */
  fill(now: number): void {
    this.#times.fill(now);
    this.#count = this.#limit;
  }
}
