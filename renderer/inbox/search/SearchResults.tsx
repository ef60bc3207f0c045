/**
 * The search results, in the conversation list's place while a query is typed: contacts first,
 * then messages, then internal notes, newest first. One tab stop; arrows, Home and End move between results, ArrowUp
 * from the first goes back to the box, Enter opens, Escape ends the search.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { SearchHit } from '../../../common/ipc/contract.js';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { nextIndex } from '../../components/list-keys.js';
import { useNow } from '../../components/use-now.js';
import { SearchHitRow } from './SearchHitRow.js';
import type { Search } from './use-search.js';

export function hitKey(hit: SearchHit): string {
  return `${hit.kind}-${hit.conversationId}-${hit.messageId ?? hit.noteId ?? ''}`;
}

interface SearchResultsProps {
  readonly search: Search;
  /** The result opened last, shown as current. */
  readonly chosen: string | null;
  readonly onOpen: (hit: SearchHit) => void;
  /** Opening a result that needed the server failed. */
  readonly openFailure: IpcFailure | null;
  readonly onBackToBox: () => void;
  readonly onEnd: () => void;
}

interface HitGroupProps {
  readonly title: string;
  readonly hits: readonly SearchHit[];
  /** Index of the group's first result among all results. */
  readonly offset: number;
  readonly tabStop: number;
  readonly chosen: string | null;
  readonly onOpen: (hit: SearchHit) => void;
  readonly onFocusIndex: (index: number) => void;
}

function HitGroup({ title, hits, offset, tabStop, chosen, onOpen, onFocusIndex }: HitGroupProps) {
  const headingId = useId();
  const now = useNow(30_000);
  if (hits.length === 0) return null;
  return (
    <>
      <h3 className="search-group-title" id={headingId}>
        {title}
      </h3>
      <ul className="search-hits" aria-labelledby={headingId}>
        {hits.map((hit, index) => (
          <li key={hitKey(hit)}>
            <button
              type="button"
              className="search-hit"
              tabIndex={offset + index === tabStop ? 0 : -1}
              aria-current={hitKey(hit) === chosen ? 'true' : undefined}
              onFocus={() => onFocusIndex(offset + index)}
              onClick={() => onOpen(hit)}
            >
              <SearchHitRow hit={hit} now={now} />
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

function statusText(t: TFunction, search: Search): string {
  if (search.searching) return t('search.searching');
  if (search.answer === null || search.answer.failure !== null || search.answer.hits.length === 0) return '';
  return t('search.count', { count: search.answer.hits.length });
}

export function SearchResults({ search, chosen, onOpen, openFailure, onBackToBox, onEnd }: SearchResultsProps) {
  const { t } = useTranslation();
  const container = useRef<HTMLElement>(null);
  const [tabStop, setTabStop] = useState(0);
  const { answer } = search;
  const hits = answer?.hits ?? [];
  const contacts = hits.filter((hit) => hit.kind === 'contact');
  const messages = hits.filter((hit) => hit.kind === 'message');
  const notes = hits.filter((hit) => hit.kind === 'note');

  // New results: the first one takes Tab again.
  useEffect(() => setTabStop(0), [answer]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onEnd();
      return;
    }
    const buttons = [...(container.current?.querySelectorAll<HTMLButtonElement>('.search-hit') ?? [])];
    const current = buttons.indexOf(event.target as HTMLButtonElement);
    if (current < 0) return;
    if (event.key === 'ArrowUp' && current === 0) {
      event.preventDefault();
      onBackToBox();
      return;
    }
    const target = nextIndex(event.key, current, buttons.length);
    if (target === null) return;
    event.preventDefault();
    buttons[target]?.focus();
  };

  return (
    <section className="search-results" aria-label={t('search.resultsLabel')} ref={container} onKeyDown={onKeyDown}>
      <p className="search-status" role="status">
        {statusText(t, search)}
      </p>
      <ErrorNotice problem={answer?.failure ?? openFailure} />
      {answer !== null && answer.failure === null && hits.length === 0 ? (
        <div className="empty-list">
          <p>{t('search.noResults', { query: answer.query })}</p>
          <p className="muted">{t('search.noResultsHint')}</p>
        </div>
      ) : null}
      <HitGroup title={t('search.contacts')} hits={contacts} offset={0} tabStop={tabStop} chosen={chosen} onOpen={onOpen} onFocusIndex={setTabStop} />
      <HitGroup
        title={t('search.messages')}
        hits={messages}
        offset={contacts.length}
        tabStop={tabStop}
        chosen={chosen}
        onOpen={onOpen}
        onFocusIndex={setTabStop}
      />
      <HitGroup
        title={t('search.notes')}
        hits={notes}
        offset={contacts.length + messages.length}
        tabStop={tabStop}
        chosen={chosen}
        onOpen={onOpen}
        onFocusIndex={setTabStop}
      />
    </section>
  );
}
