/**
 * The internal notes of the open conversation: the newest page first, then as many earlier pages
 * as reach back to the oldest message shown (so the history shows every note between its
 * messages), and every note the feed reports for it, upserted by id.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { NoteView } from '../../../common/api/notes.js';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { settle } from '../../api/use-action.js';
import { useInboxEvents } from '../use-inbox-events.js';

const PAGE_SIZE = 50;

interface LoadedNotes {
  readonly byId: ReadonlyMap<number, NoteView>;
  readonly nextCursor: string | null;
  readonly loaded: boolean;
}

const NOTHING_LOADED: LoadedNotes = { byId: new Map(), nextCursor: null, loaded: false };

export interface ConversationNotes {
  /** Oldest first, as the conversation reads. */
  readonly notes: readonly NoteView[];
  readonly failure: IpcFailure | null;
  readonly upsert: (note: NoteView) => void;
}

function withNotes(state: LoadedNotes, notes: readonly NoteView[]): ReadonlyMap<number, NoteView> {
  const byId = new Map(state.byId);
  for (const note of notes) byId.set(note.id, note);
  return byId;
}

/** `reachBack`: the time of the oldest message shown, or null once the whole conversation is: notes load until they reach it. */
export function useConversationNotes(conversationId: number, reachBack: number | null): ConversationNotes {
  const [state, setState] = useState<LoadedNotes>(NOTHING_LOADED);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const generation = useRef(0);

  const fetchPage = useCallback(
    async (cursor: string | undefined) => {
      const mine = generation.current;
      setLoading(true);
      const result = await settle(window.sportello.listNotes({ conversationId, limit: PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }) }));
      if (mine !== generation.current) return;
      setLoading(false);
      if (!result.ok) {
        setFailure(result);
        return;
      }
      setFailure(null);
      setState((current) => ({ byId: withNotes(current, result.value.items), nextCursor: result.value.nextCursor, loaded: true }));
    },
    [conversationId],
  );

  const reload = useCallback(() => {
    generation.current += 1;
    setState(NOTHING_LOADED);
    void fetchPage(undefined);
  }, [fetchPage]);
  useEffect(reload, [reload]);

  const upsert = useCallback((note: NoteView) => setState((current) => ({ ...current, byId: withNotes(current, [note]) })), []);

  useInboxEvents((event) => {
    if ((event.type === 'note' || event.type === 'mention') && event.note.conversationId === conversationId) upsert(event.note);
    else if (event.type === 'resync') reload();
  });

  const notes = useMemo(() => [...state.byId.values()].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id), [state.byId]);
  const oldest = notes[0]?.createdAt;
  const { nextCursor, loaded } = state;
  useEffect(() => {
    // Earlier notes are wanted while the oldest held is still newer than the oldest message shown.
    if (!loaded || loading || failure !== null || nextCursor === null) return;
    if (reachBack !== null && oldest !== undefined && oldest < reachBack) return;
    void fetchPage(nextCursor);
  }, [loaded, loading, failure, nextCursor, reachBack, oldest, fetchPage]);

  return useMemo(() => ({ notes, failure, upsert }), [notes, failure, upsert]);
}
