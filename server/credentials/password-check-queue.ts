/**
 * Password checks made before anyone is authenticated, run with a bounded concurrency. scrypt
 * runs on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise), which file
 * I/O and the rest of node's crypto share: a flood of logins, each a hash, would otherwise fill
 * it and make every legitimate login, and every file read, wait behind the flood.
 *
 * Each surface has its own lane, so a flood on one cannot take the other's threads. Within a
 * lane, waiting checks are served round-robin between their sources (an address, a workstation),
 * so one source cannot push another to the back; what would wait past the lane's limits is
 * refused at once (`login_busy`) rather than queued without end.
 */
import { CodedError } from '../../common/errors/coded-error.js';

export interface PasswordCheckLimits {
  /** Hashes running at once. */
  readonly concurrency: number;
  /** Checks waiting for a turn, all sources together. */
  readonly maxWaiting: number;
  /** Checks one source may have waiting. */
  readonly maxWaitingPerSource: number;
}

export const PASSWORD_CHECK_LANES = {
  /** The approval page: anonymous, so one thread at most and a short queue. */
  approvalPage: { concurrency: 1, maxWaiting: 8, maxWaitingPerSource: 2 },
  /** The desktop login: only paired workstations get here (their proof is checked first). */
  deviceLogin: { concurrency: 2, maxWaiting: 64, maxWaitingPerSource: 4 },
} as const satisfies Record<string, PasswordCheckLimits>;

export type PasswordCheckLane = keyof typeof PASSWORD_CHECK_LANES;

/** How long a refused check is told to wait before trying again. */
export const BUSY_RETRY_AFTER_MS = 2000;

export function loginBusyError(): CodedError<'login_busy'> {
  return new CodedError('login_busy', 'The server is busy with other logins: try again in a few seconds.', { retryAfterMs: BUSY_RETRY_AFTER_MS });
}

export class PasswordCheckQueue {
  readonly #limits: PasswordCheckLimits;
  #running = 0;
  #waiting = 0;
  /** Waiting checks by source; the first source in the map is served next, then moved to the back. */
  readonly #bySource = new Map<string, Array<() => void>>();

  constructor(limits: PasswordCheckLimits) {
    this.#limits = limits;
  }

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#waiting;
  }

  /** Whether a check from `source` would be taken now (run at once, or queued): lets a caller refuse before doing any other work. */
  hasRoom(source: string): boolean {
    if (this.#running < this.#limits.concurrency && this.#waiting === 0) return true;
    return this.#waiting < this.#limits.maxWaiting && (this.#bySource.get(source)?.length ?? 0) < this.#limits.maxWaitingPerSource;
  }

  /** Runs `check` when a slot is free and it is `source`'s turn; rejects with `login_busy` when the lane is full. */
  run<T>(source: string, check: () => Promise<T>): Promise<T> {
    if (this.#running < this.#limits.concurrency && this.#waiting === 0) return this.#start(check);
    if (!this.hasRoom(source)) return Promise.reject(loginBusyError());
    const queue = this.#bySource.get(source) ?? [];
    return new Promise<T>((resolve, reject) => {
      queue.push(() => {
        this.#start(check).then(resolve, reject);
      });
      if (queue.length === 1) this.#bySource.set(source, queue);
      this.#waiting += 1;
    });
  }

  #start<T>(check: () => Promise<T>): Promise<T> {
    this.#running += 1;
    // An async check never throws synchronously, but a slot must be given back whatever it does.
    return Promise.resolve()
      .then(check)
      .finally(() => {
        this.#running -= 1;
        this.#next();
      });
  }

  #next(): void {
    while (this.#running < this.#limits.concurrency) {
      const head = this.#bySource.entries().next();
      if (head.done === true) return;
      const [source, queue] = head.value;
      const job = queue.shift();
      this.#bySource.delete(source);
      if (queue.length > 0) this.#bySource.set(source, queue);
      if (job === undefined) continue;
      this.#waiting -= 1;
      job();
    }
  }
}
