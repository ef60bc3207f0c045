/**
 * The template as the customer will see it on their phone, filled with what the agent typed so far:
 * the header (its text, or the file chosen for it), the body, the footer and the buttons. A value
 * not given yet shows as its variable, marked, so the agent sees what is left.
 */
import { Fragment } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Attachment } from '../../../common/ipc/contract.js';
import type { PickableTemplate } from './template-choices.js';
import type { FilledValues } from './template-values.js';

const VARIABLE = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The text with each variable replaced by its value, or marked when it has none yet. */
function Filled({ text, values }: { text: string; values: Readonly<Record<string, string>> }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(VARIABLE)) {
    const name = match[1] ?? '';
    parts.push(<Fragment key={`t${last}`}>{text.slice(last, match.index)}</Fragment>);
    const value = (values[name] ?? '').trim();
    parts.push(
      value === '' ? (
        <mark key={`v${match.index}`} className="template-preview-missing">{`{{${name}}}`}</mark>
      ) : (
        <Fragment key={`v${match.index}`}>{value}</Fragment>
      ),
    );
    last = match.index + match[0].length;
  }
  parts.push(<Fragment key="end">{text.slice(last)}</Fragment>);
  return <>{parts}</>;
}

function MediaHeader({ format, file }: { format: string; file: Attachment | null }) {
  const { t } = useTranslation();
  return (
    <p className="template-preview-media">
      {t('templates.previewMedia', { kind: t(`templates.header.kind.${format}`) })}
      {file === null ? null : <span className="file-name"> {file.filename}</span>}
    </p>
  );
}

export function TemplatePreview({ template, values }: { template: PickableTemplate; values: FilledValues }) {
  const { t } = useTranslation();
  const { header, body, footer, buttons } = template.components;
  return (
    <figure className="template-preview" aria-label={t('templates.preview')}>
      <figcaption className="template-preview-caption">{t('templates.preview')}</figcaption>
      <div className="template-preview-bubble">
        {header === null ? null : header.format === 'TEXT' ? (
          <p className="template-preview-header">
            <Filled text={header.text} values={values.header} />
          </p>
        ) : (
          <MediaHeader format={header.format} file={values.headerFile} />
        )}
        <p className="template-preview-body">
          <Filled text={body.text} values={values.body} />
        </p>
        {footer === null ? null : <p className="template-preview-footer">{footer}</p>}
        {buttons.length === 0 ? null : (
          <ul className="template-preview-buttons">
            {buttons.map((button, index) => (
              <li key={index}>{button.text}</li>
            ))}
          </ul>
        )}
      </div>
    </figure>
  );
}
