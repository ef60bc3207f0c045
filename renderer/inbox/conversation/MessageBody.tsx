/** What a message says, by content type; every type WhatsApp sends has a rendering here. */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../../common/api/inbox.js';
import type { MessageContent } from '../../../common/messages/message-content.js';
import { LinkedText } from './LinkedText.js';
import { MediaPreview } from './MediaPreview.js';
import { ContactsView, InteractiveReplyView, LocationView, OrderView, SystemNotice, TemplateView } from './StructuredContent.js';

function Caption({ text }: { text: string | undefined }) {
  return text === undefined || text === '' ? null : <LinkedText text={text} className="caption" />;
}

export function MessageBody({ content, media }: { content: MessageContent; media: MessageView['media'] }) {
  const { t } = useTranslation();
  switch (content.type) {
    case 'text':
      return (
        <>
          <LinkedText text={content.body} />
          {content.buttons === undefined || content.buttons.length === 0 ? null : (
            <ul className="reply-buttons" aria-label={t('personalData.replyButtons')}>
              {content.buttons.map((button) => (
                <li key={button.id}>{button.title}</li>
              ))}
            </ul>
          )}
        </>
      );
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      return (
        <>
          {media === null ? (
            <p className="media-state">{t(`messageType.${content.type}`)}</p>
          ) : (
            <MediaPreview media={media} filename={content.filename} alt={content.caption ?? t(`messageType.${content.type}`)} />
          )}
          {content.type === 'audio' && content.voice === true ? <p className="muted">{t('media.voiceNote')}</p> : null}
          <Caption text={content.caption} />
        </>
      );
    case 'location':
      return <LocationView content={content} />;
    case 'contacts':
      return <ContactsView content={content} />;
    case 'interactive_reply':
      return <InteractiveReplyView content={content} />;
    case 'button':
      return (
        <div className="structured">
          <p className="structured-label">{t('interactive.templateButton')}</p>
          <p className="structured-title">{content.text}</p>
        </div>
      );
    case 'reaction':
      return <p className="system-notice">{content.emoji === null ? t('reaction.removed') : t('reaction.added', { emoji: content.emoji })}</p>;
    case 'order':
      return <OrderView content={content} />;
    case 'system':
      return <SystemNotice content={content} />;
    case 'revoke':
      return <p className="deleted-notice">{t('message.deleted')}</p>;
    case 'edit':
      return <MessageBody content={content.content} media={media} />;
    case 'unsupported':
      return (
        <p className="unsupported-notice">
          {content.originalType === 'unsupported' ? t('message.unsupportedKind') : t('message.unsupported', { type: content.originalType })}
        </p>
      );
    case 'template':
      // A media header from an upload: the stored message carries the file (docs/templates.md).
      return (
        <>
          {media === null ? null : <MediaPreview media={media} filename={media.filename ?? undefined} alt={t(`messageType.${media.kind}`)} />}
          <TemplateView content={content} />
        </>
      );
  }
}

/** A one-line summary of a message, for the quote of a reply. */
export function summarizeContent(content: MessageContent, t: TFunction): string {
  switch (content.type) {
    case 'text':
      return content.body;
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      return content.caption ?? content.filename ?? t(`messageType.${content.type}`);
    case 'location':
      return content.name ?? t('messageType.location');
    case 'button':
      return content.text;
    case 'interactive_reply':
      return content.title ?? t('messageType.interactive_reply');
    case 'edit':
      return summarizeContent(content.content, t);
    case 'template':
      return t('template.sent', { name: content.name, language: content.languageCode });
    default:
      return t(`messageType.${content.type}`, { defaultValue: t('messageType.other') });
  }
}
