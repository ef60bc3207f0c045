/**
 * Writes into the open conversation, in one of two modes the agent switches between (two radio
 * buttons: Tab reaches them, the arrows switch): a reply to the customer (free text and files
 * while the 24-hour window is open, a template when it is closed or when the agent asks for one;
 * a reply carries the message it answers), or an internal note for colleagues, which the customer never gets.
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../../common/api/inbox.js';
import type { NoteView } from '../../../common/api/notes.js';
import type { OutboxEntry } from '../../../common/ipc/contract.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import type { ServiceWindow } from '../conversations/service-window.js';
import { NoteComposer } from '../notes/NoteComposer.js';
import type { ReplyContext } from '../../../common/replies/reply-variables.js';
import { ReplyContext as ReplyingTo } from './ReplyContext.js';
import { TemplateComposer } from './TemplateComposer.js';
import { TextComposer } from './TextComposer.js';
import type { Suggestion } from './TextComposer.js';
import { useSend } from './use-send.js';
import type { SendDraft } from './use-send.js';

interface ComposerProps {
  readonly conversationId: number;
  readonly selfId: number;
  /** A note the agent added, as the server stored it. */
  readonly onNoteAdded: (note: NoteView) => void;
  readonly serviceWindow: ServiceWindow;
  readonly replyTo: MessageView | null;
  readonly onCancelReply: () => void;
  /** The message as main's outbox now holds it. */
  readonly onQueued: (entry: OutboxEntry) => void;
  /** What a quick reply's variables are filled from. */
  readonly replyContext: ReplyContext;
  /** A text offered for the reply: the text composer takes it when the offer changes. */
  readonly suggestion?: Suggestion | null;
}

type ComposerMode = 'reply' | 'note';

function ModeSwitch({ mode, onMode }: { mode: ComposerMode; onMode: (mode: ComposerMode) => void }) {
  const { t } = useTranslation();
  const name = useId();
  return (
    <fieldset className="composer-mode">
      <legend className="visually-hidden">{t('composer.modeLabel')}</legend>
      {(['reply', 'note'] as const).map((option) => (
        <label key={option} className={`composer-mode-option composer-mode-${option}`}>
          <input type="radio" name={name} value={option} checked={mode === option} onChange={() => onMode(option)} />
          <span>{t(`composer.mode.${option}`)}</span>
        </label>
      ))}
    </fieldset>
  );
}

export function Composer({
  conversationId,
  selfId,
  onNoteAdded,
  serviceWindow,
  replyTo,
  onCancelReply,
  onQueued,
  replyContext,
  suggestion = null,
}: ComposerProps) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<ComposerMode>('reply');
  const [templateAsked, setTemplateAsked] = useState(false);
  useEffect(() => setTemplateAsked(false), [conversationId]);
  // Answering a message is a reply to the customer: the composer goes back to it.
  useEffect(() => {
    if (replyTo !== null) setMode('reply');
  }, [replyTo]);
  const { send, pending, failure } = useSend((entry) => {
    onQueued(entry);
    onCancelReply();
  });
  const sendWithReply: SendDraft = (draft) => send(replyTo === null ? draft : { ...draft, replyToMessageId: replyTo.id });
  return (
    <section className={`composer-area composer-area-${mode}`} aria-label={t(mode === 'note' ? 'notes.areaLabel' : 'composer.label')}>
      <ModeSwitch mode={mode} onMode={setMode} />
      {mode === 'note' ? (
        <NoteComposer conversationId={conversationId} selfId={selfId} onAdded={onNoteAdded} />
      ) : (
        <>
          {replyTo === null ? null : <ReplyingTo message={replyTo} onCancel={onCancelReply} />}
          <ErrorNotice problem={failure} />
          {!serviceWindow.open ? (
            <TemplateComposer conversationId={conversationId} send={sendWithReply} pending={pending} />
          ) : templateAsked ? (
            <TemplateComposer conversationId={conversationId} send={sendWithReply} pending={pending} onClose={() => setTemplateAsked(false)} />
          ) : (
            <>
              <TextComposer conversationId={conversationId} send={sendWithReply} pending={pending} replyContext={replyContext} suggestion={suggestion} />
              <button type="button" className="button-link template-open" onClick={() => setTemplateAsked(true)}>
                {t('templates.open')}
              </button>
            </>
          )}
        </>
      )}
    </section>
  );
}
