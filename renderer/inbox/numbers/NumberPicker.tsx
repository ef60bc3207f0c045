/** Which business number's conversations the list and the search show: offered only when there is more than one. */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { BusinessNumberOption } from '../../../common/api/inbox.js';

interface NumberPickerProps {
  readonly numbers: readonly BusinessNumberOption[];
  /** undefined: every number. */
  readonly number: string | undefined;
  readonly onNumber: (number: string | undefined) => void;
}

export function NumberPicker({ numbers, number, onNumber }: NumberPickerProps) {
  const { t } = useTranslation();
  const id = useId();
  if (numbers.length < 2) return null;
  return (
    <div className="number-picker">
      <label htmlFor={id}>{t('conversations.numberLabel')}</label>
      <select id={id} value={number ?? ''} onChange={(event) => onNumber(event.target.value === '' ? undefined : event.target.value)}>
        <option value="">{t('conversations.anyNumber')}</option>
        {numbers.map((option) => (
          <option key={option.phoneNumberId} value={option.phoneNumberId}>
            {option.displayName}
          </option>
        ))}
      </select>
    </div>
  );
}
