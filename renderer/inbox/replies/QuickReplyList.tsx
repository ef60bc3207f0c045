/** The quick replies offered as `/` is typed: a listbox above the composer, the active one marked for the combobox. */
import { useTranslation } from 'react-i18next';
import type { OfferedReply } from './use-quick-reply-picker.js';

interface QuickReplyListProps {
  readonly id: string;
  readonly options: readonly OfferedReply[];
  readonly active: number;
  readonly onPick: (reply: OfferedReply) => void;
}

export const quickReplyOptionId = (listId: string, reply: OfferedReply) => `${listId}-${reply.id}`;

export function QuickReplyList({ id, options, active, onPick }: QuickReplyListProps) {
  const { t } = useTranslation();
  return (
    <ul id={id} role="listbox" className="mention-list quick-reply-list" aria-label={t('quickReplies.listLabel')} hidden={options.length === 0}>
      {options.map((reply, index) => (
        <li
          key={reply.id}
          id={quickReplyOptionId(id, reply)}
          role="option"
          aria-selected={index === active}
          className="mention-option quick-reply-option"
          // Picked before the box loses the focus, so the list is still there.
          onMouseDown={(event) => {
            event.preventDefault();
            onPick(reply);
          }}
        >
          <span className="quick-reply-shortcut">/{reply.shortcut}</span> <span className="quick-reply-text">{reply.text}</span>
        </li>
      ))}
    </ul>
  );
}
