/**
 * The offline requeue as a durable job (server/jobs/): when a member goes offline (their event
 * sockets closed, or every workstation of theirs locked), one job per team of theirs whose
 * setting says how long (`teams.offline_requeue_after_seconds`) is scheduled for then, in a
 * transaction of its own; coming back (connected and unlocked: away still counts as here, it only
 * takes no new conversations) cancels them. When one runs and the member is still not back, their
 * conversations of that team go back to its queue (team-queue.ts), audited as one act of routing.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { appendAudit } from '../audit/audit-log.js';
import type { JobRunner } from '../jobs/job-runner.js';
import { jobKind } from '../jobs/job-kind.js';
import type { AgentOnline } from '../presence/shared-state.js';
import type { StoreTransaction } from '../store/group-commit.js';
import type { WhoIsOnline } from './team-queue.js';
import { requeueOfflineMember } from './team-queue.js';

export const OFFLINE_REQUEUE = 'team.offline_requeue';

export const offlineRequeueKey = (agentId: number, teamId: number) => `agent:${agentId}:team:${teamId}`;

/** Here for the requeue: connected with a workstation unlocked (available or away). */
export const isHere = (state: Pick<AgentOnline, 'connected' | 'locked'>) => state.connected && !state.locked;

const Payload = z.object({ agentId: z.number().int().positive(), teamId: z.number().int().positive() }).strict();

export interface AgentStates extends WhoIsOnline {
  stateOf(agentId: number): AgentOnline;
}

export function offlineRequeueKind(online: AgentStates) {
  return jobKind({
    kind: OFFLINE_REQUEUE,
    payload: Payload,
    run: async ({ trx, payload, now }) => {
      if (isHere(online.stateOf(payload.agentId))) return;
      const requeued = await requeueOfflineMember(trx, payload.agentId, payload.teamId, online, now);
      if (requeued === 0) return;
      await appendAudit(
        trx,
        {
          event: 'conversation.requeued_offline',
          outcome: 'ok',
          actor: 'routing',
          agentId: null,
          details: { subjectAgentId: payload.agentId, teamId: payload.teamId, requeued },
        },
        now,
      );
    },
  });
}

/** The member went offline: a requeue waits for each of their teams that has the setting (kept as it was if one waits already). */
export async function scheduleOfflineRequeues(trx: StoreTransaction, jobs: Pick<JobRunner, 'schedule'>, agentId: number, now: number): Promise<number> {
  const teams = await trx
    .selectFrom('team_members as m')
    .innerJoin('teams as t', 't.id', 'm.team_id')
    .select(['t.id', 't.offline_requeue_after_seconds'])
    .where('m.agent_id', '=', agentId)
    .where('t.offline_requeue_after_seconds', 'is not', null)
    .execute();
  for (const team of teams) {
    await jobs.schedule(trx, {
      kind: OFFLINE_REQUEUE,
      dueAt: now + (team.offline_requeue_after_seconds ?? 0) * 1000,
      payload: { agentId, teamId: team.id },
      dedupeKey: offlineRequeueKey(agentId, team.id),
    });
  }
  return teams.length;
}

/** The member is back: whatever requeue of theirs waits goes. */
export async function cancelOfflineRequeues(trx: StoreTransaction, agentId: number, now: number): Promise<void> {
  await trx
    .updateTable('jobs')
    .set({ state: 'cancelled', finished_at: now, updated_at: now })
    .where('state', '=', sql.lit('waiting'))
    .where('kind', '=', OFFLINE_REQUEUE)
    .where('dedupe_key', 'like', `agent:${agentId}:team:%`)
    .execute();
}
