/**
 * One chosen template's parameters: a field for each value it takes (the header's text or file,
 * the body's variables, a link's end or a code on a button), the preview as the customer will see
 * it, and Send, refused with every problem listed (the common rule the server applies again)
 * while a value is missing or wrong. A value that looks like a code is held as in a reply.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TemplateProblem } from '../../../common/templates/template-parameters.js';
import type { StoredTemplate, TemplateButton } from '../../../common/templates/template.js';
import { variablesOf } from '../../../common/templates/template.js';
import { useAction } from '../../api/use-action.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { TextField } from '../../components/TextField.js';
import type { SendDraft } from '../composer/use-send.js';
import { CodeHoldWarning, useCodeHold } from '../safety/CodeHoldWarning.js';
import { CategoryBadge } from './TemplatePicker.js';
import { TemplatePreview } from './TemplatePreview.js';
import type { PickableTemplate } from './template-choices.js';
import { buttonsTakingValues, judge, NO_VALUES, textsOf } from './template-values.js';
import type { FilledValues } from './template-values.js';

export type FormTemplate = PickableTemplate & Pick<StoredTemplate, 'parameterFormat'>;

interface TemplateFormProps {
  readonly conversationId: number;
  readonly template: FormTemplate;
  readonly send: SendDraft;
  readonly pending: boolean;
  /** Why it cannot be sent now (Meta paused or re-categorised it since it was chosen…); null: it can. */
  readonly stopped: string | null;
  /** Back to the list (another template). */
  readonly onBack: () => void;
  readonly onSent: () => void;
}

export function useLabels(template: FormTemplate) {
  const { t } = useTranslation();
  const button = (index: number) => {
    const found: TemplateButton | undefined = template.components.buttons[index];
    if (found === undefined) return t('templates.part.parameters');
    return t(found.type === 'URL' ? 'templates.buttonVariable' : 'templates.buttonCode', { text: found.text });
  };
  const part = (at: string) => {
    const [where, name = ''] = at.split('.', 2) as [string, string?];
    if (where === 'header') return name === '' ? t('templates.part.header') : t('templates.header.text', { name });
    if (where === 'body') return name === '' ? t('templates.part.body') : t('templates.bodyVariable', { name });
    if (where === 'button') return button(Number(name));
    return t('templates.part.parameters');
  };
  return { button, part };
}

export function Problems({ problems, part }: { problems: readonly TemplateProblem[]; part: (at: string) => string }) {
  const { t } = useTranslation();
  if (problems.length === 0) return null;
  return (
    <div className="template-problems" role="status">
      <p>{t('templates.problemsTitle')}</p>
      <ul>
        {problems.map((problem) => (
          <li key={`${problem.at}-${problem.problem}`}>{t(`templates.problem.${problem.problem}`, { part: part(problem.at), limit: problem.limit })}</li>
        ))}
      </ul>
    </div>
  );
}

function HeaderFile({
  conversationId,
  format,
  values,
  onValues,
}: {
  conversationId: number;
  format: string;
  values: FilledValues;
  onValues: (values: FilledValues) => void;
}) {
  const { t } = useTranslation();
  const pick = useAction(
    () => window.sportello.pickAttachment({ conversationId }),
    (picked) => {
      if (picked !== null) onValues({ ...values, headerFile: picked });
    },
  );
  return (
    <div className="field template-header-file">
      <span className="field-label">{t('templates.header.media', { kind: t(`templates.header.kind.${format}`) })}</span>
      {values.headerFile === null ? null : <span className="file-name">{values.headerFile.filename}</span>}
      <button type="button" className="button-secondary" onClick={() => void pick.run()} disabled={pick.pending}>
        {t(values.headerFile === null ? 'templates.header.pick' : 'templates.header.pickAnother')}
      </button>
      <ErrorNotice problem={pick.failure} />
    </div>
  );
}

/** The fields of a chosen template's values (also the schedule dialog's, renderer/inbox/schedule/). */
export function Fields({
  conversationId,
  template,
  values,
  onValues,
}: {
  conversationId: number;
  template: FormTemplate;
  values: FilledValues;
  onValues: (values: FilledValues) => void;
}) {
  const { t } = useTranslation();
  const labels = useLabels(template);
  const { header, body } = template.components;
  const set = (part: 'header' | 'body' | 'buttons', name: string, text: string) => onValues({ ...values, [part]: { ...values[part], [name]: text } });
  const example = (examples: readonly string[], index: number) => {
    const value = examples[index];
    return value === undefined ? undefined : t('templates.example', { example: value });
  };
  return (
    <div className="template-fields">
      {header?.format === 'TEXT'
        ? variablesOf(header.text).map((name, index) => (
            <TextField
              key={`h${name}`}
              label={t('templates.header.text', { name })}
              value={values.header[name] ?? ''}
              onChange={(text) => set('header', name, text)}
              placeholder={example(header.examples, index)}
            />
          ))
        : null}
      {header !== null && header.format !== 'TEXT' && header.format !== 'LOCATION' ? (
        <HeaderFile conversationId={conversationId} format={header.format} values={values} onValues={onValues} />
      ) : null}
      {variablesOf(body.text).map((name, index) => (
        <TextField
          key={`b${name}`}
          label={t('templates.bodyVariable', { name })}
          value={values.body[name] ?? ''}
          onChange={(text) => set('body', name, text)}
          placeholder={example(body.examples, index)}
        />
      ))}
      {buttonsTakingValues(template).map((index) => (
        <TextField
          key={`k${index}`}
          label={labels.button(index)}
          value={values.buttons[String(index)] ?? ''}
          onChange={(text) => set('buttons', String(index), text)}
          spellCheck={false}
        />
      ))}
    </div>
  );
}

export function TemplateForm({ conversationId, template, stopped, send, pending, onBack, onSent }: TemplateFormProps) {
  const { t } = useTranslation();
  const [values, setValues] = useState<FilledValues>(NO_VALUES);
  const { parameters, problems } = judge(template, values);
  const codeHold = useCodeHold(textsOf(values));
  const labels = useLabels(template);
  const onValues = (next: FilledValues) => {
    setValues(next);
    codeHold.withdraw();
  };

  const submit = async (confirmed: boolean) => {
    if (problems.length > 0 || stopped !== null) return;
    const held = codeHold.reasons.length > 0;
    if (held && !confirmed) {
      codeHold.ask();
      return;
    }
    // The server builds the components from the parameters, by the rule the form judged them with.
    const draft = { kind: 'template' as const, conversationId, name: template.name, languageCode: template.language, components: [], parameters };
    if (await send(held ? { ...draft, confirmedCode: true } : draft)) onSent();
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit(false);
  };

  return (
    <form className="template-form" onSubmit={onSubmit} aria-label={t('templates.formLabel')}>
      <div className="template-form-title">
        <span className="template-name">{template.name}</span> <span className="template-language">{template.language}</span>{' '}
        <CategoryBadge category={template.category} />
        <span className="template-paid">{t('templates.paid', { category: t(`templates.category.${template.category}`).toLowerCase() })}</span>
        <button type="button" className="button-link" onClick={onBack}>
          {t('templates.change')}
        </button>
      </div>
      <div className="template-form-columns">
        <Fields conversationId={conversationId} template={template} values={values} onValues={onValues} />
        {/* Beside the fields: what the customer will see, what still stops it, and Send. */}
        <div className="template-form-side">
          <TemplatePreview template={template} values={values} />
          {stopped === null ? null : (
            <p className="template-unavailable" role="alert">
              {stopped}
            </p>
          )}
          <Problems problems={problems} part={labels.part} />
          <CodeHoldWarning hold={codeHold} onConfirm={() => void submit(true)} disabled={pending} />
          <div className="template-form-actions">
            <button type="submit" className="button-primary" disabled={pending || problems.length > 0 || stopped !== null}>
              {t('templates.send')}
            </button>
          </div>
        </div>
      </div>
    </form>
  );
}
