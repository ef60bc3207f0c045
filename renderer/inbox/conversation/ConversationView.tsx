/**
 * The open conversation: who the customer is, who else is in it, the window's state, the messages,
 * the composer. Opening it (and any new message while it is open) marks it read.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { ConversationSummary, MessageView } from '../../../common/api/inbox.js';
import { useAction } from '../../api/use-action.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { useNow } from '../../components/use-now.js';
import { Composer } from '../composer/Composer.js';
import { useOutbox } from '../composer/use-outbox.js';
import { customerName } from '../conversations/conversation-list-state.js';
import { serviceWindow } from '../conversations/service-window.js';
import { WindowBadge } from '../conversations/WindowBadge.js';
import { NumberLabel } from '../numbers/NumberLabel.js';
import { PresenceLine } from '../presence/PresenceLine.js';
import { useConversationPresence } from '../presence/use-conversation-presence.js';
import { MessageList } from './MessageList.js';
import { JumpNote } from './JumpNote.js';
import { useConversationMessages } from './use-conversation-messages.js';
import { useMessageJump } from './use-message-jump.js';
import type { MessageJump } from './use-message-jump.js';

interface ConversationViewProps {
  readonly conversation: ConversationSummary;
  /** The conversation as it is once read, for the list to show before the feed confirms. */
  readonly onRead: (conversation: ConversationSummary) => void;
  /** A message to show (a search result): loaded if need be, scrolled to and highlighted. */
  readonly jump: MessageJump | null;
  /** The desk serves several business numbers: say which one this conversation is on (its replies go out from it). */
  readonly showNumber?: boolean;
}

/** Asks again only when the conversation or its unread count changes, so a failure is not retried in a loop. */
function useMarkReadWhileOpen(conversation: ConversationSummary, onRead: (conversation: ConversationSummary) => void) {
  const latest = useRef({ conversation, onRead });
  latest.current = { conversation, onRead };
  const markRead = useAction(() => window.sportello.markRead({ conversationId: latest.current.conversation.id }));
  const { id, unreadCount } = conversation;
  const { run } = markRead;
  useEffect(() => {
    if (unreadCount === 0) return;
    void run().then((done) => {
      if (done !== null) latest.current.onRead({ ...latest.current.conversation, unreadCount: 0 });
    });
  }, [id, unreadCount, run]);
  return markRead.failure;
}

export function ConversationView({ conversation, onRead, jump, showNumber = false }: ConversationViewProps) {
  const now = useNow(30_000);
  const thread = useConversationMessages(conversation.id);
  const jumpState = useMessageJump(thread, jump);
  const outbox = useOutbox(conversation.id, thread.upsert);
  const [replyTo, setReplyTo] = useState<MessageView | null>(null);
  const markReadFailure = useMarkReadWhileOpen(conversation, onRead);
  const others = useConversationPresence(conversation.id);
  const titleId = useId();
  const windowState = serviceWindow(conversation.windowClosesAt, now);
  const { phone, username } = conversation.customer;
  return (
    <section className="conversation-view" aria-labelledby={titleId}>
      <header className="conversation-header">
        <div>
          <h2 id={titleId}>{customerName(conversation)}</h2>
          <p className="muted">{[phone === null ? null : `+${phone}`, username].filter((part) => part !== null).join(' · ')}</p>
          {showNumber ? <NumberLabel conversation={conversation} /> : null}
          <PresenceLine others={others} />
        </div>
        <WindowBadge state={windowState} />
      </header>
      <ErrorNotice problem={markReadFailure} />
      <JumpNote progress={jumpState.progress} />
      <MessageList thread={thread} outbox={outbox} onReply={setReplyTo} reveal={jumpState.reveal} />
      <Composer
        conversationId={conversation.id}
        serviceWindow={windowState}
        replyTo={replyTo}
        onCancelReply={() => setReplyTo(null)}
        onQueued={outbox.record}
      />
    </section>
  );
}
