/**
 * Shown in the composer while the text asks the customer for personal data: which kinds, a choice
 * of what they are for (the agent's own words for "other"), and the line Sportello will add to the
 * message once one is chosen (the server writes it in the customer's language). Send waits for a
 * purpose while the policy requires one.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { PERSONAL_DATA_PURPOSES, PURPOSE_TEXT_MAX, purposeLine } from '../../../common/personal-data/personal-data-purpose.js';
import type { PersonalDataPurposeKind } from '../../../common/personal-data/personal-data-purpose.js';
import type { PersonalDataAsk } from './use-personal-data-ask.js';
import { usePurposeLanguage } from './use-personal-data-ask.js';

export function PurposeSelect({
  value,
  onChange,
  label,
}: {
  value: PersonalDataPurposeKind | '';
  onChange: (value: PersonalDataPurposeKind | '') => void;
  label: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value as PersonalDataPurposeKind | '')}>
        <option value="">{t('personalData.choosePurpose')}</option>
        {PERSONAL_DATA_PURPOSES.map((purpose) => (
          <option key={purpose} value={purpose}>
            {t(`personalData.purpose.${purpose}`)}
          </option>
        ))}
      </select>
    </>
  );
}

export function PurposeWords({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <>
      <label htmlFor={id}>{t('personalData.otherLabel')}</label>
      <input id={id} type="text" value={value} maxLength={PURPOSE_TEXT_MAX} onChange={(event) => onChange(event.target.value)} />
    </>
  );
}

export function PurposePrompt({ ask }: { ask: PersonalDataAsk }) {
  const { t } = useTranslation();
  const language = usePurposeLanguage();
  if (ask.kinds.length === 0) return null;
  const { choice, choose } = ask;
  return (
    <div className="personal-data-prompt" role="group" aria-label={t('personalData.promptTitle')}>
      <p role={ask.missing ? 'alert' : undefined}>{t('personalData.asks', { kinds: ask.kinds.map((kind) => t(`personalData.kind.${kind}`)).join(', ') })}</p>
      <div className="personal-data-fields">
        <PurposeSelect value={choice.purpose} onChange={(purpose) => choose({ ...choice, purpose })} label={t('personalData.purposeLabel')} />
        {choice.purpose === 'other' ? <PurposeWords value={choice.text} onChange={(text) => choose({ ...choice, text })} /> : null}
      </div>
      {ask.purpose === undefined ? null : (
        <p className="personal-data-line">
          <span>{t('personalData.lineAdded')}</span> <q>{purposeLine(ask.kinds, ask.purpose, language, ask.privacyNoticeUrl)}</q>
        </p>
      )}
    </div>
  );
}
