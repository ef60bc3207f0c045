/**
 * The internal notes of the open conversation: the newest page first, then as many earlier pages
 * as reach back to the oldest message shown (so the history shows every note between its
 * messages), and every note the feed reports for it, upserted by id.
 */
import { useCallback, useEffect, useMemo } from 'react';
import type { NoteView } from '../../../common/api/notes.js';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { usePagesById } from '../conversation/use-pages-by-id.js';
import { useInboxEvents } from '../use-inbox-events.js';

const PAGE_SIZE = 50;

export interface ConversationNotes {
  /** Oldest first, as the conversation reads. */
  readonly notes: readonly NoteView[];
  readonly failure: IpcFailure | null;
  readonly upsert: (note: NoteView) => void;
}

const NO_NOTES = Promise.resolve({ ok: true as const, value: { items: [] as NoteView[], nextCursor: null } });

/**
 * `reachBack`: the time of the oldest message shown, or null once the whole conversation is: notes
 * load until they reach it. `shown` false (a contact's earlier conversation, read through the
 * current one): its notes are not asked for, since the history exception reaches messages only.
 */
export function useConversationNotes(conversationId: number, reachBack: number | null, shown = true): ConversationNotes {
  const load = useCallback(
    (cursor: string | undefined) =>
      shown ? window.sportello.listNotes({ conversationId, limit: PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }) }) : NO_NOTES,
    [conversationId, shown],
  );
  const pages = usePagesById(load);
  const { byId, nextCursor, loaded, loading, failure, fetchPage, reload, upsert } = pages;

  useInboxEvents((event) => {
    if ((event.type === 'note' || event.type === 'mention') && event.note.conversationId === conversationId) upsert(event.note);
    else if (event.type === 'resync') reload();
  });

  const notes = useMemo(() => [...byId.values()].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id), [byId]);
  const oldest = notes[0]?.createdAt;
  useEffect(() => {
    // Earlier notes are wanted while the oldest held is still newer than the oldest message shown.
    if (!loaded || loading || failure !== null || nextCursor === null) return;
    if (reachBack !== null && oldest !== undefined && oldest < reachBack) return;
    void fetchPage(nextCursor);
  }, [loaded, loading, failure, nextCursor, reachBack, oldest, fetchPage]);

  return useMemo(() => ({ notes, failure, upsert }), [notes, failure, upsert]);
}
