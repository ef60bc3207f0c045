/**
 * Writes into the open conversation: free text and files while the 24-hour window is open, a
 * template when it is closed; a reply carries the message it answers.
 */
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../../common/api/inbox.js';
import type { OutboxEntry } from '../../../common/ipc/contract.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import type { ServiceWindow } from '../conversations/service-window.js';
import { ReplyContext } from './ReplyContext.js';
import { TemplateComposer } from './TemplateComposer.js';
import { TextComposer } from './TextComposer.js';
import { useSend } from './use-send.js';
import type { SendDraft } from './use-send.js';

interface ComposerProps {
  readonly conversationId: number;
  readonly serviceWindow: ServiceWindow;
  readonly replyTo: MessageView | null;
  readonly onCancelReply: () => void;
  /** The message as main's outbox now holds it. */
  readonly onQueued: (entry: OutboxEntry) => void;
}

export function Composer({ conversationId, serviceWindow, replyTo, onCancelReply, onQueued }: ComposerProps) {
  const { t } = useTranslation();
  const { send, pending, failure } = useSend((entry) => {
    onQueued(entry);
    onCancelReply();
  });
  const sendWithReply: SendDraft = (draft) => send(replyTo === null ? draft : { ...draft, replyToMessageId: replyTo.id });
  return (
    <section className="composer-area" aria-label={t('composer.label')}>
      {replyTo === null ? null : <ReplyContext message={replyTo} onCancel={onCancelReply} />}
      <ErrorNotice problem={failure} />
      {serviceWindow.open ? (
        <TextComposer conversationId={conversationId} send={sendWithReply} pending={pending} />
      ) : (
        <TemplateComposer conversationId={conversationId} send={sendWithReply} pending={pending} />
      )}
    </section>
  );
}
