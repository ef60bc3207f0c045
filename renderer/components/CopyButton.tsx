import { useState } from 'react';
import { useTranslation } from 'react-i18next';

type CopyOutcome = 'idle' | 'copied' | 'refused';

/** Copies text to the clipboard; if the workstation refuses, says to select and copy by hand. */
export function CopyButton({ text }: { text: string }) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<CopyOutcome>('idle');
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setOutcome('copied'),
      () => setOutcome('refused'),
    );
  };
  return (
    <>
      <button type="button" className="button-secondary" onClick={copy}>
        {t('copy.button')}
      </button>
      <span className="copy-outcome" role="status">
        {outcome === 'copied' ? t('copy.copied') : outcome === 'refused' ? t('copy.refused') : ''}
      </span>
    </>
  );
}
