/** A team's target time for a first answer (migration 0035): set by its supervisors or an admin, audited. */
import type { TeamTarget } from '../../common/analytics/analytics-report.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { appendAudit } from '../audit/audit-log.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { AnalyticsViewer } from './analytics-scope.js';
import type { Actor } from '../audit/actor.js';

export async function setTeamTarget(
  committer: GroupCommitter,
  viewer: AnalyticsViewer & { readonly deviceId: number | null },
  actor: Actor,
  teamId: number,
  seconds: number,
  now: number,
): Promise<TeamTarget> {
  if (!viewer.roles.includes('admin') && !viewer.supervises.includes(teamId)) {
    throw new CodedError('analytics_scope_forbidden', `You may set the targets of the teams you supervise only: team ${teamId} is not among them.`);
  }
  return await committer.submit(async (trx) => {
    const team = await trx.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst();
    if (team === undefined) throw new CodedError('team_not_found', `There is no team ${teamId}.`);
    await trx
      .insertInto('analytics_team_targets')
      .values({ team_id: teamId, first_response_target_seconds: seconds, updated_at: now })
      .onConflict((oc) => oc.column('team_id').doUpdateSet({ first_response_target_seconds: seconds, updated_at: now }))
      .execute();
    await appendAudit(
      trx,
      {
        event: 'analytics.team_target_set',
        outcome: 'ok',
        actor: actor.name,
        agentId: actor.agentId,
        deviceId: viewer.deviceId,
        sourceAddress: actor.sourceAddress,
        details: { teamId, firstResponseTargetSeconds: seconds },
      },
      now,
    );
    return { teamId, firstResponseTargetSeconds: seconds };
  });
}
