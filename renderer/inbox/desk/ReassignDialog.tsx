/**
 * The supervisor's bulk reassignment, opened from a member's row of the Overview: the conversations
 * of the team the member holds (from the server, as they were when the dialog opened), all chosen
 * to begin with; where they go (another member of the team, or back to its queue) and a note for
 * whoever receives them. The server moves all of them or none: a refusal marks the conversations
 * that stopped it, and the supervisor can leave them out and try again.
 */
import { useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BulkReassigned } from '../../../common/api/handover.js';
import type { SupervisedTeam, TeamMemberLoad } from '../../../common/api/supervision.js';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { useLoaded } from '../../admin/use-loaded.js';
import { useAction } from '../../api/use-action.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { useNow } from '../../components/use-now.js';
import { customerName } from '../conversations/conversation-list-state.js';
import { HandoverNoteField } from '../handover/HandoverNoteField.js';
import { StateBadge } from '../lifecycle/StateBadge.js';
import { messageTypeLabel } from '../message-type-label.js';

/** Where the chosen conversations go: back to the team's queue, or to this member. */
type Destination = 'queue' | number;

export interface Reassigned extends BulkReassigned {
  /** The member who received them; null: back to the team's queue. */
  readonly to: TeamMemberLoad | null;
}

interface ReassignDialogProps {
  readonly team: SupervisedTeam;
  readonly member: TeamMemberLoad;
  readonly onDone: (result: Reassigned) => void;
  readonly onCancel: () => void;
}

/** What the server's refusal says of each conversation it names, for the row that shows it. */
function refusalWords(t: ReturnType<typeof useTranslation>['t'], failure: IpcFailure | null, receiver: TeamMemberLoad | null): string | null {
  if (failure?.code === 'bulk_reassign_not_found') return t('desk.reassign.refusedNotFound');
  if (failure?.code === 'transfer_agent_not_in_team') return t('desk.reassign.refusedNotInTeam', { name: receiver?.displayName ?? '' });
  return null;
}

export function ReassignDialog({ team, member, onDone, onCancel }: ReassignDialogProps) {
  const { t } = useTranslation();
  const now = useNow(30_000);
  const load = useCallback(() => window.sportello.listMemberConversations({ teamId: team.teamId, agentId: member.agentId }), [team.teamId, member.agentId]);
  const held = useLoaded(load);
  // Those left out: every conversation listed is chosen to begin with.
  const [leftOut, setLeftOut] = useState<ReadonlySet<number>>(new Set());
  const [destination, setDestination] = useState<Destination>('queue');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<IpcFailure | null>(null);
  const ids = { all: useId(), to: useId() };
  const items = held.value?.items ?? [];
  const chosen = items.map((item) => item.id).filter((id) => !leftOut.has(id));
  const others = team.members.filter((candidate) => candidate.agentId !== member.agentId);
  const receiver = destination === 'queue' ? null : (others.find((candidate) => candidate.agentId === destination) ?? null);
  const move = useAction(
    (conversationIds: number[]) =>
      window.sportello.bulkReassign({
        conversationIds,
        ...(receiver === null ? {} : { agentId: receiver.agentId }),
        ...(note.trim() === '' ? {} : { note: note.trim() }),
      }),
    (result) => onDone({ ...result, to: receiver }),
  );
  const refused = new Set(move.failure?.conversationIds ?? []);
  const why = refusalWords(t, move.failure, receiver);
  const toggle = (id: number, on: boolean) =>
    setLeftOut((current) => {
      const next = new Set(current);
      if (on) next.delete(id);
      else next.add(id);
      return next;
    });
  // Leaving out what stopped it helps only when something else is chosen (a receiver outside the team stops them all: pick another).
  const canLeaveOut = refused.size > 0 && chosen.some((id) => !refused.has(id));
  const leaveOut = () => {
    setLeftOut((current) => new Set([...current, ...refused]));
    move.clearFailure();
  };
  const confirm = () => {
    if (chosen.length === 0) {
      setProblem({ ok: false, code: 'reassign_pick_conversations', message: '' });
      return;
    }
    setProblem(null);
    void move.run(chosen);
  };
  return (
    <Dialog
      title={t('desk.reassign.title', { name: member.displayName })}
      confirmLabel={t('desk.reassign.confirm', { count: chosen.length })}
      onConfirm={confirm}
      onCancel={onCancel}
      pending={move.pending || held.value === null || items.length === 0}
    >
      <p className="muted">{t('desk.reassign.intro', { name: member.displayName, team: team.name })}</p>
      <ErrorNotice problem={held.failure} />
      {held.value === null && held.failure === null ? <p className="muted">{t('desk.reassign.loading', { name: member.displayName })}</p> : null}
      {held.value !== null && items.length === 0 ? <p className="muted">{t('desk.reassign.none', { name: member.displayName, team: team.name })}</p> : null}
      {held.value === null || items.length === 0 ? null : (
        <div className="transfer-fields">
          {held.value.total > items.length ? <p className="muted">{t('desk.reassign.some', { shown: items.length, total: held.value.total })}</p> : null}
          <fieldset className="reassign-choices">
            <legend>{t('desk.reassign.listLabel')}</legend>
            <label className="reassign-all" htmlFor={ids.all}>
              <input
                id={ids.all}
                type="checkbox"
                checked={chosen.length === items.length}
                onChange={(event) => setLeftOut(new Set(event.target.checked ? [] : items.map((item) => item.id)))}
              />
              {t('desk.reassign.all', { count: items.length })}
            </label>
            <ul className="reassign-list">
              {items.map((item) => (
                <li key={item.id} className={refused.has(item.id) ? 'reassign-item reassign-refused' : 'reassign-item'}>
                  <label>
                    <input type="checkbox" checked={!leftOut.has(item.id)} onChange={(event) => toggle(item.id, event.target.checked)} />
                    <span className="reassign-who">{customerName(item)}</span>
                    <StateBadge conversation={item} now={now} />
                  </label>
                  {item.lastMessage === null ? null : (
                    <span className="reassign-preview">{item.lastMessage.text ?? messageTypeLabel(t, item.lastMessage.type)}</span>
                  )}
                  {refused.has(item.id) && why !== null ? <span className="reassign-why">{why}</span> : null}
                </li>
              ))}
            </ul>
          </fieldset>
          <div className="transfer-field">
            <label htmlFor={ids.to}>{t('desk.reassign.to')}</label>
            <select
              id={ids.to}
              value={destination}
              onChange={(event) => {
                // The last refusal was about the other choice.
                move.clearFailure();
                setDestination(event.target.value === 'queue' ? 'queue' : Number(event.target.value));
              }}
            >
              <option value="queue">{t('desk.reassign.queue', { team: team.name })}</option>
              {others.map((other) => (
                <option key={other.agentId} value={other.agentId}>
                  {t('desk.reassign.member', {
                    name: other.displayName,
                    load: t('desk.openOfCapacity', { open: other.open, capacity: other.capacity }),
                    presence: other.online ? t('desk.online') : t('desk.offline'),
                  })}
                </option>
              ))}
            </select>
          </div>
          <HandoverNoteField label={t('desk.reassign.note')} value={note} onChange={setNote} />
        </div>
      )}
      <ErrorNotice problem={problem ?? move.failure} />
      {refused.size === 0 ? null : (
        <div className="reassign-stopped">
          <p className="muted">{t('desk.reassign.stopped', { count: refused.size })}</p>
          {canLeaveOut ? (
            <button type="button" className="button-secondary" onClick={leaveOut}>
              {t('desk.reassign.leaveOut', { count: refused.size })}
            </button>
          ) : null}
        </div>
      )}
    </Dialog>
  );
}
