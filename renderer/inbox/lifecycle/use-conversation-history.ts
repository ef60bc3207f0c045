/**
 * The open conversation's history entries (state changes, assignments), oldest first: the newest
 * page first, more on request, and every entry the feed reports for it.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ConversationHistoryEntry } from '../../../common/api/conversation-lifecycle.js';
import { settle } from '../../api/use-action.js';
import { useInboxEvents } from '../use-inbox-events.js';

const PAGE_SIZE = 100;

interface LoadedHistory {
  readonly byId: ReadonlyMap<number, ConversationHistoryEntry>;
  readonly nextCursor: string | null;
  readonly loaded: boolean;
}

const NOTHING: LoadedHistory = { byId: new Map(), nextCursor: null, loaded: false };

export interface ConversationHistory {
  /** Oldest first. */
  readonly entries: readonly ConversationHistoryEntry[];
  /** Every entry is loaded (none older waits on the server). */
  readonly complete: boolean;
  readonly loadMore: () => void;
}

function withEntries(byId: ReadonlyMap<number, ConversationHistoryEntry>, entries: readonly ConversationHistoryEntry[]) {
  const next = new Map(byId);
  for (const entry of entries) next.set(entry.id, entry);
  return next;
}

export function useConversationHistory(conversationId: number): ConversationHistory {
  const [state, setState] = useState<LoadedHistory>(NOTHING);
  const generation = useRef(0);
  const loading = useRef(false);

  const fetchPage = useCallback(
    async (cursor: string | undefined) => {
      const mine = generation.current;
      loading.current = true;
      const result = await settle(window.sportello.listConversationHistory({ conversationId, limit: PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }) }));
      if (mine !== generation.current) return;
      loading.current = false;
      // Without its history the conversation still reads: its system lines come with the feed.
      if (!result.ok) return;
      setState((current) => ({ byId: withEntries(current.byId, result.value.items), nextCursor: result.value.nextCursor, loaded: true }));
    },
    [conversationId],
  );

  const reload = useCallback(() => {
    generation.current += 1;
    loading.current = false;
    setState(NOTHING);
    void fetchPage(undefined);
  }, [fetchPage]);

  useEffect(reload, [reload]);

  useInboxEvents((event) => {
    if (event.type === 'history' && event.conversationId === conversationId)
      setState((current) => ({ ...current, byId: withEntries(current.byId, [event.entry]) }));
    else if (event.type === 'resync') reload();
  });

  const { nextCursor } = state;
  const loadMore = useCallback(() => {
    if (nextCursor !== null && !loading.current) void fetchPage(nextCursor);
  }, [nextCursor, fetchPage]);

  const entries = useMemo(() => [...state.byId.values()].sort((a, b) => a.at - b.at || a.id - b.id), [state.byId]);
  return useMemo(() => ({ entries, complete: state.loaded && nextCursor === null, loadMore }), [entries, state.loaded, nextCursor, loadMore]);
}
