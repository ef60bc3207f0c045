/**
 * The searchable list of templates an agent may send in this conversation: the customer's
 * language first, each with its category (Meta bills every template it delivers by category: the
 * agent sees that this starts a paid conversation) and, for one that cannot be chosen now, why.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from '../../components/TextField.js';
import { templateChoices } from './template-choices.js';
import type { PickableTemplate, TemplateChoice } from './template-choices.js';
import type { Recategorised } from './use-conversation-templates.js';

interface TemplatePickerProps {
  readonly templates: readonly PickableTemplate[];
  /** The customer's language as the server judges it (null: not known). */
  readonly language: string | null;
  readonly marketingOptedOut: boolean;
  readonly recategorised: Recategorised;
  readonly onChoose: (template: PickableTemplate) => void;
}

export function CategoryBadge({ category }: { category: PickableTemplate['category'] }) {
  const { t } = useTranslation();
  return <span className={`template-category template-category-${category.toLowerCase()}`}>{t(`templates.category.${category}`)}</span>;
}

interface ChoiceProps {
  readonly recategorised: Recategorised;
  readonly onChoose: (template: PickableTemplate) => void;
}

function ChoiceItem({ choice, recategorised, onChoose }: ChoiceProps & { choice: TemplateChoice }) {
  const { t } = useTranslation();
  const { template, unavailable } = choice;
  const moved = recategorised.get(template.id);
  const category = t(`templates.category.${template.category}`);
  return (
    <li className={`template-choice${unavailable === null ? '' : ' template-choice-unavailable'}`}>
      <button
        type="button"
        className="template-choice-button"
        disabled={unavailable !== null}
        aria-label={t('templates.choose', { name: template.name, language: template.language })}
        onClick={() => onChoose(template)}
      >
        <span className="template-choice-title">
          <span className="template-name">{template.name}</span> <span className="template-language">{template.language}</span>{' '}
          <CategoryBadge category={template.category} />
        </span>
        <span className="template-choice-body">{template.components.body.text}</span>
      </button>
      <span className="template-paid">{t('templates.paid', { category: category.toLowerCase() })}</span>
      {unavailable === null ? null : <span className="template-unavailable">{t(`templates.unavailable.${unavailable}`)}</span>}
      {moved === undefined ? null : (
        <span className="template-recategorised">
          {t('templates.recategorised', { from: t(`templates.category.${moved.from}`), to: t(`templates.category.${moved.to}`) })}
        </span>
      )}
    </li>
  );
}

function ChoiceGroup({ title, choices, ...item }: ChoiceProps & { title: string; choices: readonly TemplateChoice[] }) {
  if (choices.length === 0) return null;
  return (
    <section className="template-group" aria-label={title}>
      <h3 className="template-group-title">{title}</h3>
      <ul className="template-choices">
        {choices.map((choice) => (
          <ChoiceItem key={choice.template.id} choice={choice} {...item} />
        ))}
      </ul>
    </section>
  );
}

export function TemplatePicker({ templates, language, marketingOptedOut, recategorised, onChoose }: TemplatePickerProps) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const choices = templateChoices(templates, { language, query, marketingOptedOut });
  return (
    <div className="template-picker" role="group" aria-label={t('templates.pickerLabel')}>
      <TextField label={t('templates.search')} value={query} onChange={setQuery} type="search" placeholder={t('templates.searchHint')} spellCheck={false} />
      <div className="template-picker-list">
        <ChoiceGroup
          title={t('templates.inConversationLanguage', { language: language ?? '' })}
          choices={choices.inLanguage}
          recategorised={recategorised}
          onChoose={onChoose}
        />
        <ChoiceGroup title={t('templates.otherLanguages')} choices={choices.others} recategorised={recategorised} onChoose={onChoose} />
        {choices.inLanguage.length + choices.others.length === 0 ? <p className="template-none">{t('templates.none')}</p> : null}
      </div>
    </div>
  );
}
