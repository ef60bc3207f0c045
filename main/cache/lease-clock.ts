/**
 * The time the offline lease is judged by: never earlier than the latest time seen (the wall clock,
 * the server's clock in each grant, the high-water mark sealed by earlier runs), and carried on by
 * the monotonic clock while the app runs. Setting the wall clock back gains nothing while the app
 * runs, nor across a restart beyond the time the app was not running.
 */
export class LeaseClock {
  readonly #wall: () => number;
  readonly #monotonic: () => number;
  /** The latest time known, and the monotonic reading when it was known. */
  #mark = 0;
  #markedAt: number;

  constructor(wall: () => number, monotonic: () => number) {
    this.#wall = wall;
    this.#monotonic = monotonic;
    this.#markedAt = monotonic();
  }

  now(): number {
    const at = this.#monotonic();
    const carried = this.#mark + (at - this.#markedAt);
    const wall = this.#wall();
    if (wall <= carried) return carried;
    this.#mark = wall;
    this.#markedAt = at;
    return wall;
  }

  /** A time known to have been reached (the server's clock, a sealed high-water mark). */
  observe(time: number): void {
    if (time <= this.now()) return;
    this.#mark = time;
    this.#markedAt = this.#monotonic();
  }
}
