/**
 * When the 24-hour window is closed WhatsApp accepts only approved templates: the agent names
 * the template and its language and fills the body's variables ({{1}}, {{2}}, …) in order.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from '../../components/TextField.js';
import { CodeHoldWarning, useCodeHold } from '../safety/CodeHoldWarning.js';
import type { SendDraft } from './use-send.js';

interface TemplateComposerProps {
  readonly conversationId: number;
  readonly send: SendDraft;
  readonly pending: boolean;
}

function BodyValues({ values, onChange }: { values: readonly string[]; onChange: (values: string[]) => void }) {
  const { t } = useTranslation();
  return (
    <>
      {values.length === 0 ? null : (
        <ol className="template-values" aria-label={t('template.parametersLegend')}>
          {values.map((value, index) => (
            <li key={index} className="template-value">
              <TextField
                label={t('template.parameter', { number: index + 1 })}
                value={value}
                onChange={(text) => onChange(values.map((old, at) => (at === index ? text : old)))}
                required
              />
              <button type="button" className="button-link" onClick={() => onChange(values.filter((_, at) => at !== index))}>
                {t('template.removeParameter', { number: index + 1 })}
              </button>
            </li>
          ))}
        </ol>
      )}
      <button type="button" className="button-link" onClick={() => onChange([...values, ''])}>
        {t('template.addParameter')}
      </button>
    </>
  );
}

export function TemplateComposer({ conversationId, send, pending }: TemplateComposerProps) {
  const { t, i18n } = useTranslation();
  const [name, setName] = useState('');
  const [languageCode, setLanguageCode] = useState(i18n.language);
  const [values, setValues] = useState<string[]>([]);
  // A value that looks like a code is held as in a reply: Send first offers "Send anyway".
  const codeHold = useCodeHold(values);

  const submit = async (confirmed: boolean) => {
    const held = codeHold.reasons.length > 0;
    if (held && !confirmed) {
      codeHold.ask();
      return;
    }
    const components = values.length === 0 ? [] : [{ type: 'body', parameters: values.map((text) => ({ type: 'text', text })) }];
    const draft = { kind: 'template', conversationId, name: name.trim(), languageCode: languageCode.trim(), components } as const;
    if (await send(held ? { ...draft, confirmedCode: true } : draft)) setValues([]);
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit(false);
  };

  return (
    <form className="composer template-composer" onSubmit={onSubmit} aria-label={t('template.formLabel')}>
      <p className="window-closed-note">{t('template.windowClosed')}</p>
      <CodeHoldWarning hold={codeHold} onConfirm={() => void submit(true)} disabled={pending} />
      <div className="template-row">
        <TextField
          label={t('template.name')}
          value={name}
          onChange={setName}
          required
          pattern="[a-z0-9_]+"
          spellCheck={false}
          placeholder={t('template.nameHint')}
          className="field-grow"
        />
        <TextField
          label={t('template.language')}
          value={languageCode}
          onChange={setLanguageCode}
          required
          pattern="[a-z]{2,3}(_[A-Z]{2})?"
          spellCheck={false}
          placeholder={t('template.languageHint')}
          className="field-narrow"
        />
        <button type="submit" className="button-primary" disabled={pending}>
          {t('template.send')}
        </button>
      </div>
      <BodyValues values={values} onChange={setValues} />
    </form>
  );
}
