/** The search box above the conversation list; its hint shows while it is focused and empty. */
import { useId } from 'react';
import type { FocusEvent, KeyboardEvent, RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_QUERY_LENGTH } from './use-search.js';
import { SHORTCUT_LABEL } from './use-search-shortcut.js';

interface SearchBoxProps {
  readonly box: RefObject<HTMLInputElement | null>;
  readonly query: string;
  readonly onQuery: (query: string) => void;
  readonly onKeyDown: (event: KeyboardEvent<HTMLInputElement>) => void;
  readonly onFocus: (event: FocusEvent<HTMLInputElement>) => void;
}

export function SearchBox({ box, query, onQuery, onKeyDown, onFocus }: SearchBoxProps) {
  const { t } = useTranslation();
  const inputId = useId();
  const hintId = useId();
  return (
    <div className="search-box" role="search">
      <label htmlFor={inputId} className="visually-hidden">
        {t('search.label')}
      </label>
      <input
        id={inputId}
        ref={box}
        type="search"
        className="search-input"
        value={query}
        maxLength={MAX_QUERY_LENGTH}
        placeholder={t('search.placeholder')}
        autoComplete="off"
        spellCheck={false}
        aria-describedby={hintId}
        aria-keyshortcuts="Control+K Meta+K /"
        onChange={(event) => onQuery(event.target.value)}
        onKeyDown={onKeyDown}
        onFocus={onFocus}
      />
      <p id={hintId} className="search-hint">
        {t('search.hint', { shortcut: SHORTCUT_LABEL })}
      </p>
    </div>
  );
}
