/**
 * The messages of the open conversation: the newest page first, earlier pages on request, and
 * every message or status the feed reports for it, upserted by id.
 */
import { useCallback, useMemo } from 'react';
import type { MessageView } from '../../../common/api/inbox.js';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { AMENDMENT_TYPES } from '../../../common/messages/message-content.js';
import { useInboxEvents } from '../use-inbox-events.js';
import { usePagesById } from './use-pages-by-id.js';

const PAGE_SIZE = 50;

export interface ConversationMessages {
  /** Oldest first, as the conversation reads. */
  readonly messages: readonly MessageView[];
  readonly byId: ReadonlyMap<number, MessageView>;
  readonly hasEarlier: boolean;
  readonly loaded: boolean;
  readonly loading: boolean;
  readonly failure: IpcFailure | null;
  readonly loadEarlier: () => void;
  readonly upsert: (message: MessageView) => void;
}

/** Reactions, edits and revocations change the messages they name; they are not shown as messages. */
const shown = (message: MessageView) => !AMENDMENT_TYPES.has(message.content.type);

function chronological(a: MessageView, b: MessageView): number {
  return a.sentAt - b.sentAt || a.id - b.id;
}

export function useConversationMessages(conversationId: number): ConversationMessages {
  const load = useCallback(
    (cursor: string | undefined) => window.sportello.listMessages({ conversationId, limit: PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }) }),
    [conversationId],
  );
  const { byId, nextCursor, loaded, loading, failure, fetchPage, reload, upsert } = usePagesById(load, shown);

  useInboxEvents((event) => {
    if (event.type === 'message' && event.conversation.id === conversationId) upsert(event.message);
    else if (event.type === 'status' && event.conversationId === conversationId) upsert(event.message);
    else if (event.type === 'resync') reload();
  });

  const loadEarlier = useCallback(() => {
    if (nextCursor !== null && !loading) void fetchPage(nextCursor);
  }, [nextCursor, loading, fetchPage]);

  const messages = useMemo(() => [...byId.values()].sort(chronological), [byId]);
  // The same object until something in it changes, so the log need not render for its parent's clock.
  return useMemo(
    () => ({ messages, byId, hasEarlier: nextCursor !== null, loaded, loading, failure, loadEarlier, upsert }),
    [messages, byId, nextCursor, loaded, loading, failure, loadEarlier, upsert],
  );
}
