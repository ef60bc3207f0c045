/**
 * The conversation list: filter tabs (whose, and in which state), then a virtualised list (only the rows on screen exist in
 * the DOM, so ten thousand conversations scroll like ten), which asks for the next page as the
 * end comes into view. One tab stop: arrow keys, Home and End move between rows.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CONVERSATION_STATES } from '../../../common/api/conversation-lifecycle.js';
import type { ConversationState } from '../../../common/api/conversation-lifecycle.js';
import type { ConversationFilter, ConversationSummary } from '../../../common/api/inbox.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { nextIndex } from '../../components/list-keys.js';
import { useNow } from '../../components/use-now.js';
import { ConversationRow } from './ConversationRow.js';
import type { ConversationList as ListModel } from './use-conversation-list.js';

/** Each row is this tall (the stylesheet agrees: .conversation-item). */
const ROW_HEIGHT = 84;
/** Ask for the next page when this many rows or fewer remain below the last one shown. */
const PREFETCH_ROWS = 15;

interface ConversationListProps {
  readonly list: ListModel;
  readonly filters: readonly ConversationFilter[];
  readonly filter: ConversationFilter;
  readonly onFilter: (filter: ConversationFilter) => void;
  /** Open by default; pending, snoozed and resolved conversations have lists of their own. */
  readonly state: ConversationState;
  readonly onState: (state: ConversationState) => void;
  readonly selectedId: number | null;
  readonly onOpen: (conversation: ConversationSummary) => void;
  /** While a search shows its results in the list's place: kept, with its scroll, for when the search ends. */
  readonly hidden?: boolean;
  /** The desk serves more than one business number: each row names its own. */
  readonly showNumbers?: boolean;
  /** The signed-in agent: rows of their own conversations say "You". */
  readonly selfId?: number;
}

/** One row of toggle buttons, one pressed: whose conversations, or which state. */
function Tabs<T extends string>({
  label,
  options,
  value,
  onChange,
  text,
}: {
  label: string;
  options: readonly T[];
  value: T;
  onChange: (value: T) => void;
  text: (option: T) => string;
}) {
  return (
    <div className="filter-tabs" role="group" aria-label={label}>
      {options.map((option) => (
        <button key={option} type="button" className="filter-tab" aria-pressed={option === value} onClick={() => onChange(option)}>
          {text(option)}
        </button>
      ))}
    </div>
  );
}

export function ConversationList({
  list,
  filters,
  filter,
  onFilter,
  state,
  onState,
  selectedId,
  onOpen,
  hidden = false,
  showNumbers = false,
  selfId,
}: ConversationListProps) {
  const { t } = useTranslation();
  const now = useNow(30_000);
  const scroller = useRef<HTMLDivElement>(null);
  const [activeIndex, setActiveIndex] = useState(0);
  /** The row to focus once it is rendered: after a jump it appears only when the scroll lands. */
  const pendingFocus = useRef<number | null>(null);
  const { items } = list;
  const virtualizer = useVirtualizer({ count: items.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const rows = virtualizer.getVirtualItems();
  const lastShown = rows[rows.length - 1]?.index ?? -1;
  const active = Math.min(activeIndex, Math.max(0, items.length - 1));
  // The row that takes Tab: the active one, or the first on screen when it has scrolled away.
  const tabStop = rows.some((row) => row.index === active) ? active : (rows[0]?.index ?? 0);

  const { loadMore, nextCursor } = list;
  useEffect(() => {
    if (nextCursor !== null && lastShown >= items.length - PREFETCH_ROWS) loadMore();
  }, [lastShown, items.length, nextCursor, loadMore]);

  useEffect(() => {
    if (pendingFocus.current === null) return;
    const row = scroller.current?.querySelector<HTMLElement>(`[data-index="${pendingFocus.current}"] button`);
    if (row == null) return;
    pendingFocus.current = null;
    row.focus();
  });

  const onKeyDown = (event: KeyboardEvent) => {
    const target = nextIndex(event.key, active, items.length);
    if (target === null || items.length === 0) return;
    event.preventDefault();
    setActiveIndex(target);
    virtualizer.scrollToIndex(target);
    pendingFocus.current = target;
  };

  return (
    <nav className="conversation-pane" aria-label={t('conversations.title')} hidden={hidden}>
      <Tabs
        label={t('conversations.filterLabel')}
        options={filters}
        value={filter}
        onChange={onFilter}
        text={(option) => t(`conversations.filter.${option}`)}
      />
      <Tabs
        label={t('conversations.stateLabel')}
        options={CONVERSATION_STATES}
        value={state}
        onChange={onState}
        text={(option) => t(`conversations.stateFilter.${option}`)}
      />
      <ErrorNotice problem={list.failure} />
      {list.loaded && items.length === 0 ? (
        <p className="empty-list">{state === 'open' ? t(`conversations.empty.${filter}`) : t(`conversations.emptyState.${state}`)}</p>
      ) : null}
      <div className="conversation-scroller" ref={scroller} onKeyDown={onKeyDown}>
        <ul className="conversation-items" aria-label={t('conversations.listLabel')} aria-busy={list.loading} style={{ height: virtualizer.getTotalSize() }}>
          {rows.map((row) => {
            const conversation = items[row.index];
            if (conversation === undefined) return null;
            return (
              <li
                key={conversation.id}
                data-index={row.index}
                className="conversation-item"
                aria-setsize={list.nextCursor === null ? items.length : -1}
                aria-posinset={row.index + 1}
                style={{ transform: `translateY(${row.start}px)` }}
              >
                <button
                  type="button"
                  className="conversation-button"
                  tabIndex={row.index === tabStop ? 0 : -1}
                  aria-current={conversation.id === selectedId ? 'true' : undefined}
                  onFocus={() => setActiveIndex(row.index)}
                  onClick={() => onOpen(conversation)}
                >
                  <ConversationRow conversation={conversation} selected={conversation.id === selectedId} now={now} showNumber={showNumbers} selfId={selfId} />
                </button>
              </li>
            );
          })}
        </ul>
        {list.loading ? (
          <p className="busy list-loading" role="status">
            {t('conversations.loading')}
          </p>
        ) : null}
      </div>
    </nav>
  );
}
