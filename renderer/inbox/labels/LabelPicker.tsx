/** The list's label filter: every conversation, or only those carrying one label. Offered once there is a label. */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { LabelView } from '../../../common/api/replies.js';

interface LabelPickerProps {
  readonly labels: readonly LabelView[];
  /** undefined: any label or none. */
  readonly label: number | undefined;
  readonly onLabel: (label: number | undefined) => void;
  /** The list of labels is asked again as the picker takes the focus. */
  readonly onFocus: () => void;
}

export function LabelPicker({ labels, label, onLabel, onFocus }: LabelPickerProps) {
  const { t } = useTranslation();
  const id = useId();
  if (labels.length === 0) return null;
  return (
    <div className="number-picker label-picker">
      <label htmlFor={id}>{t('labels.filterLabel')}</label>
      <select id={id} value={label ?? ''} onFocus={onFocus} onChange={(event) => onLabel(event.target.value === '' ? undefined : Number(event.target.value))}>
        <option value="">{t('labels.anyLabel')}</option>
        {labels.map((option) => (
          <option key={option.id} value={option.id}>
            {option.name}
          </option>
        ))}
      </select>
    </div>
  );
}
