/**
 * Main's side of the cache worker (cache-worker.ts): starts a worker thread for one agent's
 * session, sends it the keys once, and hands out the cache as asynchronous named operations, so
 * a search or a feed batch runs beside the main thread instead of on it. Main keeps no database
 * handle; errors come back with their codes; a worker that is closed, or died, refuses every
 * call with `cache_closed`.
 */
import { Worker } from 'node:worker_threads';
import { CodedError } from '../../common/errors/coded-error.js';
import type { CacheOperations } from './cache-operations.js';
import { CACHE_OPERATION_NAMES } from './cache-protocol.js';
import type { CacheOpened, CacheOperationName, CrossingError, FromCacheWorker, ToCacheWorker } from './cache-protocol.js';
import type { AgentCacheKeys } from './cache-store.js';

type ArgsOf<N extends CacheOperationName> = CacheOperations[N] extends (store: never, ...args: infer A) => unknown ? A : never;
type ResultOf<N extends CacheOperationName> = ReturnType<CacheOperations[N]>;

/** The cache's operations as main calls them. */
export type CacheCalls = { readonly [N in CacheOperationName]: (...args: ArgsOf<N>) => Promise<ResultOf<N>> };

export interface OpenCache extends CacheCalls {
  /** The feed position the cache held when it opened. */
  readonly lastSeqAtOpen: number;
  /** Closes the database and ends the worker; the calls sent before are answered first, any later one is refused. */
  close(): Promise<void>;
}

export interface OpenCacheOptions {
  readonly userDataDir: string;
  /** Wiped here once sent: afterwards only the worker holds them. */
  readonly keys: AgentCacheKeys;
  readonly mediaCapBytes: number;
  /** The lease clock's time now. */
  readonly now: number;
}

/** How long a closing worker may take to end before it is stopped. */
const EXIT_GRACE_MS = 5000;

export const cacheClosed = (message = 'The local copy of the inbox is not open.') => new CodedError('cache_closed', message);

/**
 * Where the worker's entry is: beside this module when it runs from source (tests, tsx: a .ts
 * file, so through the tsx bootstrap); in the built app this module is inside dist/main/index.js
 * and the entry is dist/main/cache-worker.js beside it (vite.main.config.ts), inside the asar.
 */
function workerEntry(): URL {
  const fromSource = import.meta.url.endsWith('.ts');
  return new URL(fromSource ? './run-cache-worker-from-source.js' : './cache-worker.js', import.meta.url);
}

function errorOf(error: CrossingError): Error {
  return error.coded ? new CodedError(error.code, error.message, error.details === undefined ? undefined : { ...error.details }) : new Error(error.message);
}

class CacheWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  readonly #exited: Promise<void>;
  #nextId = 1;
  /** Set once no call may be sent any more: the worker is closing, closed, or died. */
  #refusal: CodedError | undefined;

  constructor() {
    this.#worker = new Worker(workerEntry(), { name: 'sportello-cache' });
    this.#exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
    this.#worker.on('message', (reply: FromCacheWorker) => {
      const pending = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if (reply.ok) pending?.resolve(reply.value);
      else pending?.reject(errorOf(reply.error));
    });
    this.#worker.on('error', () => this.#fail(cacheClosed('The local copy of the inbox stopped unexpectedly: sign in again to open it.')));
    this.#worker.once('exit', () => this.#fail(cacheClosed()));
  }

  send(message: DistributiveOmit<ToCacheWorker, 'id'>): Promise<unknown> {
    if (this.#refusal !== undefined) return Promise.reject(this.#refusal);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...message, id });
    });
  }

  /** The worker closes the database, answers, and ends; one that does not end in time is stopped. */
  async close(): Promise<void> {
    if (this.#refusal !== undefined) return this.#exited;
    const closing = this.send({ type: 'close' });
    this.#refusal = cacheClosed();
    await closing.catch(() => undefined);
    const grace = setTimeout(() => void this.#worker.terminate(), EXIT_GRACE_MS);
    await this.#exited;
    clearTimeout(grace);
  }

  #fail(error: CodedError): void {
    this.#refusal ??= error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Starts the worker and opens the agent's cache in it (erased and made afresh when it is another agent's, or under another key). */
export async function openCache(options: OpenCacheOptions): Promise<OpenCache> {
  const worker = new CacheWorker();
  const { keys } = options;
  const opening = worker.send({
    type: 'open',
    request: {
      userDataDir: options.userDataDir,
      databaseKey: keys.database,
      mediaKey: keys.media,
      agentId: keys.agentId,
      mediaCapBytes: options.mediaCapBytes,
      now: options.now,
    },
  });
  // The message holds its own copy: main keeps none.
  keys.database.fill(0);
  keys.media.fill(0);
  let opened: CacheOpened;
  try {
    opened = (await opening) as CacheOpened;
  } catch (error) {
    await worker.close();
    throw error;
  }
  const calls = Object.fromEntries(
    CACHE_OPERATION_NAMES.map((name) => [name, (...args: unknown[]) => worker.send({ type: 'call', name, args })]),
  ) as unknown as CacheCalls;
  return { ...calls, lastSeqAtOpen: opened.lastSeq, close: () => worker.close() };
}
