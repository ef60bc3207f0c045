/**
 * Sends one composed message with its idempotency key and reports the stored message back, so
 * the conversation shows it (with its clock) before the feed confirms.
 */
import { useCallback } from 'react';
import type { MessageView } from '../../../common/api/inbox.js';
import type { ComposeMessage } from '../../../common/ipc/contract.js';
import { useAction } from '../../api/use-action.js';
import { useIdempotencyKey } from './use-idempotency-key.js';

type Draft = ComposeMessage extends infer M ? (M extends ComposeMessage ? Omit<M, 'clientMessageId'> : never) : never;

/** Sends a draft; true when the server stored it. */
export type SendDraft = (draft: Draft) => Promise<boolean>;

export function useSend(onSent: (message: MessageView) => void) {
  const idempotency = useIdempotencyKey();
  const send = useAction((message: ComposeMessage) => window.sportello.sendMessage(message), onSent);
  const { keyFor, sent } = idempotency;
  const { run } = send;
  const sendDraft: SendDraft = useCallback(
    async (draft: Draft) => {
      const clientMessageId = keyFor(JSON.stringify(draft));
      const result = await run({ ...draft, clientMessageId });
      if (result !== null) sent();
      return result !== null;
    },
    [keyFor, sent, run],
  );
  return { send: sendDraft, pending: send.pending, failure: send.failure };
}
