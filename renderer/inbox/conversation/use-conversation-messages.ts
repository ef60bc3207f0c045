/**
 * The messages of the open conversation: the newest page first, earlier pages on request, and
 * every message or status the feed reports for it, upserted by id.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { MessageView } from '../../../common/api/inbox.js';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { AMENDMENT_TYPES } from '../../../common/messages/message-content.js';
import { settle } from '../../api/use-action.js';
import { useInboxEvents } from '../use-inbox-events.js';

const PAGE_SIZE = 50;

interface LoadedMessages {
  readonly byId: ReadonlyMap<number, MessageView>;
  readonly nextCursor: string | null;
  readonly loaded: boolean;
}

const NOTHING_LOADED: LoadedMessages = { byId: new Map(), nextCursor: null, loaded: false };

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

function withMessages(state: LoadedMessages, messages: readonly MessageView[]): ReadonlyMap<number, MessageView> {
  const byId = new Map(state.byId);
  for (const message of messages) if (!AMENDMENT_TYPES.has(message.content.type)) byId.set(message.id, message);
  return byId;
}

function chronological(a: MessageView, b: MessageView): number {
  return a.sentAt - b.sentAt || a.id - b.id;
}

export function useConversationMessages(conversationId: number): ConversationMessages {
  const [state, setState] = useState<LoadedMessages>(NOTHING_LOADED);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const generation = useRef(0);

  const fetchPage = useCallback(
    async (cursor: string | undefined) => {
      const mine = generation.current;
      setLoading(true);
      const result = await settle(window.sportello.listMessages({ conversationId, limit: PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }) }));
      if (mine !== generation.current) return;
      setLoading(false);
      if (!result.ok) {
        setFailure(result);
        return;
      }
      setFailure(null);
      setState((current) => ({ byId: withMessages(current, result.value.items), nextCursor: result.value.nextCursor, loaded: true }));
    },
    [conversationId],
  );

  const reload = useCallback(() => {
    generation.current += 1;
    setState(NOTHING_LOADED);
    void fetchPage(undefined);
  }, [fetchPage]);

  useEffect(reload, [reload]);

  const upsert = useCallback((message: MessageView) => {
    setState((current) => ({ ...current, byId: withMessages(current, [message]) }));
  }, []);

  useInboxEvents((event) => {
    if (event.type === 'message' && event.conversation.id === conversationId) upsert(event.message);
    else if (event.type === 'status' && event.conversationId === conversationId) upsert(event.message);
    else if (event.type === 'resync') reload();
  });

  const { nextCursor } = state;
  const loadEarlier = useCallback(() => {
    if (nextCursor !== null && !loading) void fetchPage(nextCursor);
  }, [nextCursor, loading, fetchPage]);

  const messages = useMemo(() => [...state.byId.values()].sort(chronological), [state.byId]);
  // The same object until something in it changes, so the log need not render for its parent's clock.
  return useMemo(
    () => ({ messages, byId: state.byId, hasEarlier: nextCursor !== null, loaded: state.loaded, loading, failure, loadEarlier, upsert }),
    [messages, state.byId, nextCursor, state.loaded, loading, failure, loadEarlier, upsert],
  );
}
