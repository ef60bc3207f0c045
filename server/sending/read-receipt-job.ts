/**
 * Read receipts: telling Meta that an agent read a customer's messages (the customer's blue
 * ticks). The store keeps at most one per conversation (`read_receipts`, for the newest message
 * read); this job knows which are due and sends one, retrying what Meta says is worth retrying.
 * The outbound dispatcher decides when, under the same pacing as messages.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { isConversationBlocked } from '../blocks/customer-blocks.js';
import { GraphApiError } from '../cloud-api/graph-client.js';
import { retryDelayMs } from '../cloud-api/graph-errors.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { NumberLine } from '../numbers/business-numbers.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';

export interface ReadReceiptDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly metrics: ServerMetrics;
  readonly log: Logger;
}

export interface ReadReceiptOptions {
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly now: () => number;
}

export class ReadReceiptJob {
  readonly #deps: ReadReceiptDeps;
  readonly #options: ReadReceiptOptions;
  /** Conversation → when its receipt is due (0: now). */
  readonly #due = new Map<number, number>();
  /** Conversations whose receipt is being sent: one at a time each. */
  readonly #sending = new Set<number>();

  constructor(deps: ReadReceiptDeps, options: ReadReceiptOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  /** The receipts the store holds queued (at start), and the number each conversation is on. */
  async load(): Promise<Array<{ conversationId: number; phoneNumberId: string }>> {
    const receipts = await this.#deps.db
      .selectFrom('read_receipts')
      .innerJoin('conversations', 'conversations.id', 'read_receipts.conversation_id')
      .select(['read_receipts.conversation_id', 'read_receipts.next_attempt_at', 'conversations.business_phone_number_id'])
      .where('read_receipts.state', '=', 'queued')
      .execute();
    for (const receipt of receipts) this.#due.set(receipt.conversation_id, receipt.next_attempt_at ?? 0);
    return receipts.map((receipt) => ({ conversationId: receipt.conversation_id, phoneNumberId: receipt.business_phone_number_id }));
  }

  /** A receipt was committed for this conversation: due now. */
  enqueue(conversationId: number): void {
    this.#due.set(conversationId, 0);
  }

  /** Receipts waiting or being sent. */
  get pending(): number {
    return this.#due.size;
  }

  /** Each conversation with a receipt to send, and when it is due. */
  due(): IterableIterator<[conversationId: number, dueAt: number]> {
    return this.#due.entries();
  }

  isSending(conversationId: number): boolean {
    return this.#sending.has(conversationId);
  }

  /** Sends the conversation's receipt from its number, if the store still holds it queued, and notes what is due next. */
  async send(conversationId: number, line: NumberLine): Promise<void> {
    this.#sending.add(conversationId);
    try {
      await this.#send(conversationId, line);
    } finally {
      this.#sending.delete(conversationId);
    }
  }

  async #send(conversationId: number, line: NumberLine): Promise<void> {
    const { db, committer, metrics, log } = this.#deps;
    const graph = line.graph;
    if (graph === undefined) return;
    const { maxAttempts, retryBaseMs, now: clock } = this.#options;
    const receipt = await db.selectFrom('read_receipts').selectAll().where('conversation_id', '=', conversationId).executeTakeFirst();
    if (receipt?.state !== 'queued') {
      this.#due.delete(conversationId);
      return;
    }
    const attempt = receipt.attempts + 1;
    const now = clock();
    // Nothing goes to a blocked customer, blue ticks included.
    if (await isConversationBlocked(db, conversationId)) {
      await committer.submit((trx) =>
        trx
          .updateTable('read_receipts')
          .set({
            state: 'failed',
            next_attempt_at: null,
            error_code: 'customer_blocked',
            error_reason: 'The customer is blocked on this number.',
            updated_at: now,
          })
          .where('conversation_id', '=', conversationId)
          .where('wamid', '=', receipt.wamid)
          .execute(),
      );
      this.#due.delete(conversationId);
      return;
    }
    try {
      await graph.markRead(receipt.wamid);
      await committer.submit((trx) =>
        trx
          .updateTable('read_receipts')
          .set({ state: 'sent', attempts: attempt, next_attempt_at: null, error_code: null, error_reason: null, updated_at: clock() })
          .where('conversation_id', '=', conversationId)
          .where('wamid', '=', receipt.wamid)
          .execute(),
      );
    } catch (error) {
      const verdict = error instanceof GraphApiError ? error.verdict : undefined;
      if (verdict !== undefined) metrics.graphErrors.inc({ code: verdict.code });
      else log.error({ err: error, conversationId }, 'read receipt failed unexpectedly');
      const retry = (verdict?.retry ?? true) && attempt < maxAttempts;
      const delay = retryDelayMs(attempt, verdict ?? { minRetryDelayMs: 1000 }, retryBaseMs);
      if (verdict?.reauthorize === true) await line.health.needsReauthorization(verdict.code, verdict.reason);
      await committer.submit((trx) =>
        trx
          .updateTable('read_receipts')
          .set({
            state: retry ? 'queued' : 'failed',
            attempts: attempt,
            next_attempt_at: retry ? now + delay : null,
            error_code: verdict?.code ?? 'internal',
            error_reason: verdict?.reason ?? 'The read receipt could not be sent.',
            updated_at: now,
          })
          .where('conversation_id', '=', conversationId)
          .where('wamid', '=', receipt.wamid)
          .execute(),
      );
    }
    // The store decides what is still due: a newer receipt may have been queued meanwhile.
    const current = await db.selectFrom('read_receipts').select(['state', 'next_attempt_at']).where('conversation_id', '=', conversationId).executeTakeFirst();
    if (current?.state === 'queued') this.#due.set(conversationId, current.next_attempt_at ?? 0);
    else this.#due.delete(conversationId);
  }
}
