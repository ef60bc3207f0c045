/** On the teams screen: which team each business number's new conversations go to (`adminSetNumberTeam`). */
import { useCallback, useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { BusinessNumberView } from '../../common/api/business-numbers.js';
import type { TeamView } from '../../common/api/teams.js';
import { useAction } from '../api/use-action.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useLoaded } from './use-loaded.js';

const DEFAULT = 'default';

function NumberTeam({ number, teams, onChanged }: { number: BusinessNumberView; teams: readonly TeamView[]; onChanged: (words: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const set = useAction(
    (teamId: number | null) => window.sportello.adminSetNumberTeam({ phoneNumberId: number.phoneNumberId, teamId }),
    (changed) =>
      onChanged(
        t('teams.numberTeamSet', {
          number: changed.displayName,
          team: teams.find((team) => team.id === changed.defaultTeamId)?.name ?? t('teams.defaultTeam'),
        }),
      ),
  );
  return (
    <li className="number-team">
      <label htmlFor={id}>
        {number.displayName} <code>{number.phoneNumberId}</code>
      </label>
      <select
        id={id}
        value={number.defaultTeamId === null ? DEFAULT : String(number.defaultTeamId)}
        disabled={set.pending}
        onChange={(event) => void set.run(event.target.value === DEFAULT ? null : Number(event.target.value))}
      >
        <option value={DEFAULT}>{t('teams.defaultTeam')}</option>
        {teams.map((team) => (
          <option key={team.id} value={team.id}>
            {team.name}
          </option>
        ))}
      </select>
      <ErrorNotice problem={set.failure} />
    </li>
  );
}

export function NumberTeams({ teams, onChanged }: { teams: readonly TeamView[]; onChanged: (words: string) => void }) {
  const { t } = useTranslation();
  const titleId = useId();
  const load = useCallback(() => window.sportello.adminListNumbers({}), []);
  const numbers = useLoaded(load);
  const changed = (words: string) => {
    numbers.reload();
    onChanged(words);
  };
  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('teams.numbersTitle')}</h2>
      <p className="muted">{t('teams.numbersExplanation')}</p>
      <ErrorNotice problem={numbers.failure} />
      <ul className="number-teams">
        {(numbers.value?.numbers ?? []).map((number) => (
          <NumberTeam key={number.phoneNumberId} number={number} teams={teams} onChanged={changed} />
        ))}
      </ul>
    </section>
  );
}
