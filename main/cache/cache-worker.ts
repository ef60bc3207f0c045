/**
 * The cache worker's entry: a worker thread of its own (as Signal Desktop runs its SQL), so a
 * search, a page or a feed batch never holds the main thread, where every IPC call and window
 * event waits. It opens the store once with the keys main sends, runs each operation to the end
 * before reading the next message (so they keep the order main sent them in), and closes the
 * database before it answers `close`. Nothing here logs; the keys stay in this thread.
 */
import { parentPort } from 'node:worker_threads';
import { isCodedError } from '../../common/errors/coded-error.js';
import { LeaseClock } from './lease-clock.js';
import { CACHE_OPERATIONS } from './cache-operations.js';
import type { CacheOpened, CrossingError, FromCacheWorker, ToCacheWorker } from './cache-protocol.js';
import { openCacheStore } from './cache-store.js';
import type { CacheStore } from './cache-store.js';

if (parentPort === null) throw new Error('cache-worker.ts runs as a worker thread of the main process, not on its own');
const port = parentPort;
let store: CacheStore | undefined;

function crossing(error: unknown): CrossingError {
  if (isCodedError(error)) return { coded: true, code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) };
  return { coded: false, message: error instanceof Error ? error.message : String(error) };
}

/** A result that carries bytes of its own hands them over (no copy); anything else is cloned. */
function handedOver(value: unknown): ArrayBuffer[] {
  const bytes = (value as { bytes?: unknown } | undefined)?.bytes;
  if (bytes instanceof Uint8Array && bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength)
    return [bytes.buffer];
  return [];
}

function run(message: ToCacheWorker): unknown {
  switch (message.type) {
    case 'open': {
      if (store !== undefined) throw new Error('the cache is already open in this worker');
      const { request } = message;
      const clock = new LeaseClock(Date.now, () => performance.now());
      clock.observe(request.now);
      const keys = { database: Buffer.from(request.databaseKey), media: Buffer.from(request.mediaKey), agentId: request.agentId };
      store = openCacheStore(request.userDataDir, keys, () => clock.now(), request.mediaCapBytes);
      keys.database.fill(0);
      const opened: CacheOpened = { lastSeq: store.inbox.lastSeq };
      return opened;
    }
    case 'call': {
      if (store === undefined) throw new Error('the cache is not open in this worker');
      if (!Object.hasOwn(CACHE_OPERATIONS, message.name)) throw new Error(`the cache has no operation ${String(message.name)}`);
      const operation = CACHE_OPERATIONS[message.name] as (store: CacheStore, ...args: readonly unknown[]) => unknown;
      return operation(store, ...message.args);
    }
    case 'close':
      store?.close();
      store = undefined;
      return undefined;
  }
}

port.on('message', (message: ToCacheWorker) => {
  let reply: FromCacheWorker;
  let transfer: ArrayBuffer[] = [];
  try {
    const value = run(message);
    reply = { id: message.id, ok: true, value };
    transfer = handedOver(value);
  } catch (error) {
    reply = { id: message.id, ok: false, error: crossing(error) };
  }
  port.postMessage(reply, transfer);
  if (message.type === 'close') port.close();
});
