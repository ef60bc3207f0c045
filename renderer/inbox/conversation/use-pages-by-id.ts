/**
 * A newest-first list of one conversation loaded a page at a time (its messages, its notes), held
 * by id: the newest page on opening, earlier pages on request, any item upserted (a feed event),
 * and everything reloaded from the top on a resync. An answer that comes after a reload is dropped.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { IpcFailure, IpcResult } from '../../../common/ipc/ipc-result.js';
import { settle } from '../../api/use-action.js';

interface Loaded<T> {
  readonly byId: ReadonlyMap<number, T>;
  readonly nextCursor: string | null;
  readonly loaded: boolean;
}

export interface PagesById<T> extends Loaded<T> {
  readonly loading: boolean;
  readonly failure: IpcFailure | null;
  /** Loads the page after `cursor` (the newest page without one). */
  readonly fetchPage: (cursor: string | undefined) => Promise<void>;
  readonly reload: () => void;
  readonly upsert: (item: T) => void;
}

/** `load` changes only when the list does (another conversation): then it loads afresh. `keep`: the items held at all. */
export function usePagesById<T extends { readonly id: number }>(
  load: (cursor: string | undefined) => Promise<IpcResult<{ items: T[]; nextCursor: string | null }>>,
  keep: (item: T) => boolean = () => true,
): PagesById<T> {
  const [state, setState] = useState<Loaded<T>>({ byId: new Map(), nextCursor: null, loaded: false });
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const generation = useRef(0);
  const kept = useRef(keep);
  kept.current = keep;
  const withItems = useCallback((byId: ReadonlyMap<number, T>, items: readonly T[]) => {
    const next = new Map(byId);
    for (const item of items) if (kept.current(item)) next.set(item.id, item);
    return next;
  }, []);

  const fetchPage = useCallback(
    async (cursor: string | undefined) => {
      const mine = generation.current;
      setLoading(true);
      const result = await settle(load(cursor));
      if (mine !== generation.current) return;
      setLoading(false);
      if (!result.ok) {
        setFailure(result);
        return;
      }
      setFailure(null);
      setState((current) => ({ byId: withItems(current.byId, result.value.items), nextCursor: result.value.nextCursor, loaded: true }));
    },
    [load, withItems],
  );

  const reload = useCallback(() => {
    generation.current += 1;
    setState({ byId: new Map(), nextCursor: null, loaded: false });
    void fetchPage(undefined);
  }, [fetchPage]);
  useEffect(reload, [reload]);

  const upsert = useCallback((item: T) => setState((current) => ({ ...current, byId: withItems(current.byId, [item]) })), [withItems]);
  return { ...state, loading, failure, fetchPage, reload, upsert };
}
