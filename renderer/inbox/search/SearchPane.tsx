/**
 * Search over the local copy of the inbox: the box, and while a query is typed the results in
 * the conversation list's place. Escape clears the search and gives the focus back to where the
 * agent was before; choosing a result opens its conversation (at the message, for a message).
 */
import { useRef, useState } from 'react';
import type { FocusEvent, KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import type { ConversationSummary } from '../../../common/api/inbox.js';
import type { SearchHit } from '../../../common/ipc/contract.js';
import { SearchBox } from './SearchBox.js';
import { hitKey, SearchResults } from './SearchResults.js';
import { useOpenHit } from './use-open-hit.js';
import type { Search } from './use-search.js';
import { useSearchShortcut } from './use-search-shortcut.js';

interface SearchPaneProps {
  readonly search: Search;
  /** The conversations the list has loaded, to open without asking main. */
  readonly loaded: readonly ConversationSummary[];
  readonly onOpen: (conversation: ConversationSummary, messageId: number | null) => void;
}

export function SearchPane({ search, loaded, onOpen }: SearchPaneProps) {
  const pane = useRef<HTMLDivElement>(null);
  const box = useRef<HTMLInputElement>(null);
  /** Where the focus was before the search box took it. */
  const returnTo = useRef<HTMLElement | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const opener = useOpenHit(loaded, onOpen);
  useSearchShortcut(box);

  const tabStopResult = () => pane.current?.querySelector<HTMLButtonElement>('.search-hit[tabindex="0"]') ?? null;

  const open = (hit: SearchHit) => {
    setChosen(hitKey(hit));
    opener.openHit(hit);
  };

  const end = () => {
    // Rendered at once, so the list is shown again before the focus goes back to a row of it.
    flushSync(() => {
      search.setQuery('');
      setChosen(null);
    });
    const back = returnTo.current;
    returnTo.current = null;
    if (back?.isConnected === true && back.closest('[hidden]') === null) back.focus();
    else box.current?.focus();
  };

  const onFocus = (event: FocusEvent<HTMLInputElement>) => {
    const from = event.relatedTarget;
    if (from instanceof HTMLElement && pane.current?.contains(from) !== true) returnTo.current = from;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      end();
    } else if (event.key === 'ArrowDown' || event.key === 'Enter') {
      const result = tabStopResult();
      if (result === null) return;
      event.preventDefault();
      if (event.key === 'ArrowDown') result.focus();
      else result.click();
    }
  };

  return (
    <div className={search.active ? 'search-pane search-pane-active' : 'search-pane'} ref={pane}>
      <SearchBox box={box} query={search.query} onQuery={search.setQuery} onKeyDown={onKeyDown} onFocus={onFocus} />
      {search.active ? (
        <SearchResults search={search} chosen={chosen} onOpen={open} openFailure={opener.failure} onBackToBox={() => box.current?.focus()} onEnd={end} />
      ) : null}
    </div>
  );
}
