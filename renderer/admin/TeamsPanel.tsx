/**
 * The teams screen: each team with its members (and how many open conversations each can hold
 * at once), its supervisors, the numbers that send to it and how many conversations it holds.
 * An admin creates, renames and removes teams and changes who is in them, as with the admin CLI
 * (`teams …`); each change takes effect at once on the workstations of the agents concerned.
 */
import type { FormEvent } from 'react';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgentView } from '../../common/api/admin.js';
import type { TeamView } from '../../common/api/teams.js';
import { useAction } from '../api/use-action.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { TextField } from '../components/TextField.js';
import { RemoveTeamDialog, TeamCard } from './TeamCard.js';
import { NumberTeams } from './NumberTeams.js';
import { RoutingRules } from './RoutingRules.js';
import { useLoaded } from './use-loaded.js';

function CreateTeam({ onCreated }: { onCreated: (team: TeamView) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useAction(
    () => window.sportello.adminCreateTeam({ name, ...(description.trim() === '' ? {} : { description }) }),
    (team) => {
      setName('');
      setDescription('');
      onCreated(team);
    },
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void create.run();
  };
  return (
    <section className="panel">
      <h2>{t('teams.createTitle')}</h2>
      <form className="inline-form" onSubmit={submit}>
        <TextField label={t('teams.name')} value={name} onChange={setName} autoComplete="off" required />
        <TextField label={t('teams.description')} value={description} onChange={setDescription} autoComplete="off" />
        <button type="submit" className="button-primary" disabled={create.pending}>
          {t('teams.create')}
        </button>
      </form>
      <ErrorNotice problem={create.failure} />
    </section>
  );
}

export function TeamsPanel() {
  const { t } = useTranslation();
  const loadTeams = useCallback(() => window.sportello.adminListTeams({}), []);
  const loadAgents = useCallback(() => window.sportello.adminListAgents({}), []);
  const teams = useLoaded(loadTeams);
  const agents = useLoaded(loadAgents);
  const [done, setDone] = useState<string | null>(null);
  const [removing, setRemoving] = useState<TeamView | null>(null);
  const changed = (words: string) => {
    setDone(words);
    teams.reload();
  };
  const all = teams.value?.teams ?? [];
  const people: readonly AgentView[] = (agents.value?.agents ?? []).filter((agent) => agent.status !== 'disabled');
  return (
    <div className="admin-screen">
      <h1 className="visually-hidden">{t('inbox.section.teams')}</h1>
      <ErrorNotice problem={teams.failure ?? agents.failure} />
      <p className="muted">{t('teams.explanation')}</p>
      {done === null ? null : (
        <p role="status" className="muted">
          {done}
        </p>
      )}
      {all.map((team) => (
        <TeamCard key={team.id} team={team} agents={people} onChanged={changed} onRemove={() => setRemoving(team)} />
      ))}
      <CreateTeam onCreated={(team) => changed(t('teams.created', { name: team.name }))} />
      <NumberTeams teams={all} onChanged={changed} />
      <RoutingRules teams={all} />
      {removing === null ? null : (
        <RemoveTeamDialog
          team={removing}
          others={all.filter((team) => team.id !== removing.id)}
          onDone={(moved) => {
            setRemoving(null);
            changed(moved === 0 ? t('teams.removed', { name: removing.name }) : t('teams.removedMoved', { name: removing.name, count: moved }));
          }}
          onCancel={() => setRemoving(null)}
        />
      )}
    </div>
  );
}
