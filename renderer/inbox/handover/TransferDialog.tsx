/**
 * The transfer dialog: to a colleague (of the conversation's team, or of another team picked
 * first) or to a team's queue, with an optional note the receiver is shown (kept as an internal
 * note, never sent to the customer). Colleagues at capacity are marked: the server refuses them
 * to an agent (a supervisor may still choose them).
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TransferBody, TransferTargets } from '../../../common/api/handover.js';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { settle } from '../../api/use-action.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { HandoverNoteField } from './HandoverNoteField.js';

interface TransferDialogProps {
  readonly conversationId: number;
  readonly selfId: number;
  readonly pending: boolean;
  /** The server's refusal of the last try. */
  readonly failure: IpcFailure | null;
  readonly onTransfer: (transfer: TransferBody) => void;
  readonly onCancel: () => void;
}

type Target = 'agent' | 'team';

export function TransferDialog({ conversationId, selfId, pending, failure, onTransfer, onCancel }: TransferDialogProps) {
  const { t } = useTranslation();
  const [targets, setTargets] = useState<TransferTargets | null>(null);
  const [loadFailure, setLoadFailure] = useState<IpcFailure | null>(null);
  const [target, setTarget] = useState<Target>('agent');
  const [teamId, setTeamId] = useState<number | null>(null);
  const [agentId, setAgentId] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<IpcFailure | null>(null);
  const ids = { target: useId(), team: useId(), agent: useId() };
  useEffect(() => {
    let live = true;
    void settle(window.sportello.listTransferTargets({ conversationId })).then((result) => {
      if (!live) return;
      if (!result.ok) return setLoadFailure(result);
      setTargets(result.value);
      setTeamId(result.value.teams.find((team) => team.current)?.teamId ?? result.value.teams[0]?.teamId ?? null);
    });
    return () => {
      live = false;
    };
  }, [conversationId]);
  const team = targets?.teams.find((candidate) => candidate.teamId === teamId);
  const members = (team?.members ?? []).filter((member) => member.agentId !== selfId);
  const confirm = () => {
    if (team === undefined || (target === 'agent' && agentId === null)) {
      setProblem({ ok: false, code: 'transfer_pick_receiver', message: '' });
      return;
    }
    setProblem(null);
    const trimmed = note.trim();
    onTransfer({
      ...(target === 'agent' && agentId !== null ? { agentId } : {}),
      ...(target === 'team' || !team.current ? { teamId: team.teamId } : {}),
      ...(trimmed === '' ? {} : { note: trimmed }),
    });
  };
  return (
    <Dialog
      title={t('handover.transferTitle')}
      confirmLabel={t('handover.transferConfirm')}
      onConfirm={confirm}
      onCancel={onCancel}
      pending={pending || targets === null}
    >
      <p className="muted">{t('handover.transferIntro')}</p>
      {targets === null && loadFailure === null ? <p className="muted">{t('handover.loadingTargets')}</p> : null}
      <ErrorNotice problem={loadFailure} />
      {targets === null ? null : (
        <div className="transfer-fields">
          <fieldset className="transfer-choices">
            <legend className="visually-hidden">{t('handover.transferTo')}</legend>
            {(['agent', 'team'] as const).map((option) => (
              <label key={option} className="snooze-choice">
                <input type="radio" name={ids.target} checked={target === option} onChange={() => setTarget(option)} />
                {t(`handover.to.${option}`)}
              </label>
            ))}
          </fieldset>
          <div className="transfer-field">
            <label htmlFor={ids.team}>{t('handover.team')}</label>
            <select
              id={ids.team}
              value={teamId ?? ''}
              onChange={(event) => {
                setTeamId(Number(event.target.value));
                setAgentId(null);
              }}
            >
              {targets.teams.map((option) => (
                <option key={option.teamId} value={option.teamId}>
                  {option.current ? t('handover.currentTeam', { name: option.name }) : option.name}
                </option>
              ))}
            </select>
          </div>
          {target === 'agent' ? (
            <div className="transfer-field">
              <label htmlFor={ids.agent}>{t('handover.agent')}</label>
              <select id={ids.agent} value={agentId ?? ''} onChange={(event) => setAgentId(event.target.value === '' ? null : Number(event.target.value))}>
                <option value="">{members.length === 0 ? t('handover.noMembers') : t('handover.pickAgent')}</option>
                {members.map((member) => (
                  <option key={member.agentId} value={member.agentId}>
                    {member.full ? t('handover.memberFull', { name: member.displayName }) : member.displayName}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <HandoverNoteField label={t('handover.note')} value={note} onChange={setNote} />
        </div>
      )}
      <ErrorNotice problem={problem ?? failure} />
    </Dialog>
  );
}
