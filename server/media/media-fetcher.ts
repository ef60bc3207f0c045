/**
 * Downloads the media customers send, promptly: webhook media ids expire after 7 days and each
 * download URL after 5 minutes. A failed download is retried with backoff and stays visible in
 * the media row (state, attempts, last error) until it is stored or given up. A downloaded file is
 * `scanning` until it has been judged by its bytes and scanned (media-scans.ts), and becomes
 * `stored` with the verdict, so a stored file always has one; a restart judges the files a stop
 * cut short.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { MediaKind } from '../../common/attachments/media-limits.js';
import { MAX_INBOUND_MEDIA_BYTES, maxBytesFor } from '../../common/attachments/media-limits.js';
import { CodedError, isCodedError } from '../../common/errors/coded-error.js';
import { GraphApiError } from '../cloud-api/graph-client.js';
import type { GraphClient } from '../cloud-api/graph-client.js';
import type { BusinessNumbers } from '../numbers/business-numbers.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase, MediaRow } from '../store/schema.js';
import { MediaTooLargeError, sha256Hex } from './media-store.js';
import type { MediaStore } from './media-store.js';
import type { MediaScans } from './media-scans.js';

/** Webhook media ids stop working after 7 days: past that, a retry cannot succeed. */
const MEDIA_ID_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
const DOWNLOAD_TIMEOUT_MS = 5 * 60 * 1000;
const CHECKSUM_ATTEMPTS = 3;

export interface MediaFetcherOptions {
  readonly concurrency?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly now?: () => number;
}

type Failure = { retry: boolean; code: string; message: string };

export class MediaFetcher {
  readonly #db: Kysely<InboxDatabase>;
  readonly #committer: GroupCommitter;
  readonly #numbers: BusinessNumbers;
  readonly #store: MediaStore;
  readonly #scans: MediaScans;
  readonly #metrics: ServerMetrics;
  readonly #log: Logger;
  readonly #concurrency: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #now: () => number;
  readonly #inFlight = new Map<number, Promise<void>>();
  /** Files cut short while `scanning` by a stop, judged again at start. */
  readonly #recovering = new Map<number, Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #scanning = false;
  /** The scan under way, for a stop to wait on: it may start downloads after the stop began. */
  #scanRun: Promise<void> | undefined;
  #rescan = false;
  #stopped = true;

  constructor(
    deps: {
      db: Kysely<InboxDatabase>;
      committer: GroupCommitter;
      numbers: BusinessNumbers;
      store: MediaStore;
      scans: MediaScans;
      metrics: ServerMetrics;
      log: Logger;
    },
    options: MediaFetcherOptions = {},
  ) {
    this.#db = deps.db;
    this.#committer = deps.committer;
    this.#numbers = deps.numbers;
    this.#store = deps.store;
    this.#scans = deps.scans;
    this.#metrics = deps.metrics;
    this.#log = deps.log;
    this.#concurrency = options.concurrency ?? 4;
    this.#baseDelayMs = options.baseDelayMs ?? 5000;
    this.#maxDelayMs = options.maxDelayMs ?? 60 * 60 * 1000;
    this.#now = options.now ?? Date.now;
  }

  start(): void {
    this.#stopped = false;
    void this.#recover();
    this.wake();
  }

  async #recover(): Promise<void> {
    const cutShort = await this.#db.selectFrom('media').select('id').where('scan_state', '=', 'scanning').execute();
    for (const { id } of cutShort) {
      if (this.#stopped || this.#inFlight.has(id) || this.#recovering.has(id)) continue;
      const judged = this.#judge(id).finally(() => this.#recovering.delete(id));
      this.#recovering.set(id, judged);
    }
  }

  /** Judges a stored file; one that cannot be judged now stays `scanning` and is judged at the next start. */
  async #judge(mediaId: number): Promise<void> {
    try {
      await this.#scans.judge(mediaId);
    } catch (error) {
      this.#log.error({ err: error, mediaId }, 'a stored file could not be judged; it stays scanning until the next start');
    }
  }

  /** New media was committed, or a retry came due: look for work. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#scanning) {
      this.#rescan = true;
      return;
    }
    this.#scanning = true;
    this.#scanRun = this.#scan()
      .catch((error: unknown) => this.#log.error({ err: error }, 'media download scan failed'))
      .finally(() => {
        this.#scanning = false;
        this.#scanRun = undefined;
        if (this.#rescan) {
          this.#rescan = false;
          this.wake();
        }
      });
  }

  /** Starts nothing more, and resolves once the scan under way and every download it started have ended (their outcome recorded). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#scanRun;
    while (this.#inFlight.size > 0 || this.#recovering.size > 0) await Promise.allSettled([...this.#inFlight.values(), ...this.#recovering.values()]);
  }

  /** Resolves when no download is running (for tests and shutdown). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0 || this.#recovering.size > 0 || this.#scanning) {
      await Promise.allSettled([...this.#inFlight.values(), ...this.#recovering.values()]);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async #scan(): Promise<void> {
    const free = this.#concurrency - this.#inFlight.size;
    if (free <= 0) return;
    const now = this.#now();
    const due = await this.#db
      .selectFrom('media')
      .selectAll()
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(free + this.#inFlight.size)
      .execute();
    for (const row of due) {
      // Stopped while the store was read: the stop waits for this scan, so it starts nothing.
      if (this.#stopped || this.#inFlight.size >= this.#concurrency) break;
      if (this.#inFlight.has(row.id)) continue;
      const job = this.#download(row)
        .catch((error: unknown) => this.#log.error({ err: error, mediaId: row.id }, 'media download could not be recorded; it is tried again'))
        .finally(() => {
          this.#inFlight.delete(row.id);
          this.wake();
        });
      this.#inFlight.set(row.id, job);
    }
    await this.#scheduleNext();
  }

  async #scheduleNext(): Promise<void> {
    clearTimeout(this.#timer);
    if (this.#stopped) return;
    const next = await this.#db
      .selectFrom('media')
      .select('next_attempt_at')
      .where('state', '=', 'pending')
      .orderBy('next_attempt_at')
      .limit(1)
      .executeTakeFirst();
    if (next?.next_attempt_at === null || next === undefined) return;
    const delay = Math.max(0, next.next_attempt_at - this.#now());
    if (delay === 0 && this.#inFlight.size >= this.#concurrency) return; // a finishing job wakes us
    this.#timer = setTimeout(() => this.wake(), Math.min(delay, 2 ** 31 - 1));
    this.#timer.unref();
  }

  async #download(row: MediaRow): Promise<void> {
    const attempt = row.attempts + 1;
    try {
      if (row.graph_media_id === null) throw new CodedError('media_id_missing', 'The webhook carried no media id.');
      const limit = Math.min(MAX_INBOUND_MEDIA_BYTES, maxBytesFor(row.kind as MediaKind, { animated: row.animated === 1 }));
      const graph = await this.#graphFor(row.id);
      const info = await graph.getMediaInfo(row.graph_media_id);
      if (info.fileSize !== undefined && info.fileSize > limit) throw new MediaTooLargeError(limit);
      const response = await graph.openMediaDownload(info.url, AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS));
      if (response.body === null) throw new CodedError('media_empty', 'Meta returned no bytes for this media.');
      const stored = await this.#store.write(response.body, limit);
      const expected = sha256Hex(info.sha256) ?? sha256Hex(row.declared_sha256);
      if (expected !== undefined && expected !== stored.sha256) {
        throw new CodedError('media_checksum_mismatch', 'The downloaded bytes do not match the SHA-256 Meta announced.');
      }
      await this.#committer.submit((trx) =>
        trx
          .updateTable('media')
          .set({
            // Downloaded, not yet released: `stored` comes with the scan's verdict (media-scans.ts).
            scan_state: 'scanning',
            scan_reason: null,
            sha256: stored.sha256,
            size: stored.size,
            attempts: attempt,
            next_attempt_at: null,
            last_error_code: null,
            last_error: null,
            updated_at: this.#now(),
          })
          .where('id', '=', row.id)
          .execute(),
      );
      this.#metrics.mediaDownloads.inc({ outcome: 'stored' });
    } catch (error) {
      await this.#recordFailure(row, attempt, classify(error, attempt));
      return;
    }
    await this.#judge(row.id);
  }

  /** The customer sent it to one of our numbers: that number's token downloads it. */
  async #graphFor(mediaRowId: number): Promise<GraphClient> {
    const carrier = await this.#db
      .selectFrom('messages')
      .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select('conversations.business_phone_number_id')
      .where('messages.media_id', '=', mediaRowId)
      .limit(1)
      .executeTakeFirst();
    const line = carrier === undefined ? undefined : this.#numbers.line(carrier.business_phone_number_id);
    if (line?.graph === undefined) {
      throw new CodedError('media_number_cannot_fetch', 'The business number this media was sent to has no usable access token here; it is tried again later.');
    }
    return line.graph;
  }

  async #recordFailure(row: MediaRow, attempt: number, failure: Failure): Promise<void> {
    const now = this.#now();
    const expired = now - row.created_at > MEDIA_ID_LIFETIME_MS;
    const giveUp = !failure.retry || expired;
    const delay = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (attempt - 1));
    const jittered = Math.round(delay / 2 + (Math.random() * delay) / 2);
    this.#metrics.mediaDownloads.inc({ outcome: giveUp ? 'failed' : 'retry' });
    if (failure.code.startsWith('meta_') || failure.code.startsWith('http_') || failure.code === 'network') {
      this.#metrics.graphErrors.inc({ code: failure.code });
    }
    this.#log.warn({ mediaId: row.id, attempt, code: failure.code, giveUp }, 'media download failed');
    await this.#committer.submit((trx) =>
      trx
        .updateTable('media')
        .set({
          state: giveUp ? 'failed' : 'pending',
          attempts: attempt,
          next_attempt_at: giveUp ? null : now + jittered,
          last_error_code: expired && failure.retry ? 'media_expired' : failure.code,
          last_error: expired && failure.retry ? 'Meta no longer holds this media (webhook media ids expire after 7 days).' : failure.message,
          updated_at: now,
        })
        .where('id', '=', row.id)
        .execute(),
    );
  }
}

function classify(error: unknown, attempt: number): Failure {
  if (error instanceof GraphApiError) {
    const verdict = error.verdict;
    // An unknown or expired media id answers 4xx and is final; Meta's own download trouble
    // (131052) and server-side failures are worth another try.
    return { retry: verdict.retry || verdict.code === 'meta_131052', code: verdict.code, message: verdict.reason };
  }
  if (error instanceof MediaTooLargeError) return { retry: false, code: error.code, message: error.message };
  if (isCodedError(error)) {
    const retry =
      error.code === 'media_checksum_mismatch' ? attempt < CHECKSUM_ATTEMPTS : error.code !== 'media_url_refused' && error.code !== 'media_id_missing';
    return { retry, code: error.code, message: error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { retry: true, code: 'download_interrupted', message: `The download was interrupted: ${message}` };
}
