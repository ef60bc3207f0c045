/**
 * Sending a template: always when the 24-hour window is closed (WhatsApp accepts nothing else),
 * and on demand while it is open. The agent picks one of the conversation's approved templates,
 * then fills its parameters with the preview beside them. A template Meta pauses, disables or
 * moves to another category while it is on screen is shown as such at once and cannot be sent as
 * it was chosen.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { TemplateForm } from '../templates/TemplateForm.js';
import { TemplatePicker } from '../templates/TemplatePicker.js';
import { unavailableReason } from '../templates/template-choices.js';
import { useConversationTemplates } from '../templates/use-conversation-templates.js';
import type { UsableTemplate } from '../../../common/api/template-endpoints.js';
import type { SendDraft } from './use-send.js';

interface TemplateComposerProps {
  readonly conversationId: number;
  readonly send: SendDraft;
  readonly pending: boolean;
  /** The window is open: the agent asked for a template, and may go back to writing. */
  readonly onClose?: (() => void) | undefined;
}

export function TemplateComposer({ conversationId, send, pending, onClose }: TemplateComposerProps) {
  const { t } = useTranslation();
  const templates = useConversationTemplates(conversationId);
  // The template as the agent chose it: a change of its category since then stops the send.
  const [chosen, setChosen] = useState<UsableTemplate | null>(null);
  const list = templates.value;
  const live = chosen === null ? undefined : list?.templates.find((template) => template.id === chosen.id);
  const stopped = (() => {
    if (list === null || live === undefined || chosen === null) return null;
    const unavailable = unavailableReason(live, list.customerStoppedMarketing);
    if (unavailable !== null) return t(`templates.unavailable.${unavailable}`);
    if (live.category !== chosen.category) {
      return t('templates.recategorised', { from: t(`templates.category.${chosen.category}`), to: t(`templates.category.${live.category}`) });
    }
    return null;
  })();
  return (
    <section className="composer template-composer" aria-label={t('templates.open')}>
      <div className="template-composer-top">
        {onClose === undefined ? <p className="window-closed-note">{t('templates.windowClosed')}</p> : null}
        {onClose === undefined ? null : (
          <button type="button" className="button-link" onClick={onClose}>
            {t('templates.close')}
          </button>
        )}
      </div>
      <ErrorNotice problem={templates.failure} />
      {list === null ? (
        templates.failure === null ? (
          <p className="template-loading">{t('templates.loading')}</p>
        ) : null
      ) : live === undefined || chosen === null ? (
        <TemplatePicker
          templates={list.templates}
          language={list.language}
          marketingOptedOut={list.customerStoppedMarketing}
          recategorised={templates.recategorised}
          onChoose={(template) => setChosen(list.templates.find((found) => found.id === template.id) ?? null)}
        />
      ) : (
        <TemplateForm
          key={live.id}
          conversationId={conversationId}
          template={live}
          stopped={stopped}
          send={send}
          pending={pending}
          onBack={() => setChosen(null)}
          onSent={() => {
            setChosen(null);
            onClose?.();
          }}
        />
      )}
    </section>
  );
}
