import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../../common/api/inbox.js';
import { summarizeContent } from '../conversation/MessageBody.js';

/** Above the composer while answering a particular message: which one, and a way back out. */
export function ReplyContext({ message, onCancel }: { message: MessageView; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="reply-context">
      <span className="reply-context-label">{t('composer.replyingTo')}</span>
      <span className="reply-context-text">{summarizeContent(message.content, t)}</span>
      <button type="button" className="button-link" onClick={onCancel}>
        {t('composer.cancelReply')}
      </button>
    </div>
  );
}
