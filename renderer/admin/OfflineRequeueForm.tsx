/**
 * A team's offline requeue time on the teams screen: how long a member may be offline
 * (disconnected or locked) before their open conversations of the team go back to its queue.
 * In minutes here (the API and the admin CLI take seconds); empty: never.
 */
import type { FormEvent } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TeamView } from '../../common/api/teams.js';
import type { IpcResult } from '../../common/ipc/ipc-result.js';
import { TextField } from '../components/TextField.js';

const minutesOf = (seconds: number | null) => (seconds === null ? '' : String(Math.round((seconds / 60) * 100) / 100));

export function OfflineRequeueForm({ team, act }: { team: TeamView; act: (call: () => Promise<IpcResult<TeamView>>, words: string) => void }) {
  const { t } = useTranslation();
  const [minutes, setMinutes] = useState(minutesOf(team.offlineRequeueAfterSeconds));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const seconds = minutes.trim() === '' ? null : Math.round(Number(minutes) * 60);
    act(
      () => window.sportello.adminUpdateTeam({ teamId: team.id, offlineRequeueAfterSeconds: seconds }),
      seconds === null ? t('teams.offlineRequeueNever') : t('teams.offlineRequeueSet', { minutes: minutes.trim() }),
    );
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <TextField
        label={t('teams.offlineRequeue')}
        type="number"
        min={0}
        step="any"
        value={minutes}
        onChange={setMinutes}
        placeholder={t('teams.offlineRequeueHint')}
      />
      <button type="submit" className="button-secondary" disabled={minutes === minutesOf(team.offlineRequeueAfterSeconds)}>
        {t('teams.setCapacity')}
      </button>
    </form>
  );
}
