/**
 * One filtered conversation list (mine, unassigned or all, in one state): pages fetched with the server's cursors as the agent scrolls,
 * conversations upserted as the feed reports them, everything reloaded on `resync`.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConversationState } from '../../../common/api/conversation-lifecycle.js';
import type { ConversationFilter, ConversationSummary } from '../../../common/api/inbox.js';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { settle } from '../../api/use-action.js';
import { useInboxEvents } from '../use-inbox-events.js';
import { conversationOrder } from '../../../common/api/conversation-order.js';
import { appendPage, applyLastMessageStatus, EMPTY_LIST, matchesFilter, removeConversation, upsertConversation } from './conversation-list-state.js';
import type { ConversationListState } from './conversation-list-state.js';

const PAGE_SIZE = 100;

export interface ConversationList extends ConversationListState {
  readonly loading: boolean;
  readonly failure: IpcFailure | null;
  readonly loadMore: () => void;
  /** Shows a conversation as the client knows it now (after marking it read), before the feed confirms. */
  readonly update: (conversation: ConversationSummary) => void;
}

/** The conversations in `state` (open, pending, snoozed, resolved); `number`: only those of that business number; `label`: only those carrying it. */
export function useConversationList(filter: ConversationFilter, state: ConversationState, agentId: number, number?: string, label?: number): ConversationList {
  const [list, setList] = useState<ConversationListState>(EMPTY_LIST);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  // Which load is current: a page that answers after the filter changed or a resync is dropped.
  const generation = useRef(0);
  const inFlight = useRef(false);
  const listRef = useRef(list);
  listRef.current = list;

  const fetchPage = useCallback(
    async (cursor: string | undefined) => {
      const mine = generation.current;
      inFlight.current = true;
      setLoading(true);
      const result = await settle(
        window.sportello.listConversations({
          filter,
          state,
          limit: PAGE_SIZE,
          ...(number === undefined ? {} : { number }),
          ...(label === undefined ? {} : { label }),
          ...(cursor === undefined ? {} : { cursor }),
        }),
      );
      if (mine !== generation.current) return;
      inFlight.current = false;
      setLoading(false);
      if (!result.ok) {
        setFailure(result);
        return;
      }
      setFailure(null);
      setList((current) => appendPage(current, result.value.items, result.value.nextCursor, conversationOrder(filter, state)));
    },
    [filter, state, number, label],
  );

  const reload = useCallback(() => {
    generation.current += 1;
    setList(EMPTY_LIST);
    void fetchPage(undefined);
  }, [fetchPage]);

  useEffect(reload, [reload]);

  const loadMore = useCallback(() => {
    const { nextCursor, loaded } = listRef.current;
    if (inFlight.current) return;
    if (!loaded) void fetchPage(undefined);
    else if (nextCursor !== null) void fetchPage(nextCursor);
  }, [fetchPage]);

  const update = useCallback(
    (conversation: ConversationSummary) =>
      setList((current) =>
        upsertConversation(
          current,
          conversation,
          matchesFilter(conversation, filter, state, agentId) &&
            (number === undefined || conversation.businessPhoneNumberId === number) &&
            (label === undefined || conversation.labels.some((carried) => carried.id === label)),
          conversationOrder(filter, state),
        ),
      ),
    [filter, state, agentId, number, label],
  );

  useInboxEvents((event) => {
    if (event.type === 'message' || event.type === 'conversation') update(event.conversation);
    else if (event.type === 'status') setList((current) => applyLastMessageStatus(current, event.conversationId, event.message.id, event.message.status));
    else if (event.type === 'conversation_hidden') setList((current) => removeConversation(current, event.conversationId));
    else if (event.type === 'resync') reload();
  });

  return { ...list, loading, failure, loadMore, update };
}
