/**
 * Free-form messages while the 24-hour window is open: text (Enter sends, Shift+Enter breaks the
 * line), or a file main picks and uploads, with an optional caption.
 */
import { useId, useState } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Attachment } from '../../../common/ipc/contract.js';
import { MAX_CAPTION_LENGTH, MAX_TEXT_LENGTH } from '../../../common/messages/send-request.js';
import { useAction } from '../../api/use-action.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { formatBytes } from '../conversation/format-bytes.js';
import type { SendDraft } from './use-send.js';
import { useLocale } from '../../i18n/use-locale.js';
import { reportTyping } from '../presence/use-conversation-presence.js';

interface TextComposerProps {
  readonly conversationId: number;
  readonly send: SendDraft;
  readonly pending: boolean;
}

function AttachmentChip({ attachment, onRemove }: { attachment: Attachment; onRemove: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <div className="attachment-chip">
      <span className="file-kind">{t(`messageType.${attachment.kind}`)}</span>
      <span className="file-name">{attachment.filename}</span>
      <span className="file-meta">{formatBytes(attachment.size, locale)}</span>
      <button type="button" className="button-link" onClick={onRemove}>
        {t('composer.removeAttachment')}
      </button>
    </div>
  );
}

export function TextComposer({ conversationId, send, pending }: TextComposerProps) {
  const { t } = useTranslation();
  const textId = useId();
  const [text, setText] = useState('');
  const [attachment, setAttachment] = useState<Attachment | null>(null);
  const pick = useAction(
    () => window.sportello.pickAttachment({ conversationId }),
    (picked) => {
      if (picked !== null) setAttachment(picked);
    },
  );

  const submit = async () => {
    if (attachment !== null) {
      const caption = text.trim();
      if (await send({ kind: 'media', conversationId, attachmentId: attachment.attachmentId, ...(caption === '' ? {} : { caption }) })) {
        setAttachment(null);
        setText('');
      }
      return;
    }
    if (text.trim() === '') return;
    if (await send({ kind: 'text', conversationId, text })) setText('');
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <form className="composer" onSubmit={onSubmit}>
      {attachment === null ? null : <AttachmentChip attachment={attachment} onRemove={() => setAttachment(null)} />}
      <ErrorNotice problem={pick.failure} />
      <div className="composer-row">
        <label htmlFor={textId} className="visually-hidden">
          {attachment === null ? t('composer.messageLabel') : t('composer.captionLabel')}
        </label>
        <textarea
          id={textId}
          className="composer-text"
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            if (event.target.value !== '') reportTyping(conversationId);
          }}
          onKeyDown={onKeyDown}
          rows={2}
          maxLength={attachment === null ? MAX_TEXT_LENGTH : MAX_CAPTION_LENGTH}
          placeholder={attachment === null ? t('composer.placeholder') : t('composer.captionPlaceholder')}
        />
        <button type="button" className="button-secondary" onClick={() => void pick.run()} disabled={pick.pending || attachment !== null}>
          {t('composer.attach')}
        </button>
        <button type="submit" className="button-primary" disabled={pending}>
          {t('composer.send')}
        </button>
      </div>
    </form>
  );
}
