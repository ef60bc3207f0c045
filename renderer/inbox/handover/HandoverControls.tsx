/**
 * Who has the conversation, in its header, and the hand-over controls: Claim (one waiting in the
 * queue), Transfer (a dialog: a colleague or a team, with a note), Unassign (back to the team's
 * queue). Offered to the assignee and to supervisors; the server decides (a refusal is shown
 * beside the buttons). The assignee's name is the summary's (`ConversationSummary.assignee`).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HandedOver, TransferBody } from '../../../common/api/handover.js';
import type { ConversationSummary } from '../../../common/api/inbox.js';
import type { IpcResult } from '../../../common/ipc/ipc-result.js';
import { useAction } from '../../api/use-action.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { TransferDialog } from './TransferDialog.js';

interface HandoverControlsProps {
  readonly conversation: ConversationSummary;
  readonly selfId: number;
  /** The signed-in agent holds `supervisor` (the server checks they supervise this team). */
  readonly supervisor: boolean;
  /** The conversation as the server answered, while this agent may still see it. */
  readonly onChanged: (conversation: ConversationSummary) => void;
}

export function HandoverControls({ conversation, selfId, supervisor, onChanged }: HandoverControlsProps) {
  const { t } = useTranslation();
  const [transferring, setTransferring] = useState(false);
  const handOver = useAction(
    (call: () => Promise<IpcResult<HandedOver>>) => call(),
    (answer) => {
      setTransferring(false);
      if (answer.conversation !== null) onChanged(answer.conversation);
    },
  );
  const { id: conversationId, assignedAgentId } = conversation;
  const mine = assignedAgentId === selfId;
  const mayHandOver = mine || supervisor;
  const name = assignedAgentId === null ? null : mine ? t('handover.you') : (conversation.assignee?.name ?? t('handover.someone'));
  const team = conversation.teamName ?? t('handover.someTeam');
  return (
    <div className="handover-controls">
      <span className="muted handover-assignee">{name === null ? t('handover.waitingInQueue', { team }) : t('handover.assignedTo', { name, team })}</span>
      <div className="state-actions" role="group" aria-label={t('handover.controlsLabel')}>
        {assignedAgentId === null ? (
          <button
            type="button"
            className="button-secondary"
            disabled={handOver.pending}
            onClick={() => void handOver.run(() => window.sportello.claimConversation({ conversationId }))}
          >
            {t('handover.claim')}
          </button>
        ) : null}
        {mayHandOver ? (
          <button
            type="button"
            className="button-secondary"
            disabled={handOver.pending}
            onClick={() => {
              handOver.clearFailure();
              setTransferring(true);
            }}
          >
            {t('handover.transfer')}
          </button>
        ) : null}
        {assignedAgentId !== null && mayHandOver ? (
          <button
            type="button"
            className="button-secondary"
            disabled={handOver.pending}
            onClick={() => void handOver.run(() => window.sportello.unassignConversation({ conversationId, fromAgentId: assignedAgentId }))}
          >
            {t('handover.unassign')}
          </button>
        ) : null}
      </div>
      {transferring ? null : <ErrorNotice problem={handOver.failure} />}
      {transferring ? (
        <TransferDialog
          conversationId={conversationId}
          selfId={selfId}
          pending={handOver.pending}
          failure={handOver.failure}
          onCancel={() => setTransferring(false)}
          onTransfer={(transfer: TransferBody) => void handOver.run(() => window.sportello.transferConversation({ conversationId, transfer }))}
        />
      ) : null}
    </div>
  );
}
