/**
 * "Request personal data" in the composer: the agent ticks the kinds and chooses what they are
 * for; the request is written into the reply box in the interface's language
 * (personalDataRequestText) with that purpose chosen, and goes with Send like any message (the
 * server adds the line that tells the customer what for). A promotions request goes with Yes/No
 * buttons the customer can tap.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { personalDataRequestText } from '../../../common/personal-data/personal-data-purpose.js';
import { PERSONAL_DATA_KINDS } from '../../../common/personal-data/personal-data-words.js';
import type { PersonalDataKind } from '../../../common/personal-data/personal-data-words.js';
import { PurposeSelect, PurposeWords } from './PurposePrompt.js';
import type { PurposeChoice } from './use-personal-data-ask.js';
import { NO_PURPOSE, purposeOf, usePurposeLanguage } from './use-personal-data-ask.js';

export function RequestPersonalData({ onCompose, disabled }: { onCompose: (text: string, choice: PurposeChoice) => void; disabled: boolean }) {
  const { t } = useTranslation();
  const language = usePurposeLanguage();
  const [open, setOpen] = useState(false);
  const [kinds, setKinds] = useState<readonly PersonalDataKind[]>([]);
  const [choice, setChoice] = useState<PurposeChoice>(NO_PURPOSE);
  if (!open) {
    return (
      <button type="button" className="button-link" onClick={() => setOpen(true)} disabled={disabled}>
        {t('personalData.request')}
      </button>
    );
  }
  const toggle = (kind: PersonalDataKind) =>
    setKinds((before) =>
      before.includes(kind) ? before.filter((each) => each !== kind) : PERSONAL_DATA_KINDS.filter((each) => each === kind || before.includes(each)),
    );
  const ready = kinds.length > 0 && purposeOf(choice) !== undefined;
  return (
    <fieldset className="personal-data-request">
      <legend>{t('personalData.requestTitle')}</legend>
      <div className="personal-data-kinds">
        {PERSONAL_DATA_KINDS.map((kind) => (
          <label key={kind}>
            <input type="checkbox" checked={kinds.includes(kind)} onChange={() => toggle(kind)} /> {t(`personalData.kind.${kind}`)}
          </label>
        ))}
      </div>
      <div className="personal-data-fields">
        <PurposeSelect value={choice.purpose} onChange={(purpose) => setChoice({ ...choice, purpose })} label={t('personalData.purposeLabel')} />
        {choice.purpose === 'other' ? <PurposeWords value={choice.text} onChange={(text) => setChoice({ ...choice, text })} /> : null}
      </div>
      <div className="personal-data-actions">
        <button
          type="button"
          className="button-secondary"
          disabled={!ready}
          onClick={() => {
            onCompose(personalDataRequestText(kinds, language), choice);
            setOpen(false);
            setKinds([]);
            setChoice(NO_PURPOSE);
          }}
        >
          {t('personalData.compose')}
        </button>
        <button type="button" className="button-link" onClick={() => setOpen(false)}>
          {t('personalData.cancel')}
        </button>
      </div>
    </fieldset>
  );
}
