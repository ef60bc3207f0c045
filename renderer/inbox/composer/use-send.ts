/**
 * Hands one composed message to main's outbox with its idempotency key. Once main has it, the
 * message is safe (kept and sent when the server can be reached), so the composer can clear; the
 * entry shows in the conversation until the server stores it.
 */
import { useCallback } from 'react';
import type { ComposeMessage, OutboxEntry } from '../../../common/ipc/contract.js';
import { useAction } from '../../api/use-action.js';
import { useIdempotencyKey } from './use-idempotency-key.js';

type Draft = ComposeMessage extends infer M ? (M extends ComposeMessage ? Omit<M, 'clientMessageId'> : never) : never;

/** Sends a draft; true once main's outbox holds it. */
export type SendDraft = (draft: Draft) => Promise<boolean>;

export function useSend(onQueued: (entry: OutboxEntry) => void) {
  const idempotency = useIdempotencyKey();
  const send = useAction((message: ComposeMessage) => window.sportello.sendMessage(message), onQueued);
  const { keyFor, sent } = idempotency;
  const { run } = send;
  const sendDraft: SendDraft = useCallback(
    async (draft) => {
      const clientMessageId = keyFor(JSON.stringify(draft));
      const result = await run({ ...draft, clientMessageId });
      if (result !== null) sent();
      return result !== null;
    },
    [keyFor, sent, run],
  );
  return { send: sendDraft, pending: send.pending, failure: send.failure };
}
