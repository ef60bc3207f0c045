/**
 * The conversation's state in its header, and what the agent can do with it: resolve, reopen,
 * mark it pending (waiting for the customer), snooze it until a time. Plain buttons in the tab
 * order; the snooze picker is a dialog. A refusal (the customer wrote again meanwhile, a time
 * that has passed) is shown beside them.
 */
import { useState } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChangeConversationStateBody } from '../../../common/api/conversation-lifecycle.js';
import type { ConversationSummary } from '../../../common/api/inbox.js';
import { useAction } from '../../api/use-action.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { useTimeFormat } from '../../components/use-time-format.js';
import { SnoozeDialog } from './SnoozeDialog.js';
import { StateBadge } from './StateBadge.js';

interface StateControlsProps {
  readonly conversation: ConversationSummary;
  /** Shown on the state's line (the 24-hour window). */
  readonly children?: ReactNode;
  readonly now: number;
  /** The conversation as the server answered, before the feed confirms it. */
  readonly onChanged: (conversation: ConversationSummary) => void;
}

export function StateControls({ conversation, now, onChanged, children }: StateControlsProps) {
  const { t } = useTranslation();
  const format = useTimeFormat();
  const [snoozing, setSnoozing] = useState(false);
  const change = useAction(
    (body: ChangeConversationStateBody) => window.sportello.changeConversationState({ conversationId: conversation.id, change: body }),
    (changed) => {
      setSnoozing(false);
      onChanged(changed);
    },
  );
  const { state, resolvedBy, resolvedAt } = conversation;
  const button = (label: string, body: ChangeConversationStateBody, primary = false) => (
    <button type="button" className={primary ? 'button-primary' : 'button-secondary'} disabled={change.pending} onClick={() => void change.run(body)}>
      {label}
    </button>
  );
  return (
    <div className="state-controls">
      <div className="state-line">
        {children}
        <StateBadge conversation={conversation} now={now} showOpen />
        {state === 'resolved' && resolvedBy !== null && resolvedAt !== null ? (
          <span className="muted resolved-by">{t('lifecycle.resolvedBy', { name: resolvedBy.name, time: format.moment(resolvedAt, now) })}</span>
        ) : null}
      </div>
      <div className="state-actions" role="group" aria-label={t('lifecycle.controlsLabel')}>
        {state === 'open' ? null : button(t('lifecycle.reopen'), { state: 'open' })}
        {state === 'open' || state === 'snoozed' ? button(t('lifecycle.markPending'), { state: 'pending' }) : null}
        {state === 'resolved' ? null : (
          <button
            type="button"
            className="button-secondary"
            disabled={change.pending}
            onClick={() => {
              change.clearFailure();
              setSnoozing(true);
            }}
          >
            {t('lifecycle.snooze')}
          </button>
        )}
        {state === 'resolved' ? null : button(t('lifecycle.resolve'), { state: 'resolved' }, true)}
      </div>
      {snoozing ? null : <ErrorNotice problem={change.failure} />}
      {snoozing ? (
        <SnoozeDialog
          pending={change.pending}
          failure={change.failure}
          onCancel={() => setSnoozing(false)}
          onSnooze={(until) => void change.run({ state: 'snoozed', until })}
        />
      ) : null}
    </div>
  );
}
