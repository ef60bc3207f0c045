/**
 * What the agent typed in the search box and what the local cache answers: asked once typing
 * pauses, and only the answer to the latest query is kept (an earlier one that answers late is
 * dropped). The previous results stay on screen while the next ones come.
 */
import { useEffect, useRef, useState } from 'react';
import type { SearchHit } from '../../../common/ipc/contract.js';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { settle } from '../../api/use-action.js';

/** How long typing must pause before the cache is asked. */
export const SEARCH_DEBOUNCE_MS = 200;
/** The contract's longest query. */
export const MAX_QUERY_LENGTH = 200;

export interface SearchAnswer {
  /** The query this answers (trimmed). */
  readonly query: string;
  readonly hits: readonly SearchHit[];
  /** The search failed: `hits` are the previous query's, if any. */
  readonly failure: IpcFailure | null;
}

export interface Search {
  readonly query: string;
  readonly setQuery: (query: string) => void;
  /** A query is typed: results replace the conversation list. */
  readonly active: boolean;
  /** null until the first answer since the box was last empty. */
  readonly answer: SearchAnswer | null;
  /** The latest query is not answered yet. */
  readonly searching: boolean;
}

/** `number`: only in the conversations of that business number. */
export function useSearch(number?: string): Search {
  const [query, setQuery] = useState('');
  const [answer, setAnswer] = useState<SearchAnswer | null>(null);
  const latest = useRef(0);
  const wanted = query.trim();

  useEffect(() => {
    const mine = ++latest.current;
    if (wanted === '') {
      setAnswer(null);
      return;
    }
    const timer = setTimeout(() => {
      void settle(window.sportello.search({ query: wanted, ...(number === undefined ? {} : { number }) })).then((result) => {
        if (mine !== latest.current) return;
        setAnswer((previous) =>
          result.ok ? { query: wanted, hits: result.value.hits, failure: null } : { query: wanted, hits: previous?.hits ?? [], failure: result },
        );
      });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [wanted, number]);

  const active = wanted !== '';
  return { query, setQuery, active, answer: active ? answer : null, searching: active && answer?.query !== wanted };
}
