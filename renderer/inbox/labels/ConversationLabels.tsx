/**
 * The open conversation's labels: each can be taken off, and one of the labels that fit it (the
 * global ones and its team's) put on. The answer shows at once; the feed tells the other viewers.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../common/api/inbox.js';
import type { LabelView } from '../../../common/api/replies.js';
import { useAction } from '../../api/use-action.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { LabelChips } from './LabelChips.js';

interface ConversationLabelsProps {
  readonly conversation: ConversationSummary;
  readonly labels: readonly LabelView[];
  readonly onChanged: (conversation: ConversationSummary) => void;
}

export function ConversationLabels({ conversation, labels, onChanged }: ConversationLabelsProps) {
  const { t } = useTranslation();
  const id = useId();
  const change = useAction(
    (labelId: number, on: boolean) => window.sportello.setConversationLabel({ conversationId: conversation.id, labelId, on }),
    onChanged,
  );
  const carried = new Set(conversation.labels.map((label) => label.id));
  const addable = labels.filter((label) => !carried.has(label.id) && (label.teamId === null || label.teamId === conversation.teamId));
  return (
    <div className="conversation-labels">
      <LabelChips labels={conversation.labels} onRemove={(label) => void change.run(label.id, false)} disabled={change.pending} />
      {addable.length === 0 ? null : (
        <>
          <label htmlFor={id} className="visually-hidden">
            {t('labels.add')}
          </label>
          <select
            id={id}
            className="label-add"
            value=""
            disabled={change.pending}
            onChange={(event) => {
              if (event.target.value !== '') void change.run(Number(event.target.value), true);
            }}
          >
            <option value="">{t('labels.add')}</option>
            {addable.map((label) => (
              <option key={label.id} value={label.id}>
                {label.name}
              </option>
            ))}
          </select>
        </>
      )}
      <ErrorNotice problem={change.failure} />
    </div>
  );
}
