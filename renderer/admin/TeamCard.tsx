/** One team on the teams screen: its name, members with their capacities, supervisors; and the dialog that removes a team. */
import type { FormEvent } from 'react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgentView } from '../../common/api/admin.js';
import type { TeamMemberView, TeamView } from '../../common/api/teams.js';
import { DEFAULT_CAPACITY } from '../../common/api/teams.js';
import type { IpcResult } from '../../common/ipc/ipc-result.js';
import { useAction } from '../api/use-action.js';
import { Dialog } from '../components/Dialog.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { TextField } from '../components/TextField.js';
import { TeamHours } from './TeamHours.js';
import { OfflineRequeueForm } from './OfflineRequeueForm.js';

interface TeamCardProps {
  readonly team: TeamView;
  /** Every account that is not disabled, to add as a member or supervisor. */
  readonly agents: readonly AgentView[];
  readonly onChanged: (words: string) => void;
  readonly onRemove: () => void;
}

const reads = (agent: AgentView) => agent.roles.includes('agent') || agent.roles.includes('supervisor');

function CapacityCell({
  team,
  member,
  act,
}: {
  team: TeamView;
  member: TeamMemberView;
  act: (call: () => Promise<IpcResult<TeamView>>, words: string) => void;
}) {
  const { t } = useTranslation();
  const [capacity, setCapacity] = useState(String(member.capacity));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    act(
      () => window.sportello.adminSetTeamCapacity({ teamId: team.id, agentId: member.agentId, capacity: Number(capacity) }),
      t('teams.capacitySet', { name: member.displayName, capacity }),
    );
  };
  return (
    <form className="capacity-form" onSubmit={submit}>
      <input
        type="number"
        min={0}
        step={1}
        value={capacity}
        onChange={(event) => setCapacity(event.target.value)}
        aria-label={t('teams.capacityOf', { name: member.displayName })}
      />
      <button type="submit" className="button-secondary" disabled={capacity === String(member.capacity)}>
        {t('teams.setCapacity')}
      </button>
    </form>
  );
}

/** A choice of one account, by name and username. */
function AgentChoice({ label, agents, value, onChange }: { label: string; agents: readonly AgentView[]; value: string; onChange: (id: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)} required>
        <option value="">{t('teams.choose')}</option>
        {agents.map((agent) => (
          <option key={agent.id} value={agent.id}>
            {agent.displayName} ({agent.username})
          </option>
        ))}
      </select>
    </div>
  );
}

export function TeamCard({ team, agents, onChanged, onRemove }: TeamCardProps) {
  const { t } = useTranslation();
  const [newMember, setNewMember] = useState('');
  const [capacity, setCapacity] = useState(String(DEFAULT_CAPACITY));
  const [newSupervisor, setNewSupervisor] = useState('');
  const [renaming, setRenaming] = useState<string | null>(null);
  const [words, setWords] = useState('');
  const action = useAction(
    (call: () => Promise<IpcResult<TeamView>>) => call(),
    () => onChanged(words),
  );
  const act = (call: () => Promise<IpcResult<TeamView>>, done: string) => {
    setWords(done);
    void action.run(call);
  };
  const nameOf = (agentId: string) => agents.find((agent) => String(agent.id) === agentId)?.displayName ?? agentId;
  const candidates = agents.filter((agent) => reads(agent) && !team.members.some((member) => member.agentId === agent.id));
  const supervisors = agents.filter((agent) => agent.roles.includes('supervisor') && !team.supervisors.some((held) => held.agentId === agent.id));
  const addMember = (event: FormEvent) => {
    event.preventDefault();
    act(
      () => window.sportello.adminAddTeamMember({ teamId: team.id, agentId: Number(newMember), capacity: Number(capacity) }),
      t('teams.memberAdded', { name: nameOf(newMember), team: team.name }),
    );
    setNewMember('');
  };
  const addSupervisor = (event: FormEvent) => {
    event.preventDefault();
    act(
      () => window.sportello.adminAddTeamSupervisor({ teamId: team.id, agentId: Number(newSupervisor) }),
      t('teams.supervisorAdded', { name: nameOf(newSupervisor), team: team.name }),
    );
    setNewSupervisor('');
  };
  const rename = (event: FormEvent) => {
    event.preventDefault();
    if (renaming === null) return;
    act(() => window.sportello.adminUpdateTeam({ teamId: team.id, name: renaming }), t('teams.renamed', { name: renaming }));
    setRenaming(null);
  };
  return (
    <section className="panel team-card" aria-label={team.name}>
      <div className="team-heading">
        <h2>
          {team.name}
          {team.isDefault ? <span className="status status-active">{t('teams.default')}</span> : null}
        </h2>
        <div className="row-actions">
          <button type="button" className="button-secondary" onClick={() => setRenaming(team.name)} aria-label={`${t('teams.rename')}: ${team.name}`}>
            {t('teams.rename')}
          </button>
          <button type="button" className="button-danger-quiet" onClick={onRemove} aria-label={`${t('teams.remove')}: ${team.name}`}>
            {t('teams.remove')}
          </button>
        </div>
      </div>
      <p className="muted team-summary">
        {t('teams.summary', { count: team.conversationCount })}
        {team.numbers.length > 0 ? ` · ${t('teams.numbers', { numbers: team.numbers.join(', ') })}` : ''}
        {team.description === null ? '' : ` · ${team.description}`}
      </p>
      {renaming === null ? null : (
        <form className="inline-form" onSubmit={rename}>
          <TextField label={t('teams.newName')} value={renaming} onChange={setRenaming} autoComplete="off" required />
          <button type="submit" className="button-primary" disabled={action.pending}>
            {t('teams.rename')}
          </button>
          <button type="button" className="button-secondary" onClick={() => setRenaming(null)}>
            {t('common.cancel')}
          </button>
        </form>
      )}
      <OfflineRequeueForm team={team} act={act} />
      <h3>{t('teams.members')}</h3>
      {team.members.length === 0 ? (
        <p className="muted">{t('teams.noMembers')}</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t('agents.displayName')}</th>
              <th scope="col">{t('login.username')}</th>
              <th scope="col">{t('teams.capacity')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {team.members.map((member) => (
              <tr key={member.agentId}>
                <td>{member.displayName}</td>
                <td>{member.username}</td>
                <td>
                  <CapacityCell team={team} member={member} act={act} />
                </td>
                <td>
                  <button
                    type="button"
                    className="button-danger-quiet"
                    onClick={() =>
                      act(
                        () => window.sportello.adminRemoveTeamMember({ teamId: team.id, agentId: member.agentId }),
                        t('teams.memberRemoved', { name: member.displayName, team: team.name }),
                      )
                    }
                    aria-label={t('teams.removeMemberNamed', { name: member.displayName })}
                  >
                    {t('teams.removeMember')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="inline-form" onSubmit={addMember}>
        <AgentChoice label={t('teams.addMember')} agents={candidates} value={newMember} onChange={setNewMember} />
        <TextField label={t('teams.capacity')} type="number" min={0} step={1} value={capacity} onChange={setCapacity} required />
        <button type="submit" className="button-primary" disabled={action.pending || newMember === ''}>
          {t('teams.add')}
        </button>
      </form>
      <h3>{t('teams.supervisors')}</h3>
      {team.supervisors.length === 0 ? <p className="muted">{t('teams.noSupervisors')}</p> : null}
      <ul className="team-supervisors">
        {team.supervisors.map((supervisor) => (
          <li key={supervisor.agentId}>
            {supervisor.displayName} <span className="muted">({supervisor.username})</span>{' '}
            <button
              type="button"
              className="button-danger-quiet"
              onClick={() =>
                act(
                  () => window.sportello.adminRemoveTeamSupervisor({ teamId: team.id, agentId: supervisor.agentId }),
                  t('teams.supervisorRemoved', { name: supervisor.displayName, team: team.name }),
                )
              }
              aria-label={t('teams.removeSupervisorNamed', { name: supervisor.displayName })}
            >
              {t('teams.removeMember')}
            </button>
          </li>
        ))}
      </ul>
      <form className="inline-form" onSubmit={addSupervisor}>
        <AgentChoice label={t('teams.addSupervisor')} agents={supervisors} value={newSupervisor} onChange={setNewSupervisor} />
        <button type="submit" className="button-primary" disabled={action.pending || newSupervisor === ''}>
          {t('teams.add')}
        </button>
      </form>
      <ErrorNotice problem={action.failure} />
      <TeamHours teamId={team.id} />
    </section>
  );
}

export function RemoveTeamDialog({
  team,
  others,
  onDone,
  onCancel,
}: {
  team: TeamView;
  others: readonly TeamView[];
  onDone: (moved: number) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const moveToId = useId();
  const mustMove = team.conversationCount > 0;
  const [moveTo, setMoveTo] = useState(String(others[0]?.id ?? ''));
  const remove = useAction(
    () => window.sportello.adminRemoveTeam({ teamId: team.id, ...(mustMove ? { moveConversationsTo: Number(moveTo) } : {}) }),
    (removed) => onDone(removed.movedConversations),
  );
  return (
    <Dialog
      title={t('teams.removeTitle', { name: team.name })}
      confirmLabel={t('teams.remove')}
      onConfirm={() => void remove.run()}
      onCancel={onCancel}
      pending={remove.pending || (mustMove && moveTo === '')}
      destructive
    >
      <p>{t('teams.removeExplanation')}</p>
      {mustMove ? (
        others.length === 0 ? (
          <p className="warning-notice">{t('teams.noOtherTeam')}</p>
        ) : (
          <>
            <p>{t('teams.removeMove', { count: team.conversationCount })}</p>
            <div className="field">
              <label htmlFor={moveToId}>{t('teams.moveTo')}</label>
              <select id={moveToId} value={moveTo} onChange={(event) => setMoveTo(event.target.value)}>
                {others.map((other) => (
                  <option key={other.id} value={other.id}>
                    {other.name}
                  </option>
                ))}
              </select>
            </div>
          </>
        )
      ) : null}
      <ErrorNotice problem={remove.failure} />
    </Dialog>
  );
}
