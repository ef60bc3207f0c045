/**
 * The open conversation: who the customer is, who else is in it, the window's state, its state
 * with the controls that change it, the messages with the internal notes and the history's system
 * lines among them, the composer (not for a resolved conversation, nor while its customer is
 * blocked: a notice says so instead). Opening it (and any new message
 * while it is open) marks it read. An earlier conversation of the contact opens read only, without
 * its notes.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary, MessageView } from '../../../common/api/inbox.js';
import { useAction } from '../../api/use-action.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { useNow } from '../../components/use-now.js';
import { Composer } from '../composer/Composer.js';
import { ConversationLabels } from '../labels/ConversationLabels.js';
import type { LabelView } from '../../../common/api/replies.js';
import { replyContextOf, useSignedInName } from '../replies/reply-context.js';
import { useOutbox } from '../composer/use-outbox.js';
import { customerName } from '../conversations/conversation-list-state.js';
import { serviceWindow } from '../conversations/service-window.js';
import { WindowBadge } from '../conversations/WindowBadge.js';
import { NumberLabel } from '../numbers/NumberLabel.js';
import { useConversationNotes } from '../notes/use-conversation-notes.js';
import { EarlierConversations } from '../lifecycle/EarlierConversations.js';
import { StateBadge } from '../lifecycle/StateBadge.js';
import { StateControls } from '../lifecycle/StateControls.js';
import { useConversationHistory } from '../lifecycle/use-conversation-history.js';
import type { ConversationHistory } from '../lifecycle/use-conversation-history.js';
import { HandoverControls } from '../handover/HandoverControls.js';
import { BlockControls } from '../blocks/BlockControls.js';
import { PaymentRequestProvider } from '../payments/payment-request-context.js';
import { ScheduleProvider } from '../schedule/schedule-context.js';
import { ScheduledMessages } from '../schedule/ScheduledMessages.js';
import { BlockedNotice } from '../blocks/BlockedNotice.js';
import { CustomerNumber } from '../customer-numbers/CustomerNumber.js';
import { GroupNotice } from '../customer-numbers/GroupNotice.js';
import { PresenceLine } from '../presence/PresenceLine.js';
import { useConversationPresence } from '../presence/use-conversation-presence.js';
import { MessageList } from './MessageList.js';
import { JumpNote } from './JumpNote.js';
import { useConversationMessages } from './use-conversation-messages.js';
import type { ConversationMessages } from './use-conversation-messages.js';
import { useMessageJump } from './use-message-jump.js';
import type { MessageJump } from './use-message-jump.js';

interface ConversationViewProps {
  readonly conversation: ConversationSummary;
  /** The signed-in agent. */
  readonly selfId: number;
  /** The conversation as it is once read or changed, for the list to show before the feed confirms. */
  readonly onRead: (conversation: ConversationSummary) => void;
  /** Opens one of the contact's earlier conversations, for reading. */
  readonly onOpenEarlier?: (earlier: ConversationSummary) => void;
  /** An earlier conversation of the contact, opened from the current one: read only, with the way back. */
  readonly readOnly?: { readonly onBack: () => void };
  /** A message to show (a search result): loaded if need be, scrolled to and highlighted. */
  readonly jump: MessageJump | null;
  /** The desk serves several business numbers: say which one this conversation is on (its replies go out from it). */
  readonly showNumber?: boolean;
  /** The labels the agent may put on conversations. */
  readonly labels?: readonly LabelView[];
  /** The agent holds `supervisor`: hand-over is offered for conversations not theirs (the server checks the team). */
  readonly supervisor?: boolean;
}

/** Asks again only when the conversation or its unread count changes, so a failure is not retried in a loop. */
function useMarkReadWhileOpen(conversation: ConversationSummary, onRead: (conversation: ConversationSummary) => void, enabled: boolean) {
  const latest = useRef({ conversation, onRead });
  latest.current = { conversation, onRead };
  const markRead = useAction(() => window.sportello.markRead({ conversationId: latest.current.conversation.id }));
  const { id, unreadCount } = conversation;
  const { run } = markRead;
  useEffect(() => {
    if (unreadCount === 0 || !enabled) return;
    void run().then((done) => {
      if (done !== null) latest.current.onRead({ ...latest.current.conversation, unreadCount: 0 });
    });
  }, [id, unreadCount, run, enabled]);
  return markRead.failure;
}

/** Loads older history entries while the loaded messages reach back further than the loaded entries do. */
function useHistoryAsFarAsTheMessages(thread: ConversationMessages, history: ConversationHistory): void {
  const oldestMessage = thread.messages[0]?.sentAt;
  const oldestEntry = history.entries[0]?.at;
  const { complete, loadMore } = history;
  useEffect(() => {
    if (complete || oldestEntry === undefined) return;
    if (!thread.hasEarlier || (oldestMessage !== undefined && oldestMessage < oldestEntry)) loadMore();
  }, [complete, oldestEntry, oldestMessage, thread.hasEarlier, loadMore]);
}

export function ConversationView({
  conversation,
  selfId,
  onRead,
  onOpenEarlier,
  readOnly,
  jump,
  showNumber = false,
  labels = [],
  supervisor = false,
}: ConversationViewProps) {
  const { t } = useTranslation();
  const now = useNow(30_000);
  const agentName = useSignedInName();
  const thread = useConversationMessages(conversation.id);
  const history = useConversationHistory(conversation.id);
  useHistoryAsFarAsTheMessages(thread, history);
  // Notes reach back as far as the messages shown; before the first page, the newest only.
  const reachBack = !thread.loaded ? Number.MAX_SAFE_INTEGER : thread.hasEarlier ? (thread.messages[0]?.sentAt ?? null) : null;
  const notes = useConversationNotes(conversation.id, reachBack, readOnly === undefined);
  const jumpState = useMessageJump(thread, jump);
  const outbox = useOutbox(conversation.id, thread.upsert);
  const [replyTo, setReplyTo] = useState<MessageView | null>(null);
  // A text offered for the answer (the card safety reply): each offer fills the composer once.
  const [suggestion, setSuggestion] = useState<{ readonly text: string; readonly offer: number } | null>(null);
  // Stable, as setReplyTo was: the memoised bubbles do not render again with every render of the view.
  const answer = useCallback((message: MessageView, suggested?: string) => {
    setReplyTo(message);
    if (suggested !== undefined) setSuggestion((last) => ({ text: suggested, offer: (last?.offer ?? 0) + 1 }));
  }, []);
  const markReadFailure = useMarkReadWhileOpen(conversation, onRead, readOnly === undefined);
  const others = useConversationPresence(conversation.id);
  const titleId = useId();
  const windowState = serviceWindow(conversation.windowClosesAt, now);
  const { username } = conversation.customer;
  const earlier =
    conversation.previousConversationId === null || onOpenEarlier === undefined ? undefined : (
      <EarlierConversations conversationId={conversation.id} onOpen={onOpenEarlier} />
    );
  const writable =
    readOnly === undefined && conversation.customer.group !== true && conversation.block === null && conversation.state !== 'resolved' && windowState.open;
  return (
    <PaymentRequestProvider conversationId={conversation.id} writable={writable} onSent={thread.upsert}>
      <section className="conversation-view" aria-labelledby={titleId}>
        <header className="conversation-header">
          <div>
            <h2 id={titleId}>{conversation.customer.group === true ? t('groups.title') : customerName(conversation)}</h2>
            <p className="muted">
              <CustomerNumber conversation={conversation} />
              {username === null ? null : <span>{conversation.customer.phone === null ? username : ` · ${username}`}</span>}
            </p>
            {showNumber ? <NumberLabel conversation={conversation} /> : null}
            <PresenceLine others={others} />
            {readOnly === undefined ? <ConversationLabels conversation={conversation} labels={labels} onChanged={onRead} /> : null}
          </div>
          {readOnly === undefined ? (
            <div className="conversation-controls">
              <StateControls conversation={conversation} now={now} onChanged={onRead}>
                <WindowBadge state={windowState} />
              </StateControls>
              <HandoverControls conversation={conversation} selfId={selfId} supervisor={supervisor} onChanged={onRead} />
              <BlockControls conversation={conversation} supervisor={supervisor} onChanged={onRead} />
            </div>
          ) : (
            <div className="state-line">
              <WindowBadge state={windowState} />
              <StateBadge conversation={conversation} now={now} showOpen />
            </div>
          )}
        </header>
        {readOnly === undefined ? null : (
          <div className="read-only-note" role="note">
            <p>{t('lifecycle.earlier.readOnly')}</p>
            <button type="button" className="button-secondary" onClick={readOnly.onBack}>
              {t('lifecycle.earlier.back')}
            </button>
          </div>
        )}
        <ErrorNotice problem={markReadFailure} />
        <JumpNote progress={jumpState.progress} />
        <ErrorNotice problem={notes.failure} />
        <MessageList
          thread={thread}
          notes={notes.notes}
          selfId={selfId}
          systemLines={history.entries}
          before={earlier}
          outbox={outbox}
          onReply={answer}
          reveal={jumpState.reveal}
        />
        {readOnly !== undefined ? null : conversation.customer.group === true ? (
          <GroupNotice />
        ) : conversation.block !== null ? (
          <BlockedNotice block={conversation.block} />
        ) : conversation.state === 'resolved' ? (
          <p className="composer-area resolved-note">{t('lifecycle.resolvedNote')}</p>
        ) : (
          <ScheduleProvider conversationId={conversation.id}>
            <ScheduledMessages />
            <Composer
              conversationId={conversation.id}
              selfId={selfId}
              onNoteAdded={notes.upsert}
              serviceWindow={windowState}
              replyTo={replyTo}
              onCancelReply={() => setReplyTo(null)}
              onQueued={outbox.record}
              replyContext={replyContextOf(conversation, agentName)}
              suggestion={suggestion}
            />
          </ScheduleProvider>
        )}
      </section>
    </PaymentRequestProvider>
  );
}
