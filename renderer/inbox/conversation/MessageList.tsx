/**
 * The conversation as a log, oldest at the top, its internal notes in their place among the
 * messages. It opens at the newest message and follows new ones while the agent is at the
 * bottom; earlier pages load on request, and the messages on screen stay where they were when
 * they arrive. Virtualised with the conversation list's library, in its
 * chat mode (anchored at the end): past RENDER_WHOLE_UP_TO entries only those on screen and a few
 * either side are in the DOM, each measured as it renders, so two thousand messages load, scroll
 * and sit idle like fifty.
 */
import { defaultRangeExtractor, useVirtualizer } from '@tanstack/react-virtual';
import type { Range, VirtualItem } from '@tanstack/react-virtual';
import type { KeyboardEvent, ReactNode } from 'react';
import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationHistoryEntry } from '../../../common/api/conversation-lifecycle.js';
import type { MessageView } from '../../../common/api/inbox.js';
import type { NoteView } from '../../../common/api/notes.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { isTyping } from '../../components/is-typing.js';
import { OutboxBubble } from '../composer/OutboxBubble.js';
import type { Outbox } from '../composer/use-outbox.js';
import { NoteCard } from '../notes/NoteCard.js';
import { SystemLine } from '../lifecycle/SystemLine.js';
import { MessageBubble } from './MessageBubble.js';
import type { ConversationMessages } from './use-conversation-messages.js';
import type { MessageJump } from './use-message-jump.js';

/** Within this many pixels of the bottom counts as "at the bottom": new messages are followed. */
const BOTTOM_SLACK = 80;
/** A bubble of a line or two, until it is measured. */
const ESTIMATED_HEIGHT = 80;
/** Entries rendered beyond each edge of the screen, so a scroll finds them ready. */
const OVERSCAN = 8;
/**
 * Up to this many entries the whole log is in the DOM: that costs one render of them when the
 * conversation opens, and keeps a short conversation whole for a screen reader's browse mode and
 * its scroll bar exact.
 */
const RENDER_WHOLE_UP_TO = 100;
/** What PageUp and PageDown move, of the log's height: the browser's own share, a line or so kept in sight. */
const PAGE_SHARE = 0.875;

type Key = VirtualItem['key'];

const everyIndex = (range: Range): number[] => Array.from({ length: range.count }, (_, index) => index);
const outboxKey = (clientMessageId: string) => `outbox:${clientMessageId}`;
const systemKey = (entryId: number) => `system:${entryId}`;

/** What the log shows, in the order it reads: messages, internal notes and the history's system lines by time. */
type LogItem =
  | { readonly kind: 'message'; readonly message: MessageView }
  | { readonly kind: 'note'; readonly note: NoteView }
  | { readonly kind: 'system'; readonly entry: ConversationHistoryEntry };

const itemKey = (item: LogItem): Key => (item.kind === 'message' ? item.message.id : item.kind === 'note' ? `note:${item.note.id}` : systemKey(item.entry.id));
const itemTime = (item: LogItem): number => (item.kind === 'message' ? item.message.sentAt : item.kind === 'note' ? item.note.createdAt : item.entry.at);

/**
 * The system lines among the messages: each after the message that was the conversation's latest
 * when the change was made (Meta's times are whole seconds, so times alone would misplace a line
 * beside a message of the same second); one made before any message, first; one whose message is
 * not loaded, by its time. Lines older than the oldest loaded message wait until the page that
 * reaches back to them is loaded.
 */
export function logItems(messages: readonly MessageView[], entries: readonly ConversationHistoryEntry[], hasEarlier: boolean): LogItem[] {
  const loaded = new Set(messages.map((message) => message.id));
  const oldest = messages[0]?.sentAt;
  const after = new Map<number, ConversationHistoryEntry[]>();
  const first: ConversationHistoryEntry[] = [];
  const byTime: ConversationHistoryEntry[] = [];
  for (const entry of entries) {
    const anchor = entry.afterMessageId;
    if (anchor !== null && loaded.has(anchor)) after.set(anchor, [...(after.get(anchor) ?? []), entry]);
    else if (hasEarlier && (anchor === null || oldest === undefined || entry.at < oldest)) continue;
    else if (anchor === null) first.push(entry);
    else byTime.push(entry);
  }
  const items: LogItem[] = first.map((entry) => ({ kind: 'system', entry }));
  let next = 0;
  for (const message of messages) {
    while (next < byTime.length && (byTime[next]?.at ?? 0) < message.sentAt) items.push({ kind: 'system', entry: byTime[next++] as ConversationHistoryEntry });
    items.push({ kind: 'message', message });
    for (const entry of after.get(message.id) ?? []) items.push({ kind: 'system', entry });
  }
  for (; next < byTime.length; next += 1) items.push({ kind: 'system', entry: byTime[next] as ConversationHistoryEntry });
  return items;
}

/**
 * The internal notes among the log's items, by time (a note of the same second as a message after
 * it). While earlier messages are still to load, notes older than the oldest message shown wait
 * with them, so no note floats above a gap.
 */
export function withNotes(items: readonly LogItem[], notes: readonly NoteView[], oldestShown: number | undefined, hasEarlier: boolean): LogItem[] {
  const from = hasEarlier ? (oldestShown ?? Number.POSITIVE_INFINITY) : Number.NEGATIVE_INFINITY;
  const waiting = notes.filter((note) => note.createdAt >= from).sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
  const merged: LogItem[] = [];
  let next = 0;
  for (const item of items) {
    while (next < waiting.length && (waiting[next]?.createdAt ?? 0) < itemTime(item)) merged.push({ kind: 'note', note: waiting[next++] as NoteView });
    merged.push(item);
  }
  for (; next < waiting.length; next += 1) merged.push({ kind: 'note', note: waiting[next] as NoteView });
  return merged;
}

interface MessageListProps {
  readonly thread: ConversationMessages;
  /** The conversation's internal notes, oldest first. */
  readonly notes: readonly NoteView[];
  /** The signed-in agent, whose mentions are marked. */
  readonly selfId: number;
  /** The conversation's history entries, oldest first: shown as system lines among the messages. */
  readonly systemLines: readonly ConversationHistoryEntry[];
  /** Shown above the first message once nothing earlier is left to load (the contact's earlier conversations). */
  readonly before?: ReactNode;
  /** Ours not yet stored by the server: shown after the conversation, in sending order. */
  readonly outbox: Outbox;
  /** Answer this message; with a suggested text, the composer is filled with it. */
  readonly onReply: (message: MessageView, suggested?: string) => void;
  /** A jump whose message is loaded: scrolled to and highlighted. */
  readonly reveal: MessageJump | null;
}

function MessageLog({ thread, notes, selfId, systemLines, before, outbox, onReply, reveal }: MessageListProps) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const head = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLOListElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  const { loaded } = thread;
  const log = useMemo(
    () => withNotes(logItems(thread.messages, systemLines, thread.hasEarlier), notes, thread.messages[0]?.sentAt, thread.hasEarlier),
    [thread.messages, systemLines, notes, thread.hasEarlier],
  );
  const { entries } = outbox;
  const count = log.length + entries.length;
  const keyAt = useCallback(
    (index: number): Key => {
      const item = log[index];
      return item !== undefined ? itemKey(item) : outboxKey(entries[index - log.length]?.clientMessageId ?? String(index));
    },
    [log, entries],
  );
  // The entry holding the keyboard focus stays rendered wherever the log scrolls, so focus is not lost with it.
  const focusedKey = useRef<Key | null>(null);
  const rangeExtractor = useCallback(
    (range: Range): number[] => {
      if (range.count <= RENDER_WHOLE_UP_TO) return everyIndex(range);
      const shown = defaultRangeExtractor(range);
      const key = focusedKey.current;
      if (key === null) return shown;
      const inLog = log.findIndex((item) => itemKey(item) === key);
      const index = inLog >= 0 ? inLog : log.length + entries.findIndex((entry) => outboxKey(entry.clientMessageId) === key);
      return index < 0 || index >= range.count || shown.includes(index) ? shown : [...shown, index].sort((a, b) => a - b);
    },
    [log, entries],
  );
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_HEIGHT,
    getItemKey: keyAt,
    overscan: OVERSCAN,
    scrollMargin,
    rangeExtractor,
    // Chat mode: a prepended page keeps the message on screen where it was, and new messages are
    // followed only when the agent is at the bottom.
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: BOTTOM_SLACK,
  });

  // A message measured for the first time moves those below it by what its estimate was off. The
  // library absorbs that above the fold; here also in the strip where "Load earlier" stood when the
  // agent asked for the page that now fills it, so the message they were reading stays put.
  virtualizer.shouldAdjustScrollPositionOnItemSizeChange = (item, _delta, instance) => {
    const offset = instance.scrollOffset ?? 0;
    if (!instance.itemSizeCache.has(item.key)) return item.start < offset + instance.options.scrollMargin;
    return item.end <= offset && instance.scrollDirection !== 'backward';
  };

  // Where the list starts in the scroller, below "Load earlier" and any failure.
  useLayoutEffect(() => {
    const above = head.current;
    const list = content.current;
    if (above === null || list === null) return;
    const observer = new ResizeObserver(() => setScrollMargin(list.offsetTop));
    observer.observe(above);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    if (loaded) virtualizer.scrollToEnd();
  }, [loaded, virtualizer]);

  const waiting = entries.length;
  const waitingBefore = useRef(waiting);
  useLayoutEffect(() => {
    // The agent just sent something: show it, wherever they had scrolled to.
    if (waiting > waitingBefore.current) virtualizer.scrollToEnd();
    waitingBefore.current = waiting;
  }, [waiting, virtualizer]);

  // After the scroll to the bottom above, so a jump on opening lands on its message.
  useLayoutEffect(() => {
    if (reveal === null) return;
    const index = log.findIndex((item) => item.kind === 'message' && item.message.id === reveal.messageId);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'center' });
    // Only a new jump scrolls (its messages are those of this render); later ones leave the agent where they are.
  }, [reveal, virtualizer]);

  // The keys that scroll the log far go through the virtualizer, at once: the browser's own smooth
  // scroll across unmeasured messages is stopped short by the first adjustment for one measured on
  // the way, and a Home pressed during a PageDown's animation was overtaken by it.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const element = scroller.current;
    if (element === null || event.altKey || event.shiftKey || event.metaKey || isTyping(event.target)) return;
    const page = element.clientHeight * PAGE_SHARE;
    if (event.key === 'Home') virtualizer.scrollToOffset(0);
    else if (event.key === 'End') virtualizer.scrollToEnd();
    else if (event.key === 'PageUp') virtualizer.scrollBy(-page);
    else if (event.key === 'PageDown') virtualizer.scrollBy(page);
    else return;
    event.preventDefault();
  };

  return (
    <div className="message-scroller" ref={scroller} role="log" aria-label={t('conversation.messagesLabel')} tabIndex={0} onKeyDown={onKeyDown}>
      <div className="message-log-head" ref={head}>
        {/* Holds its height when nothing earlier is left, so the last page does not shift the log. */}
        <div className="load-earlier">
          {thread.hasEarlier ? (
            <button type="button" className="button-secondary" onClick={thread.loadEarlier} disabled={thread.loading}>
              {thread.loading ? <span className="busy">{t('conversation.loadingEarlier')}</span> : t('conversation.loadEarlier')}
            </button>
          ) : null}
        </div>
        {loaded && !thread.hasEarlier ? before : null}
        <ErrorNotice problem={thread.failure} />
        {loaded && log.length === 0 ? <p className="empty-list">{t('conversation.empty')}</p> : null}
      </div>
      <ol
        className="messages"
        ref={content}
        style={{ height: virtualizer.getTotalSize() }}
        onFocus={(event) => {
          const index = Number((event.target as Element).closest('[data-index]')?.getAttribute('data-index'));
          focusedKey.current = Number.isInteger(index) ? keyAt(index) : null;
        }}
        onBlur={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget)) focusedKey.current = null;
        }}
      >
        {virtualizer.getVirtualItems().map((row) => {
          const item = log[row.index];
          const message = item?.kind === 'message' ? item.message : undefined;
          const entry = item === undefined ? entries[row.index - log.length] : undefined;
          return (
            <li
              key={row.key}
              className="message-slot"
              data-index={row.index}
              ref={virtualizer.measureElement}
              style={{ transform: `translateY(${row.start - scrollMargin}px)` }}
            >
              {item?.kind === 'system' ? (
                <SystemLine entry={item.entry} />
              ) : message !== undefined ? (
                <MessageBubble
                  message={message}
                  quoted={message.replyToMessageId === null ? undefined : thread.byId.get(message.replyToMessageId)}
                  onReply={onReply}
                  found={message.id === reveal?.messageId}
                />
              ) : item?.kind === 'note' ? (
                <NoteCard note={item.note} selfId={selfId} />
              ) : entry !== undefined ? (
                <OutboxBubble entry={entry} outbox={outbox} />
              ) : null}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/** Renders only when its thread, notes, outbox, reply handler or jump changes: not for the conversation's clock. */
export const MessageList = memo(MessageLog);
