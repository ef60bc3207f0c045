/**
 * When the 24-hour window is closed WhatsApp accepts only approved templates: the agent names
 * the template and its language and fills the body's variables ({{1}}, {{2}}, …) in order.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from '../../components/TextField.js';
import type { SendDraft } from './use-send.js';

interface TemplateComposerProps {
  readonly conversationId: number;
  readonly send: SendDraft;
  readonly pending: boolean;
}

export function TemplateComposer({ conversationId, send, pending }: TemplateComposerProps) {
  const { t, i18n } = useTranslation();
  const [name, setName] = useState('');
  const [languageCode, setLanguageCode] = useState(i18n.language);
  const [parameters, setParameters] = useState<string[]>([]);
  const setParameter = (index: number, value: string) => setParameters((current) => current.map((old, at) => (at === index ? value : old)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const components = parameters.length === 0 ? [] : [{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) }];
    if (await send({ kind: 'template', conversationId, name: name.trim(), languageCode: languageCode.trim(), components })) setParameters([]);
  };

  return (
    <form className="composer template-composer" onSubmit={(event) => void submit(event)} aria-label={t('template.formLabel')}>
      <p className="warning-notice">{t('template.windowClosed')}</p>
      <div className="template-fields">
        <TextField label={t('template.name')} value={name} onChange={setName} required pattern="[a-z0-9_]+" spellCheck={false} hint={t('template.nameHint')} />
        <TextField label={t('template.language')} value={languageCode} onChange={setLanguageCode} required pattern="[a-z]{2,3}(_[A-Z]{2})?" spellCheck={false} hint={t('template.languageHint')} className="field-narrow" />
      </div>
      <fieldset className="template-parameters-fields">
        <legend>{t('template.parametersLegend')}</legend>
        {parameters.map((value, index) => (
          <div className="parameter-row" key={index}>
            <TextField label={t('template.parameter', { number: index + 1 })} value={value} onChange={(text) => setParameter(index, text)} required />
            <button type="button" className="button-link" onClick={() => setParameters((current) => current.filter((_, at) => at !== index))}>
              {t('template.removeParameter', { number: index + 1 })}
            </button>
          </div>
        ))}
        <button type="button" className="button-secondary" onClick={() => setParameters((current) => [...current, ''])}>
          {t('template.addParameter')}
        </button>
      </fieldset>
      <div className="actions">
        <button type="submit" className="button-primary" disabled={pending}>
          {t('template.send')}
        </button>
      </div>
    </form>
  );
}
