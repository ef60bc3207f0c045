/** One rule of the briefing being edited (admins): its id, and its title and text in English and Italian. */
import { useTranslation } from 'react-i18next';
import type { BriefingRule } from '../../common/briefing/briefing.js';
import { TextField } from '../components/TextField.js';

export const EMPTY_RULE: BriefingRule = { id: '', title: { en: '', it: '' }, text: { en: '', it: '' } };

function TextArea({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  return (
    <label className="field">
      {label}
      <textarea rows={3} value={value} onChange={(event) => onChange(event.target.value)} />
    </label>
  );
}

export function BriefingRuleFields({
  rule,
  number,
  onChange,
  onRemove,
}: {
  rule: BriefingRule;
  number: number;
  onChange: (rule: BriefingRule) => void;
  onRemove: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="panel briefing-rule-fields">
      <legend>{t('briefing.admin.rule', { number })}</legend>
      <TextField label={t('briefing.admin.ruleId')} hint={t('briefing.admin.ruleIdHint')} value={rule.id} onChange={(id) => onChange({ ...rule, id })} />
      <TextField label={t('briefing.admin.titleEn')} value={rule.title.en} onChange={(en) => onChange({ ...rule, title: { ...rule.title, en } })} />
      <TextArea label={t('briefing.admin.textEn')} value={rule.text.en} onChange={(en) => onChange({ ...rule, text: { ...rule.text, en } })} />
      <TextField label={t('briefing.admin.titleIt')} value={rule.title.it} onChange={(it) => onChange({ ...rule, title: { ...rule.title, it } })} />
      <TextArea label={t('briefing.admin.textIt')} value={rule.text.it} onChange={(it) => onChange({ ...rule, text: { ...rule.text, it } })} />
      {onRemove === undefined ? null : (
        <button type="button" className="button-secondary" onClick={onRemove}>
          {t('briefing.admin.removeRule', { number })}
        </button>
      )}
    </fieldset>
  );
}
