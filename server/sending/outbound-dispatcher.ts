/**
 * The outbound queue. It paces each business number's messages below that number's throughput
 * (Meta's limit is per number) and holds each customer's pair limit (a conversation is one
 * customer on one number), so a burst never earns 130429 or 131056; keeps each conversation's messages in order, retries what Meta
 * says is worth retrying (with backoff and jitter) and ends everything else in a visible
 * `failed` state with Meta's code and a reason.
 *
 * The queue lives in the store (status `queued`); this class only schedules, and each message's
 * steps through it are outbound-transitions.ts's. A message found `sending` at start was cut off
 * mid-call: Meta may have it, so it is failed visibly rather than sent twice. Read receipts are a
 * job of their own (read-receipt-job.ts), paced with the messages.
 */
import { EventEmitter } from 'node:events';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { MessageContent } from '../../common/messages/message-content.js';
import { GraphApiError } from '../cloud-api/graph-client.js';
import type { GraphClient } from '../cloud-api/graph-client.js';
import type { FailureVerdict } from '../cloud-api/graph-errors.js';
import { retryDelayMs } from '../cloud-api/graph-errors.js';
import type { SendingLimits } from '../config/load-config.js';
import type { MediaStore } from '../media/media-store.js';
import type { BusinessNumbers, NumberLine } from '../numbers/business-numbers.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { graphMessageBody } from './graph-message-body.js';
import { isConversationBlocked } from '../blocks/customer-blocks.js';
import { failBlockedSend, failInterruptedSends, markAccepted, markFailed, requeueForRetry, startAttempt } from './outbound-transitions.js';
import { ReadReceiptJob } from './read-receipt-job.js';
import { noteTemplateRefusedByMeta } from '../templates/template-refused-by-meta.js';
import { NumberLanes } from './number-lanes.js';
import { SlidingWindowLimiter } from './sliding-window-limiter.js';
import { claimSend, pauseNumber } from './store-send-claims.js';
import { interruptedSends, queuedSends } from './outbound-queue-store.js';
import { dialectOf } from '../store/sql-dialect.js';

/** Meta keeps uploads 30 days; re-upload a little before. */
const UPLOAD_REUSE_MS = 29 * 24 * 60 * 60 * 1000;
/**
 * Meta counts arrivals, we count departures: requests sent exactly a window apart can arrive
 * closer together. Spacing and windows slightly longer than the limits absorb that jitter.
 */
const JITTER_HEADROOM = 1.05;
const MIN_PAIR_MARGIN_MS = 250;
/** Several replicas: how soon a conversation whose earlier message another replica holds is tried again. */
const BEHIND_RETRY_MS = 100;

export interface DispatcherOptions {
  readonly maxAttempts?: number;
  readonly maxInFlight?: number;
  readonly retryBaseMs?: number;
  /** PostgreSQL (several replicas): how often the store is read for sends other replicas queued. */
  readonly pollMs?: number;
  readonly now?: () => number;
}

export interface DispatchEvent {
  readonly messageId: number;
  readonly status: 'accepted' | 'queued' | 'failed';
}

interface Deps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly numbers: BusinessNumbers;
  readonly media: MediaStore;
  readonly metrics: ServerMetrics;
  readonly log: Logger;
  readonly limits: SendingLimits;
}

/** `templatesChanged`: Meta's refusal of a send changed the stored templates (server/templates/template-refused-by-meta.ts), to announce. */
export class OutboundDispatcher extends EventEmitter<{ dispatched: [DispatchEvent]; templatesChanged: [readonly string[]] }> {
  readonly #deps: Deps;
  readonly #maxAttempts: number;
  readonly #maxInFlight: number;
  readonly #retryBaseMs: number;
  readonly #now: () => number;
  /** Per business number: which conversations it answers, and its pacer. */
  readonly #lanes: NumberLanes;
  /** Per conversation (one customer on one of our numbers): message ids in send order. */
  readonly #queues = new Map<number, number[]>();
  readonly #blockedUntil = new Map<number, number>();
  readonly #busy = new Set<number>();
  readonly #pair = new Map<number, SlidingWindowLimiter>();
  readonly #readReceipts: ReadReceiptJob;
  readonly #inFlight = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #poll: NodeJS.Timeout | undefined;
  #stopped = true;
  /** PostgreSQL: replicas may share the queue, so each send is claimed in the store (store-send-claims.ts). */
  readonly #shared: boolean;
  readonly #pollMs: number;
  readonly #intervalMs: number;

  constructor(deps: Deps, options: DispatcherOptions = {}) {
    super();
    this.#deps = deps;
    this.#maxAttempts = options.maxAttempts ?? 12;
    this.#maxInFlight = options.maxInFlight ?? 64;
    this.#retryBaseMs = options.retryBaseMs ?? 500;
    this.#now = options.now ?? Date.now;
    this.#intervalMs = (1000 / deps.limits.messagesPerSecond) * JITTER_HEADROOM;
    this.#lanes = new NumberLanes(this.#intervalMs);
    this.#shared = dialectOf(deps.db) === 'postgres';
    this.#pollMs = options.pollMs ?? 1000;
    this.#readReceipts = new ReadReceiptJob(deps, { maxAttempts: this.#maxAttempts, retryBaseMs: this.#retryBaseMs, now: this.#now });
  }

  /** Loads the queue the store holds and starts sending. */
  async start(): Promise<void> {
    await this.#failInterrupted();
    await this.#loadQueued();
    for (const receipt of await this.#readReceipts.load()) this.#lanes.assign(receipt.conversationId, receipt.phoneNumberId);
    this.#stopped = false;
    if (this.#shared) {
      this.#poll = setInterval(
        () =>
          void Promise.all([this.#failInterrupted(), this.#loadQueued()]).then(
            () => this.#pump(),
            (error: unknown) => this.#deps.log.error({ err: error }, 'reading the outbound queue failed'),
          ),
        this.#pollMs,
      );
      this.#poll.unref();
    }
    this.#pump();
  }

  /** Sends cut off mid-call (on PostgreSQL: by a replica gone for longer than the lease) fail visibly: Meta may have them. */
  async #failInterrupted(): Promise<void> {
    const interrupted = await interruptedSends(this.#deps.db, this.#shared);
    if (interrupted.length === 0) return;
    await this.#deps.committer.submit((trx) => failInterruptedSends(trx, interrupted, this.#now()));
    this.#deps.log.warn({ count: interrupted.length }, 'messages interrupted mid-send marked failed');
  }

  /** What the store holds queued: at start, and on PostgreSQL every poll (other replicas' sends too). */
  async #loadQueued(): Promise<void> {
    for (const row of await queuedSends(this.#deps.db)) {
      this.#lanes.assign(row.conversation_id, row.business_phone_number_id);
      this.#push(row.conversation_id, row.id);
      if (row.next_attempt_at !== null) {
        const blocked = Math.max(this.#blockedUntil.get(row.conversation_id) ?? 0, row.next_attempt_at);
        this.#blockedUntil.set(row.conversation_id, blocked);
      }
    }
  }

  /** A message was committed with status `queued`, in a conversation of this business number. */
  enqueue(conversationId: number, messageId: number, phoneNumberId: string): void {
    this.#lanes.assign(conversationId, phoneNumberId);
    this.#push(conversationId, messageId);
    this.#pump();
  }

  /** A read receipt was committed for this conversation. */
  enqueueReadReceipt(conversationId: number, phoneNumberId: string): void {
    this.#lanes.assign(conversationId, phoneNumberId);
    this.#readReceipts.enqueue(conversationId);
    this.#pump();
  }

  /** A number may send again (a new token): what waited for it goes. */
  wake(): void {
    this.#pump();
  }

  get queueDepth(): number {
    let depth = 0;
    for (const queue of this.#queues.values()) depth += queue.length;
    return depth;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearInterval(this.#poll);
    await Promise.allSettled([...this.#inFlight]);
  }

  /** Resolves when nothing is queued or in flight (tests, benchmarks). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0 || this.queueDepth > 0 || this.#readReceipts.pending > 0) {
      if (this.#inFlight.size > 0) await Promise.race([...this.#inFlight]);
      else await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  #push(conversationId: number, messageId: number): void {
    const queue = this.#queues.get(conversationId);
    if (queue === undefined) {
      this.#queues.set(conversationId, [messageId]);
      this.#lanes.opened(conversationId);
    } else if (!queue.includes(messageId)) {
      // In id order: another replica's earlier message, read at a poll, goes before what this one queued since.
      const at = queue.findIndex((queued) => queued > messageId);
      if (at < 0) queue.push(messageId);
      else queue.splice(at, 0, messageId);
    }
    this.#deps.metrics.outboundQueueDepth.set(this.queueDepth);
  }

  #pairLimiter(conversationId: number): SlidingWindowLimiter {
    let limiter = this.#pair.get(conversationId);
    if (limiter === undefined) {
      limiter = new SlidingWindowLimiter(this.#deps.limits.pairBurst, this.#pairWindowMs());
      this.#pair.set(conversationId, limiter);
    }
    return limiter;
  }

  #dropQueue(conversationId: number): void {
    this.#queues.delete(conversationId);
    this.#lanes.closed(conversationId);
  }

  /** The number's line when it can send now: configured, with a token Meta has not refused. */
  #sendingLine(phoneNumberId: string | undefined): NumberLine | undefined {
    if (phoneNumberId === undefined) return undefined;
    const line = this.#deps.numbers.line(phoneNumberId);
    return line?.graph !== undefined && line.health.state === 'ok' ? line : undefined;
  }

  /** Starts every send that the limits allow now, and sets a timer for the next one. */
  #pump(): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    const now = this.#now();
    let wakeAt = Number.POSITIVE_INFINITY;
    // Numbers that cannot send any more in this pass (paced out, or unable to send at all).
    const done = new Set<string>();
    const numbers = Math.max(1, this.#lanes.numbersWaiting);

    for (const [conversationId, queue] of this.#queues) {
      if (this.#inFlight.size >= this.#maxInFlight || done.size >= numbers) break;
      if (queue.length === 0) {
        this.#dropQueue(conversationId);
        continue;
      }
      if (this.#busy.has(conversationId)) continue;
      const phoneNumberId = this.#lanes.numberOf(conversationId);
      if (phoneNumberId === undefined || done.has(phoneNumberId)) continue;
      if (this.#sendingLine(phoneNumberId) === undefined) {
        done.add(phoneNumberId);
        continue;
      }
      const blocked = this.#blockedUntil.get(conversationId) ?? 0;
      if (blocked > now) {
        wakeAt = Math.min(wakeAt, blocked);
        continue;
      }
      const pair = this.#pairLimiter(conversationId);
      const pairWait = pair.waitMs(now);
      if (pairWait > 0) {
        wakeAt = Math.min(wakeAt, now + pairWait);
        continue;
      }
      const pacer = this.#lanes.pacer(phoneNumberId);
      if (!pacer.tryTake(now)) {
        wakeAt = Math.min(wakeAt, now + pacer.waitMs(now));
        done.add(phoneNumberId);
        continue;
      }
      pair.tryTake(now);
      const messageId = queue[0];
      if (messageId === undefined) continue;
      this.#busy.add(conversationId);
      // Served: move to the back so other customers get their turn.
      this.#queues.delete(conversationId);
      this.#queues.set(conversationId, queue);
      this.#track(this.#sendHead(conversationId, messageId).finally(() => this.#busy.delete(conversationId)));
    }

    for (const [conversationId, dueAt] of this.#readReceipts.due()) {
      if (this.#inFlight.size >= this.#maxInFlight || this.#readReceipts.isSending(conversationId)) continue;
      if (dueAt > now) {
        wakeAt = Math.min(wakeAt, dueAt);
        continue;
      }
      const phoneNumberId = this.#lanes.numberOf(conversationId);
      const line = this.#sendingLine(phoneNumberId);
      if (phoneNumberId === undefined || line === undefined) continue;
      const pacer = this.#lanes.pacer(phoneNumberId);
      if (!pacer.tryTake(now)) {
        wakeAt = Math.min(wakeAt, now + pacer.waitMs(now));
        continue;
      }
      this.#track(this.#readReceipts.send(conversationId, line));
    }

    for (const [conversationId, limiter] of this.#pair) {
      if (!this.#queues.has(conversationId) && limiter.isIdle(now)) this.#pair.delete(conversationId);
    }
    if (Number.isFinite(wakeAt)) {
      this.#timer = setTimeout(() => this.#pump(), Math.max(1, wakeAt - now));
      this.#timer.unref();
    }
  }

  #track(job: Promise<void>): void {
    const tracked: Promise<void> = job
      .catch((error: unknown) => this.#deps.log.error({ err: error }, 'outbound dispatch failed unexpectedly'))
      .finally(() => {
        this.#inFlight.delete(tracked);
        this.#deps.metrics.outboundQueueDepth.set(this.queueDepth);
        this.#pump();
      });
    this.#inFlight.add(tracked);
  }

  async #sendHead(conversationId: number, messageId: number): Promise<void> {
    const { db, committer, metrics } = this.#deps;
    const row = await db
      .selectFrom('messages')
      .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
      .leftJoin('media', 'media.id', 'messages.media_id')
      .select([
        'messages.status',
        'messages.attempts',
        'messages.content_json',
        'messages.context_wamid',
        'contacts.wa_id',
        'contacts.user_id',
        'conversations.business_phone_number_id',
        'media.id as media_row_id',
        'media.sha256 as media_sha256',
        'media.mime_type as media_mime_type',
        'media.filename as media_filename',
        'media.graph_media_id',
        'media.graph_uploaded_at',
      ])
      .where('messages.id', '=', messageId)
      .executeTakeFirst();
    if (row?.status !== 'queued') {
      this.#dequeue(conversationId, messageId);
      return;
    }
    // The conversation's number now (an admin may have moved it to another): its token sends.
    this.#lanes.assign(conversationId, row.business_phone_number_id);
    const line = this.#sendingLine(row.business_phone_number_id);
    if (line?.graph === undefined) return;
    const graph = line.graph;
    // Blocked after it was queued: it fails here, before anything reaches Meta.
    if (await isConversationBlocked(db, conversationId)) {
      await committer.submit((trx) => failBlockedSend(trx, messageId, this.#now()));
      metrics.sends.inc({ outcome: 'failed' });
      this.#dequeue(conversationId, messageId);
      this.emit('dispatched', { messageId, status: 'failed' });
      return;
    }
    const attempt = await this.#claim(conversationId, messageId, row.attempts + 1, line.phoneNumberId);
    if (attempt === undefined) return;
    try {
      const content = JSON.parse(row.content_json) as MessageContent;
      let graphMediaId = row.graph_media_id;
      if (row.media_row_id !== null && (graphMediaId === null || row.graph_uploaded_at === null || this.#now() - row.graph_uploaded_at > UPLOAD_REUSE_MS)) {
        graphMediaId = await this.#upload(graph, row.media_row_id, row.media_sha256, row.media_mime_type, row.media_filename);
      }
      const response = await graph.sendMessage(
        graphMessageBody({ content, contextWamid: row.context_wamid, graphMediaId, recipient: { waId: row.wa_id, userId: row.user_id } }),
      );
      const wamid = response.messages[0]?.id ?? '';
      await committer.submit((trx) => markAccepted(trx, messageId, wamid, this.#now()));
      metrics.sends.inc({ outcome: 'accepted' });
      this.#dequeue(conversationId, messageId);
      this.emit('dispatched', { messageId, status: 'accepted' });
    } catch (error) {
      await this.#handleFailure(line, conversationId, messageId, attempt, error);
    }
  }

  /** queued → sending; on PostgreSQL a claim that may be refused (undefined: not this time). */
  async #claim(conversationId: number, messageId: number, attempt: number, phoneNumberId: string): Promise<number | undefined> {
    const now = this.#now();
    if (!this.#shared) {
      await this.#deps.committer.submit((trx) => startAttempt(trx, messageId, attempt, now));
      return attempt;
    }
    const pair = { burst: this.#deps.limits.pairBurst, windowMs: this.#pairWindowMs() };
    const claim = await this.#deps.committer.submit((trx) =>
      claimSend(trx, { messageId, conversationId, phoneNumberId, intervalMs: this.#intervalMs, pair, now }),
    );
    if (claim.kind === 'claimed') return claim.attempt;
    if (claim.kind === 'taken') this.#dequeue(conversationId, messageId);
    else if (claim.kind === 'behind') this.#blockedUntil.set(conversationId, now + BEHIND_RETRY_MS);
    else if (claim.kind === 'pair_limited') this.#blockedUntil.set(conversationId, now + claim.waitMs);
    else this.#lanes.pacer(phoneNumberId).pause(now, claim.waitMs);
    return undefined;
  }

  #pairWindowMs(): number {
    const { pairBurst, pairIntervalMs } = this.#deps.limits;
    const window = pairBurst * pairIntervalMs;
    return window + Math.max(MIN_PAIR_MARGIN_MS, window * (JITTER_HEADROOM - 1));
  }

  async #upload(graph: GraphClient, mediaRowId: number, sha256: string | null, mimeType: string | null, filename: string | null): Promise<string> {
    if (sha256 === null || mimeType === null) throw new Error(`media ${mediaRowId} has no stored file`);
    const bytes = await this.#deps.media.read(sha256);
    const graphMediaId = await graph.uploadMedia(bytes, mimeType, filename ?? `${sha256.slice(0, 12)}`);
    const now = this.#now();
    await this.#deps.committer.submit((trx) =>
      trx.updateTable('media').set({ graph_media_id: graphMediaId, graph_uploaded_at: now, updated_at: now }).where('id', '=', mediaRowId).execute(),
    );
    return graphMediaId;
  }

  async #handleFailure(line: NumberLine, conversationId: number, messageId: number, attempt: number, error: unknown): Promise<void> {
    const { committer, metrics, log } = this.#deps;
    const verdict: FailureVerdict =
      error instanceof GraphApiError
        ? error.verdict
        : {
            code: 'internal',
            retry: true,
            minRetryDelayMs: 1000,
            reauthorize: false,
            templateRequired: false,
            reason: 'The server could not prepare this message.',
          };
    if (error instanceof GraphApiError) metrics.graphErrors.inc({ code: verdict.code });
    else log.error({ err: error, messageId }, 'outbound message could not be prepared');
    const now = this.#now();
    if (verdict.code === 'meta_130429') {
      this.#lanes.pacer(line.phoneNumberId).pause(now, 1000);
      if (this.#shared) await committer.submit((trx) => pauseNumber(trx, line.phoneNumberId, 1000));
    }
    if (verdict.code === 'meta_131056') this.#pairLimiter(conversationId).fill(now);
    if (verdict.reauthorize) await line.health.needsReauthorization(verdict.code, verdict.reason);

    const detail = error instanceof GraphApiError ? error.failure.details : undefined;
    if (verdict.retry && attempt < this.#maxAttempts) {
      const delay = retryDelayMs(attempt, verdict, this.#retryBaseMs);
      this.#blockedUntil.set(conversationId, now + delay);
      await committer.submit((trx) => requeueForRetry(trx, messageId, verdict, now + delay));
      metrics.sends.inc({ outcome: 'retry' });
      log.warn({ messageId, attempt, code: verdict.code, delayMs: delay }, 'send failed; will retry');
      this.emit('dispatched', { messageId, status: 'queued' });
      return;
    }
    const failure = {
      code: verdict.agentCode ?? verdict.code,
      title: error instanceof GraphApiError ? (error.failure.title ?? null) : null,
      reason: detail !== undefined && detail !== verdict.reason ? `${verdict.reason} (${detail})` : verdict.reason,
    };
    const refused = { messageId, wabaId: line.wabaId, metaCode: error instanceof GraphApiError ? error.failure.metaCode : undefined };
    const changedTemplate = await committer.submit(async (trx) => {
      await markFailed(trx, messageId, failure, now);
      return noteTemplateRefusedByMeta(trx, refused, now);
    });
    if (changedTemplate !== undefined) this.emit('templatesChanged', [changedTemplate]);
    metrics.sends.inc({ outcome: 'failed' });
    log.warn({ messageId, attempt, code: verdict.code }, 'send failed for good');
    this.#dequeue(conversationId, messageId);
    this.emit('dispatched', { messageId, status: 'failed' });
  }

  #dequeue(conversationId: number, messageId: number): void {
    const queue = this.#queues.get(conversationId);
    if (queue === undefined) return;
    const index = queue.indexOf(messageId);
    if (index >= 0) queue.splice(index, 1);
    if (queue.length === 0) this.#dropQueue(conversationId);
    this.#blockedUntil.delete(conversationId);
  }
}
