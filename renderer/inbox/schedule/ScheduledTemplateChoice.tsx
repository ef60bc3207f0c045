/**
 * A template in the schedule dialog, chosen through the conversation's template picker
 * (renderer/inbox/templates/): the message to schedule, or the one to send instead if the
 * customer's 24-hour window has closed by then. Its values are filled with the preview beside them,
 * by the rule the server applies again; a template whose header takes a file or a place is not
 * offered here (its file would be uploaded now, for a send days later). One kept from before an
 * edit shows by name until another is chosen.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScheduledTemplate } from '../../../common/schedule/scheduled-message.js';
import { buildTemplateComponents } from '../../../common/templates/template-parameters.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { Fields, Problems, useLabels } from '../templates/TemplateForm.js';
import type { FormTemplate } from '../templates/TemplateForm.js';
import { TemplatePicker } from '../templates/TemplatePicker.js';
import { TemplatePreview } from '../templates/TemplatePreview.js';
import { judge, NO_VALUES } from '../templates/template-values.js';
import type { FilledValues } from '../templates/template-values.js';
import { useConversationTemplates } from '../templates/use-conversation-templates.js';

export type TemplateSlot =
  | { readonly kind: 'kept'; readonly template: ScheduledTemplate }
  | { readonly kind: 'picked'; readonly template: FormTemplate; readonly values: FilledValues }
  | null;

/** The template as it is to be stored, or the problems that keep it from being scheduled. */
export function scheduledTemplateOf(slot: TemplateSlot): ScheduledTemplate | null | 'incomplete' {
  if (slot === null) return null;
  if (slot.kind === 'kept') return slot.template;
  const { parameters, problems } = judge(slot.template, slot.values);
  if (problems.length > 0) return 'incomplete';
  const built = buildTemplateComponents(slot.template, parameters);
  return built.ok ? { name: slot.template.name, languageCode: slot.template.language, components: [...built.components] } : 'incomplete';
}

const takesNoFile = (template: FormTemplate) => template.components.header === null || template.components.header.format === 'TEXT';

function Chosen({ slot, onChange }: { slot: Exclude<TemplateSlot, null>; onChange: (slot: TemplateSlot) => void }) {
  const { t } = useTranslation();
  const name = slot.template.name;
  const language = slot.kind === 'kept' ? slot.template.languageCode : slot.template.language;
  return (
    <div className="template-form-title">
      <span className="template-name">{name}</span> <span className="template-language">{language}</span>{' '}
      <button type="button" className="button-link" onClick={() => onChange(null)}>
        {t('schedule.templateRemove')}
      </button>
    </div>
  );
}

type Picked = Extract<TemplateSlot, { kind: 'picked' }>;

function Values({ conversationId, picked, onChange }: { conversationId: number; picked: Picked; onChange: (slot: TemplateSlot) => void }) {
  const labels = useLabels(picked.template);
  return (
    <div className="template-form-columns">
      <Fields conversationId={conversationId} template={picked.template} values={picked.values} onValues={(values) => onChange({ ...picked, values })} />
      <div className="template-form-side">
        <TemplatePreview template={picked.template} values={picked.values} />
        <Problems problems={judge(picked.template, picked.values).problems} part={labels.part} />
      </div>
    </div>
  );
}

export function ScheduledTemplateChoice({
  conversationId,
  label,
  slot,
  onChange,
  choose,
}: {
  readonly conversationId: number;
  readonly label: string;
  readonly slot: TemplateSlot;
  readonly onChange: (slot: TemplateSlot) => void;
  /** Optional (the fallback): the picker opens on this button's press; without it, it shows at once. */
  readonly choose?: string;
}) {
  const [open, setOpen] = useState(choose === undefined);
  if (slot === null && !open)
    return (
      <div className="schedule-template" role="group" aria-label={label}>
        <button type="button" className="button-secondary" onClick={() => setOpen(true)}>
          {choose}
        </button>
      </div>
    );
  return <OpenChoice conversationId={conversationId} label={label} slot={slot} onChange={onChange} />;
}

function OpenChoice({
  conversationId,
  label,
  slot,
  onChange,
}: {
  readonly conversationId: number;
  readonly label: string;
  readonly slot: TemplateSlot;
  readonly onChange: (slot: TemplateSlot) => void;
}) {
  const { t } = useTranslation();
  const templates = useConversationTemplates(conversationId);
  const list = templates.value;
  const picked = slot?.kind === 'picked' ? slot : undefined;
  return (
    <div className="schedule-template" role="group" aria-label={label}>
      <ErrorNotice problem={templates.failure} />
      {slot !== null ? (
        <Chosen slot={slot} onChange={onChange} />
      ) : list === null ? (
        templates.failure === null ? (
          <p className="template-loading">{t('templates.loading')}</p>
        ) : null
      ) : (
        <>
          <TemplatePicker
            templates={list.templates.filter(takesNoFile)}
            language={list.language}
            marketingOptedOut={list.customerStoppedMarketing}
            recategorised={templates.recategorised}
            onChoose={(chosen) => {
              const template = list.templates.find((found) => found.id === chosen.id);
              if (template !== undefined) onChange({ kind: 'picked', template, values: NO_VALUES });
            }}
          />
          <p className="hint">{t('schedule.templateNoFile')}</p>
        </>
      )}
      {picked === undefined ? null : <Values conversationId={conversationId} picked={picked} onChange={onChange} />}
    </div>
  );
}
