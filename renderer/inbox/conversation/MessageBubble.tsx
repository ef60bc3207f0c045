/**
 * One message in the conversation: who and when, forwarded and reply context, its content (or
 * that it was deleted), reactions on it, the edited mark, and the delivery ticks of ours.
 * Memoised: a bubble renders again only when its message, its quote or its highlight changes.
 */
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../../common/api/inbox.js';
import { countRedactedCards } from '../../../common/cards/card-redaction.js';
import { messageText } from '../../../common/messages/message-text.js';
import { codeRequestReasons } from '../../../common/codes/code-requests.js';
import { useSafetyPolicy } from '../safety/safety-policy-context.js';
import { CardRedactedNote } from './CardRedactedNote.js';
import { CodeRequestWarning } from './CodeRequestWarning.js';
import { DeliveryStatus } from './DeliveryStatus.js';
import { MessageBody, summarizeContent } from './MessageBody.js';
import { MessageTime } from './MessageTime.js';
import { UnreadableNote } from './UnreadableNote.js';

interface MessageBubbleProps {
  readonly message: MessageView;
  /** The message this one answers, when it is loaded. */
  readonly quoted: MessageView | undefined;
  readonly onReply: (message: MessageView, suggested?: string) => void;
  /** The message a search result jumped to: highlighted for a moment. */
  readonly found?: boolean;
}

function Quote({ quoted }: { quoted: MessageView | undefined }) {
  const { t } = useTranslation();
  const who = quoted === undefined ? null : quoted.direction === 'inbound' ? t('message.customer') : t('conversations.you');
  return (
    <blockquote className="quote">
      {who === null ? null : <span className="quote-author">{who}</span>}
      <span className="quote-text">{quoted === undefined ? t('message.quotedUnavailable') : summarizeContent(quoted.content, t)}</span>
    </blockquote>
  );
}

function Reactions({ reactions }: { reactions: MessageView['reactions'] }) {
  const { t } = useTranslation();
  if (reactions.length === 0) return null;
  return (
    <ul className="reactions" aria-label={t('reaction.listLabel')}>
      {reactions.map((reaction, index) => (
        <li key={index} className={`reaction reaction-${reaction.actor}`} title={t(`reaction.by.${reaction.actor}`)}>
          <span aria-hidden="true">{reaction.emoji}</span>
          <span className="visually-hidden">{t('reaction.described', { emoji: reaction.emoji, who: t(`reaction.by.${reaction.actor}`) })}</span>
        </li>
      ))}
    </ul>
  );
}

export const MessageBubble = memo(function MessageBubble({ message, quoted, onReply, found = false }: MessageBubbleProps) {
  const { t } = useTranslation();
  const warnsOfCodes = useSafetyPolicy().codes.warnInboundCodeRequests;
  const unreadable = message.unreadableParts ?? [];
  // Nothing of the content could be read: the note says so in place of "this kind cannot be shown".
  const unreadableWhole = unreadable.length > 0 && message.content.type === 'unsupported';
  const note = unreadable.length === 0 ? null : <UnreadableNote parts={unreadable} whole={unreadableWhole} />;
  if (message.content.type === 'system') {
    return (
      <div className="message message-system">
        <MessageBody content={message.content} media={null} />
        {note}
      </div>
    );
  }
  const deleted = message.deletedAt !== null || message.status === 'deleted';
  const words = message.direction === 'inbound' && !deleted ? (messageText(message.content) ?? '') : '';
  const cardsHidden = countRedactedCards(words);
  const codeReasons = warnsOfCodes ? codeRequestReasons(words) : [];
  return (
    <div className={`message message-${message.direction}${found ? ' message-found' : ''}`} data-message-id={message.id}>
      <article className="bubble" aria-label={message.direction === 'inbound' ? t('message.fromCustomer') : t('message.fromUs')}>
        {message.forwarded ? <p className="forwarded-label">{t('message.forwarded')}</p> : null}
        {message.origin === 'business_app' ? <p className="forwarded-label">{t('message.fromBusinessApp')}</p> : null}
        {message.origin === 'automatic' ? <p className="forwarded-label automatic-label">{t('message.automatic')}</p> : null}
        {message.replyToMessageId === null ? null : <Quote quoted={quoted} />}
        {deleted ? (
          <p className="deleted-notice">{t('message.deleted')}</p>
        ) : unreadableWhole ? null : (
          <MessageBody content={message.content} media={message.media} />
        )}
        {deleted ? null : note}
        <CodeRequestWarning reasons={codeReasons} />
        {cardsHidden === 0 ? null : <CardRedactedNote onAnswer={(text) => onReply(message, text)} />}
        <Reactions reactions={message.reactions} />
        <footer className="message-meta">
          <MessageTime at={message.sentAt} />
          {message.editedAt === null ? null : <span className="edited-mark">{t('message.edited')}</span>}
          {message.direction === 'outbound' ? <DeliveryStatus status={message.status} error={message.error} /> : null}
          {deleted ? null : (
            <button type="button" className="reply-button" onClick={() => onReply(message)}>
              {t('message.reply')}
            </button>
          )}
        </footer>
      </article>
    </div>
  );
});
