/** The note that goes with a hand-over (a transfer, a bulk reassignment): kept as an internal note, shown to whoever receives the conversation, never to the customer. */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_NOTE_LENGTH } from '../../../common/notes/note-text.js';

export function HandoverNoteField({ label, value, onChange }: { label: string; value: string; onChange: (note: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="transfer-field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={3}
        maxLength={MAX_NOTE_LENGTH}
        value={value}
        placeholder={t('handover.notePlaceholder')}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}
