/**
 * Sends the outbox: in order within each conversation, one message at a time, each with its own
 * idempotency key so a retry after a crash or a timeout can never send it twice. A network
 * failure leaves the rest for later; a refusal by the server marks that message failed (its text
 * kept) and holds the messages behind it in the same conversation until the agent decides.
 */
import type { MessageView } from '../../common/api/inbox.js';
import { isCodedError } from '../../common/errors/coded-error.js';
import type { ComposeMessage, OutboxEntry } from '../../common/ipc/contract.js';
import type { SendRequestInput } from '../../common/messages/send-request.js';
import type { PersonalDataPurpose } from '../../common/personal-data/personal-data-purpose.js';

/** Failures after which trying again later can succeed. */
const RETRYABLE = new Set([
  'server_unreachable',
  'server_error',
  'rate_limited',
  'session_expired',
  'internal_error',
  'channel_needs_reauthorization',
  'response_too_large',
]);

/** The outbox as the sender uses it: the cache's operations (cache-operations.ts), each answered by the cache worker. */
export interface OutboxQueue {
  outboxDue(): Promise<OutboxEntry[]>;
  outboxBlocked(): Promise<Set<number>>;
  /** Marks the entry being sent and answers the feed position it is sent at. */
  outboxMarkSending(clientMessageId: string, now: number): Promise<number>;
  outboxMarkPending(clientMessageId: string, now: number): Promise<OutboxEntry | undefined>;
  outboxMarkFailed(clientMessageId: string, error: { code: string; message: string }, now: number): Promise<OutboxEntry | undefined>;
  /** The entry leaves the outbox and the message the server accepted joins the cache, as of `askedAt`. */
  outboxComplete(clientMessageId: string, message: MessageView, askedAt: number): Promise<void>;
}

export interface OutboxSenderDeps {
  readonly outbox: OutboxQueue;
  /** Sends one message through the server (with its idempotency key) and returns it as stored there. */
  readonly send: (compose: ComposeMessage) => Promise<MessageView>;
  readonly emit: (entry: OutboxEntry) => void;
  /** A failure that ends more than this send (a revoked device): the caller takes over. */
  readonly onFatal: (error: unknown) => void;
  readonly now: () => number;
}

export class OutboxSender {
  readonly #deps: OutboxSenderDeps;
  #flushing: Promise<ReadonlyMap<string, OutboxEntry>> | undefined;
  #again = false;

  constructor(deps: OutboxSenderDeps) {
    this.#deps = deps;
  }

  /**
   * Sends what can be sent now and resolves with the entries it sent, by client message id.
   * Concurrent calls share the flush under way, which then makes one more pass for them.
   */
  flush(): Promise<ReadonlyMap<string, OutboxEntry>> {
    if (this.#flushing !== undefined) {
      this.#again = true;
      return this.#flushing;
    }
    this.#flushing = (async () => {
      const sent = new Map<string, OutboxEntry>();
      try {
        do {
          this.#again = false;
          await this.#pass(sent);
        } while (this.#again);
      } finally {
        this.#flushing = undefined;
      }
      return sent;
    })();
    return this.#flushing;
  }

  async #pass(sent: Map<string, OutboxEntry>): Promise<void> {
    const { outbox, now } = this.#deps;
    const blocked = await outbox.outboxBlocked();
    for (const entry of await outbox.outboxDue()) {
      if (blocked.has(entry.conversationId)) continue;
      const askedAt = await outbox.outboxMarkSending(entry.clientMessageId, now());
      try {
        const message = await this.#deps.send(entry.compose);
        await outbox.outboxComplete(entry.clientMessageId, message, askedAt);
        const done: OutboxEntry = { ...entry, state: 'sent', error: null, message };
        sent.set(entry.clientMessageId, done);
        this.#deps.emit(done);
      } catch (error) {
        // The session ended and its cache closed: a message already accepted stays `sending`, and goes again with its key.
        if (isCodedError(error) && error.code === 'cache_closed') throw error;
        if (isCodedError(error) && error.code === 'device_revoked') {
          this.#deps.onFatal(error);
          return;
        }
        if (
          !isCodedError(error) ||
          RETRYABLE.has(error.code) ||
          error.code.startsWith('session_') ||
          error.code === 'signed_out' ||
          error.code === 'refresh_failed'
        ) {
          const pending = await outbox.outboxMarkPending(entry.clientMessageId, now());
          if (pending !== undefined) this.#deps.emit(pending);
          // The server cannot be reached (or the session is being renewed): the rest waits too.
          return;
        }
        const failed = await outbox.outboxMarkFailed(entry.clientMessageId, { code: error.code, message: error.message }, now());
        if (failed !== undefined) this.#deps.emit(failed);
        blocked.add(entry.conversationId);
      }
    }
  }
}

/** What the personal data the text asks for is for, when the agent said (common/personal-data/personal-data-purpose.ts). */
const purposeOf = (compose: { personalDataPurpose?: PersonalDataPurpose | undefined }) =>
  compose.personalDataPurpose === undefined ? {} : { personalDataPurpose: compose.personalDataPurpose };

/** The server's send request for a composed message: its client id is the idempotency key. */
export function sendRequestOf(compose: ComposeMessage): SendRequestInput {
  const base = {
    idempotencyKey: compose.clientMessageId,
    conversationId: compose.conversationId,
    ...(compose.replyToMessageId === undefined ? {} : { replyToMessageId: compose.replyToMessageId }),
    ...(compose.confirmedCode === undefined ? {} : { confirmedCode: compose.confirmedCode }),
  };
  switch (compose.kind) {
    case 'text':
      return { ...base, kind: 'text', text: compose.text, ...purposeOf(compose) };
    case 'media':
      return {
        ...base,
        kind: 'media',
        mediaId: compose.attachmentId,
        ...(compose.caption === undefined ? {} : { caption: compose.caption }),
        ...purposeOf(compose),
      };
    case 'template':
      return {
        ...base,
        kind: 'template',
        name: compose.name,
        languageCode: compose.languageCode,
        components: compose.components,
        ...(compose.parameters === undefined ? {} : { parameters: compose.parameters }),
      };
    case 'reaction':
      return { ...base, kind: 'reaction', targetMessageId: compose.targetMessageId, emoji: compose.emoji };
  }
}
