/**
 * Spaces events evenly: one every `intervalMs`, never two closer. A number's messages leave at a
 * steady pace instead of in bursts, so however the network bunches them up on the way, Meta
 * never sees more than the rate in any second.
 */
export class SendPacer {
  readonly #intervalMs: number;
  #nextAt = 0;

  constructor(intervalMs: number) {
    if (!(intervalMs > 0)) throw new RangeError('intervalMs must be positive');
    this.#intervalMs = intervalMs;
  }

  waitMs(now: number): number {
    return Math.max(0, this.#nextAt - now);
  }

  tryTake(now: number): boolean {
    if (now < this.#nextAt) return false;
    this.#nextAt = Math.max(now, this.#nextAt) + this.#intervalMs;
    return true;
  }

  /** Nothing leaves before `now + ms` (Meta said 130429: back off). */
  pause(now: number, ms: number): void {
    this.#nextAt = Math.max(this.#nextAt, now + ms);
  }
}
