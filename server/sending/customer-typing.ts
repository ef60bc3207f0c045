/**
 * The customer sees the agent typing: Meta's typing indicator, which comes with the mark-as-read
 * call for the customer's newest message (`status: read`, `typing_indicator: {type: text}`), sent
 * from the conversation's own number. Only inside the 24-hour window (Meta refuses a reply
 * outside it, so "typing…" would promise one that cannot come), and at most once per interval per
 * conversation: the indicator lasts 25 seconds or until the reply, so a repeat every few seconds
 * adds nothing but calls. Best effort: a failure is counted and logged, never retried (the next
 * keystrokes ask again), and a refused token marks the number as a send would.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { isConversationBlocked } from '../blocks/customer-blocks.js';
import type { Logger } from 'pino';
import { GraphApiError } from '../cloud-api/graph-client.js';
import { isGroupConversation } from '../inbox/contacts.js';
import { isServiceWindowOpen } from '../inbox/conversations.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { BusinessNumbers } from '../numbers/business-numbers.js';
import type { InboxDatabase } from '../store/schema.js';

export interface CustomerTypingDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly numbers: BusinessNumbers;
  readonly metrics: ServerMetrics;
  readonly log: Logger;
  readonly now: () => number;
}

export interface CustomerTypingOptions {
  /** One indicator per conversation at most this often (default 10 s: well inside the indicator's 25). */
  readonly minIntervalMs?: number;
}

export type TypingOutcome = 'sent' | 'paced' | 'window_closed' | 'no_customer_message' | 'number_cannot_send' | 'customer_blocked' | 'group' | 'failed';

export class CustomerTyping {
  readonly #deps: CustomerTypingDeps;
  readonly #minIntervalMs: number;
  /** Conversation → when its last indicator was asked for. */
  readonly #lastShown = new Map<number, number>();

  constructor(deps: CustomerTypingDeps, options: CustomerTypingOptions = {}) {
    this.#deps = deps;
    this.#minIntervalMs = options.minIntervalMs ?? 10_000;
  }

  /** An agent who may see the conversation is typing in it. */
  async agentTyping(conversationId: number): Promise<TypingOutcome> {
    const { db, numbers, metrics, log, now: clock } = this.#deps;
    const now = clock();
    const last = this.#lastShown.get(conversationId);
    if (last !== undefined && now - last < this.#minIntervalMs) return 'paced';
    this.#lastShown.set(conversationId, now);
    this.#forgetOld(now);
    const conversation = await db
      .selectFrom('conversations')
      .select(['business_phone_number_id', 'last_inbound_at'])
      .where('id', '=', conversationId)
      .executeTakeFirst();
    if (conversation === undefined || !isServiceWindowOpen(conversation.last_inbound_at, now)) return 'window_closed';
    const newest = await db
      .selectFrom('messages')
      .select('wamid')
      .where('conversation_id', '=', conversationId)
      .where('direction', '=', sql.lit('inbound'))
      .where('origin', '=', sql.lit('customer'))
      .where('wamid', 'is not', null)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (newest?.wamid === null || newest === undefined) return 'no_customer_message';
    if (await isConversationBlocked(db, conversationId)) return 'customer_blocked';
    if (await isGroupConversation(db, conversationId)) return 'group';
    const line = numbers.line(conversation.business_phone_number_id);
    if (line?.graph === undefined || line.health.state !== 'ok') return 'number_cannot_send';
    try {
      await line.graph.typingIndicator(newest.wamid);
      metrics.typingIndicators.inc({ outcome: 'sent' });
      return 'sent';
    } catch (error) {
      metrics.typingIndicators.inc({ outcome: 'failed' });
      const verdict = error instanceof GraphApiError ? error.verdict : undefined;
      if (verdict !== undefined) metrics.graphErrors.inc({ code: verdict.code });
      if (verdict?.reauthorize === true) await line.health.needsReauthorization(verdict.code, verdict.reason);
      log.warn({ conversationId, code: verdict?.code ?? 'unknown' }, 'typing indicator failed');
      return 'failed';
    }
  }

  #forgetOld(now: number): void {
    if (this.#lastShown.size < 1000) return;
    for (const [conversationId, at] of this.#lastShown) if (now - at >= this.#minIntervalMs) this.#lastShown.delete(conversationId);
  }
}
