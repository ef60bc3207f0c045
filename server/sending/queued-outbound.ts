/**
 * An outbound message stored `queued`, the dispatcher's queue in the store: what an agent's send
 * (send-service.ts) and the server's own messages (an away message, server/hours/) both write,
 * so both go out through the same path, paced and retried alike.
 */
import type { MessageContent } from '../../common/messages/message-content.js';
import { STATUS_RANK } from '../inbox/message-status.js';
import type { StoreTransaction } from '../store/group-commit.js';
import type { MessageOrigin } from '../store/schema.js';

export interface QueuedOutbound {
  readonly conversationId: number;
  readonly origin: Extract<MessageOrigin, 'agent' | 'automatic'>;
  readonly content: MessageContent;
  readonly contextWamid: string | null;
  readonly amendsWamid: string | null;
  readonly mediaId: number | null;
  /** The same key twice stores one message (unique). */
  readonly idempotencyKey: string;
  readonly requestHash: string;
  /** Null for the server's own messages. */
  readonly sentByAgentId: number | null;
}

/** Adds the message, queued; the caller hands it to the dispatcher once the transaction commits. */
export async function insertQueuedOutbound(trx: StoreTransaction, message: QueuedOutbound, now: number): Promise<number> {
  const inserted = await trx
    .insertInto('messages')
    .values({
      wamid: null,
      conversation_id: message.conversationId,
      direction: 'outbound',
      origin: message.origin,
      type: message.content.type,
      content_json: JSON.stringify(message.content),
      meta_json: null,
      context_wamid: message.contextWamid,
      amends_wamid: message.amendsWamid,
      media_id: message.mediaId,
      sent_at: now,
      received_at: now,
      status: 'queued',
      status_rank: STATUS_RANK.queued,
      status_at: now,
      error_code: null,
      error_title: null,
      error_reason: null,
      idempotency_key: message.idempotencyKey,
      request_hash: message.requestHash,
      next_attempt_at: null,
      edited_at: null,
      deleted_at: null,
      raw_json: null,
      sent_by_agent_id: message.sentByAgentId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}
