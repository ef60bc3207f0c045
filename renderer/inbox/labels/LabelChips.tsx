/** A conversation's labels as coloured chips (spans, so they may sit inside the list's row button) (the palette of common/api/replies.ts); with `onRemove`, each has a button taking it off. */
import { useTranslation } from 'react-i18next';
import type { ConversationLabel } from '../../../common/api/replies.js';

interface LabelChipsProps {
  readonly labels: readonly ConversationLabel[];
  readonly onRemove?: (label: ConversationLabel) => void;
  readonly disabled?: boolean;
}

export function LabelChips({ labels, onRemove, disabled = false }: LabelChipsProps) {
  const { t } = useTranslation();
  if (labels.length === 0) return null;
  return (
    <span className="label-chips" role="list" aria-label={t('labels.listLabel')}>
      {labels.map((label) => (
        <span key={label.id} role="listitem" className={`label-chip label-${label.color}`}>
          <span className="label-chip-name">{label.name}</span>
          {onRemove === undefined ? null : (
            <button
              type="button"
              className="label-chip-remove"
              aria-label={t('labels.remove', { name: label.name })}
              disabled={disabled}
              onClick={() => onRemove(label)}
            >
              ×
            </button>
          )}
        </span>
      ))}
    </span>
  );
}
