/**
 * The conversation as a log, oldest at the top. It opens at the newest message and follows new
 * ones while the agent is at the bottom; earlier pages load on request.
 */
import { useEffect, useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../../common/api/inbox.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { OutboxBubble } from '../composer/OutboxBubble.js';
import type { Outbox } from '../composer/use-outbox.js';
import { MessageBubble } from './MessageBubble.js';
import type { ConversationMessages } from './use-conversation-messages.js';
import type { MessageJump } from './use-message-jump.js';

/** Within this many pixels of the bottom counts as "at the bottom". */
const BOTTOM_SLACK = 80;

interface MessageListProps {
  readonly thread: ConversationMessages;
  /** Ours not yet stored by the server: shown after the conversation, in sending order. */
  readonly outbox: Outbox;
  readonly onReply: (message: MessageView) => void;
  /** A jump whose message is loaded: scrolled to and highlighted. */
  readonly reveal: MessageJump | null;
}

export function MessageList({ thread, outbox, onReply, reveal }: MessageListProps) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);
  const newest = thread.messages[thread.messages.length - 1]?.id;
  const waiting = outbox.entries.length;

  const waitingBefore = useRef(waiting);

  useLayoutEffect(() => {
    // The agent just sent something: show it, wherever they had scrolled to.
    if (waiting > waitingBefore.current) atBottom.current = true;
    waitingBefore.current = waiting;
    const element = scroller.current;
    if (element !== null && atBottom.current) element.scrollTop = element.scrollHeight;
  }, [newest, waiting, thread.loaded]);

  // After the scroll to the bottom above, so a jump on opening lands on its message.
  useLayoutEffect(() => {
    if (reveal === null) return;
    const target = content.current?.querySelector(`[data-message-id="${reveal.messageId}"]`);
    if (target == null) return;
    atBottom.current = false;
    target.scrollIntoView({ block: 'center' });
  }, [reveal]);

  // A preview that loads after the message grows the log: stay at the bottom if the agent was there.
  useEffect(() => {
    const element = scroller.current;
    const list = content.current;
    if (element === null || list === null) return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current) element.scrollTop = element.scrollHeight;
    });
    observer.observe(list);
    return () => observer.disconnect();
  }, []);

  return (
    <div
      className="message-scroller"
      ref={scroller}
      role="log"
      aria-label={t('conversation.messagesLabel')}
      tabIndex={0}
      onScroll={(event) => {
        const element = event.currentTarget;
        atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < BOTTOM_SLACK;
      }}
    >
      {thread.hasEarlier ? (
        <div className="load-earlier">
          <button type="button" className="button-secondary" onClick={thread.loadEarlier} disabled={thread.loading}>
            {thread.loading ? <span className="busy">{t('conversation.loadingEarlier')}</span> : t('conversation.loadEarlier')}
          </button>
        </div>
      ) : null}
      <ErrorNotice problem={thread.failure} />
      {thread.loaded && thread.messages.length === 0 ? <p className="empty-list">{t('conversation.empty')}</p> : null}
      <ol className="messages" ref={content}>
        {thread.messages.map((message) => (
          <MessageBubble
            key={message.id}
            message={message}
            quoted={message.replyToMessageId === null ? undefined : thread.byId.get(message.replyToMessageId)}
            onReply={onReply}
            found={message.id === reveal?.messageId}
          />
        ))}
        {outbox.entries.map((entry) => (
          <OutboxBubble key={entry.clientMessageId} entry={entry} outbox={outbox} />
        ))}
      </ol>
    </div>
  );
}
