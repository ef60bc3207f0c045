/**
 * The supervisor's view: for each team they supervise, its queue (how many wait, the longest for
 * how long), each member's load against capacity, online or not, with "Reassign…" to move what a
 * member holds (ReassignDialog.tsx), and the team's business hours and away message.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SupervisedTeam, TeamMemberLoad } from '../../../common/api/supervision.js';
import { TeamHours } from '../../admin/TeamHours.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { useNow } from '../../components/use-now.js';
import { ReassignDialog } from './ReassignDialog.js';
import type { Reassigned } from './ReassignDialog.js';
import { useSupervisorOverview } from './use-supervisor-overview.js';
import { WaitedLabel } from './WaitedLabel.js';
import { TeamScheduledMessages } from '../schedule/TeamScheduledMessages.js';

/** What the last reassignment did, in words: how many moved where, and how many were there already. */
function doneWords(t: ReturnType<typeof useTranslation>['t'], team: SupervisedTeam, from: TeamMemberLoad, result: Reassigned): string {
  const moved =
    result.to === null
      ? t('desk.reassign.doneToQueue', { count: result.moved.length, from: from.displayName, team: team.name })
      : t('desk.reassign.doneToMember', { count: result.moved.length, from: from.displayName, to: result.to.displayName });
  return result.unchanged.length === 0 ? moved : `${moved} ${t('desk.reassign.unchanged', { count: result.unchanged.length })}`;
}

function TeamOverview({ team, now }: { team: SupervisedTeam; now: number }) {
  const { t } = useTranslation();
  // The member whose conversations the dialog shows, as they were when it opened.
  const [reassigning, setReassigning] = useState<TeamMemberLoad | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <section className="panel supervised-team" aria-label={team.name}>
      <div className="panel-heading">
        <h2>{team.name}</h2>
        <p className="queue-summary">
          <span className="queue-length">{t('desk.queueLength', { count: team.queueLength })}</span>
          {team.oldestQueuedSince === null ? null : (
            <>
              {' · '}
              {t('desk.oldest')} <WaitedLabel since={team.oldestQueuedSince} now={now} />
            </>
          )}
        </p>
      </div>
      {team.members.length === 0 ? (
        <p className="muted">{t('desk.noMembers')}</p>
      ) : (
        <table className="admin-table member-load">
          <thead>
            <tr>
              <th scope="col">{t('desk.member')}</th>
              <th scope="col">{t('desk.load')}</th>
              <th scope="col">{t('desk.presence')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('desk.reassign.column')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {team.members.map((member) => (
              <tr key={member.agentId}>
                <td>{member.displayName}</td>
                <td>
                  <span className={member.open >= member.capacity ? 'load load-full' : 'load'}>
                    {t('desk.openOfCapacity', { open: member.open, capacity: member.capacity })}
                  </span>
                  <meter className="load-meter" min={0} max={Math.max(1, member.capacity)} value={member.open} aria-hidden="true" />
                </td>
                <td>
                  <span className={member.online ? 'status status-active' : 'status status-off'}>{member.online ? t('desk.online') : t('desk.offline')}</span>
                </td>
                <td className="member-actions">
                  {member.open === 0 ? null : (
                    <button
                      type="button"
                      className="button-secondary button-in-row"
                      aria-label={t('desk.reassign.openNamed', { name: member.displayName })}
                      onClick={() => {
                        setDone(null);
                        setReassigning(member);
                      }}
                    >
                      {t('desk.reassign.open')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {done === null ? null : (
        <p role="status" className="reassign-done">
          {done}
        </p>
      )}
      {reassigning === null ? null : (
        <ReassignDialog
          team={team}
          member={reassigning}
          onCancel={() => setReassigning(null)}
          onDone={(result) => {
            setDone(doneWords(t, team, reassigning, result));
            setReassigning(null);
          }}
        />
      )}
      <TeamHours teamId={team.teamId} />
    </section>
  );
}

export function SupervisorPanel() {
  const { t } = useTranslation();
  const now = useNow(15_000);
  const { overview, failure } = useSupervisorOverview();
  return (
    <div className="admin-screen supervisor-view">
      <h1 className="visually-hidden">{t('inbox.section.supervision')}</h1>
      <section className="panel">
        <h2>{t('desk.supervisionTitle')}</h2>
        <p className="muted">{t('desk.supervisionHint')}</p>
      </section>
      <ErrorNotice problem={failure} />
      {overview !== null && overview.teams.length === 0 ? <p className="muted">{t('desk.noTeams')}</p> : null}
      {(overview?.teams ?? []).map((team) => (
        <TeamOverview key={team.teamId} team={team} now={now} />
      ))}
      <TeamScheduledMessages />
    </div>
  );
}
