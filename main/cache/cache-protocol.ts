/**
 * What main and the cache worker say to each other: the worker opens the cache once with the
 * keys main derived, then answers named operations (cache-operations.ts) one at a time, in the
 * order they were sent, until main closes it. Errors cross as their code and message, so a
 * CodedError keeps its code on the other side.
 */

/** Every operation the worker answers; cache-operations.ts implements exactly these. */
export const CACHE_OPERATION_NAMES = [
  'lastSeq',
  'applyFeed',
  'markReady',
  'resetTo',
  'conversation',
  'storePage',
  'readConversations',
  'readMessages',
  'readNotes',
  'readHistory',
  'listState',
  'storeConversations',
  'storeMessages',
  'storeNotes',
  'keepNote',
  'storeHistory',
  'readSchedule',
  'storeSchedule',
  'followView',
  'search',
  'numbersSeen',
  'cachedMedia',
  'keepMedia',
  'outboxAdd',
  'outboxGet',
  'outboxList',
  'outboxDue',
  'outboxBlocked',
  'outboxMarkSending',
  'outboxMarkPending',
  'outboxMarkFailed',
  'outboxRetry',
  'outboxComplete',
  'outboxRemove',
] as const;

export type CacheOperationName = (typeof CACHE_OPERATION_NAMES)[number];

export interface CacheOpenRequest {
  readonly userDataDir: string;
  /** The SQLCipher key and the media key: sent once, at open, and held only by the worker afterwards. */
  readonly databaseKey: Uint8Array;
  readonly mediaKey: Uint8Array;
  readonly agentId: number;
  readonly mediaCapBytes: number;
  /** The lease clock's time at open: the worker's clock for media use never runs behind it. */
  readonly now: number;
}

export type ToCacheWorker =
  | { readonly id: number; readonly type: 'open'; readonly request: CacheOpenRequest }
  | { readonly id: number; readonly type: 'call'; readonly name: CacheOperationName; readonly args: readonly unknown[] }
  | { readonly id: number; readonly type: 'close' };

export type CrossingError =
  | { readonly coded: true; readonly code: string; readonly message: string; readonly details?: Readonly<Record<string, unknown>> }
  | { readonly coded: false; readonly message: string };

export type FromCacheWorker =
  { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: CrossingError };

/** What the worker answers to `open`. */
export interface CacheOpened {
  readonly lastSeq: number;
}
