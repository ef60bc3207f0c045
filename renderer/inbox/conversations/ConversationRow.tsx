import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../common/api/inbox.js';
import { useTimeFormat } from '../../components/use-time-format.js';
import { DeliveryStatus } from '../conversation/DeliveryStatus.js';
import { messageTypeLabel } from '../message-type-label.js';
import { customerName } from './conversation-list-state.js';
import { serviceWindow } from './service-window.js';
import { WindowBadge } from './WindowBadge.js';
import { StateBadge } from '../lifecycle/StateBadge.js';
import { NumberLabel } from '../numbers/NumberLabel.js';
import { LabelChips } from '../labels/LabelChips.js';
import { AssigneeBadge } from '../desk/AssigneeBadge.js';

interface ConversationRowProps {
  readonly conversation: ConversationSummary;
  readonly selected: boolean;
  readonly now: number;
  /** Name the business number it is on (the desk serves several). */
  readonly showNumber?: boolean;
  /** The signed-in agent: their own conversations say "You". */
  readonly selfId?: number;
}

function LastMessagePreview({ lastMessage }: { lastMessage: NonNullable<ConversationSummary['lastMessage']> }) {
  const { t } = useTranslation();
  const text = lastMessage.text ?? messageTypeLabel(t, lastMessage.type);
  return (
    <span className="conversation-preview">
      {lastMessage.direction === 'outbound' ? <DeliveryStatus status={lastMessage.status} compact /> : null}
      {lastMessage.direction === 'outbound' ? <span className="preview-sender">{t('conversations.you')} </span> : null}
      {text}
    </span>
  );
}

/** One line of the conversation list: who, the last message, when, unread count, its state unless open, who holds it (or how long it has waited in the queue), the window, the number it is on when there are several, and its labels. */
export function ConversationRow({ conversation, selected, now, showNumber = false, selfId }: ConversationRowProps) {
  const { t } = useTranslation();
  const time = useTimeFormat();
  const unread = conversation.unreadCount;
  return (
    <span className={`conversation-row ${selected ? 'conversation-row-selected' : ''} ${unread > 0 ? 'conversation-row-unread' : ''}`}>
      <span className="conversation-line">
        <span className="conversation-name">{conversation.customer.group === true ? t('groups.title') : customerName(conversation)}</span>
        {conversation.lastMessageAt === null ? null : <span className="conversation-time">{time.listTime(conversation.lastMessageAt, now)}</span>}
      </span>
      <span className="conversation-line">
        {conversation.lastMessage === null ? <span className="conversation-preview" /> : <LastMessagePreview lastMessage={conversation.lastMessage} />}
        {unread > 0 ? (
          <span className="unread-count" aria-label={t('conversations.unread', { count: unread })}>
            {unread}
          </span>
        ) : null}
      </span>
      <span className="conversation-line">
        <StateBadge conversation={conversation} now={now} />
        <AssigneeBadge conversation={conversation} now={now} selfId={selfId} />
        {conversation.state === 'resolved' ? null : <WindowBadge state={serviceWindow(conversation.windowClosesAt, now)} />}
        {showNumber ? <NumberLabel conversation={conversation} short /> : null}
        <LabelChips labels={conversation.labels} />
      </span>
    </span>
  );
}
