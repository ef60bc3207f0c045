/** A snooze's end as a job of the runner: the kind the server registers, and the scheduler the state routes use (server/inbox/snooze-wakeups.ts). */
import { sql } from 'kysely';
import { z } from 'zod';
import type { GroupCommitter } from '../store/group-commit.js';
import { SNOOZE_END, snoozeEndKey, wakeSnoozedConversation } from '../inbox/snooze-wakeups.js';
import type { SnoozeScheduler } from '../inbox/snooze-wakeups.js';
import { jobKind } from './job-kind.js';
import type { JobRunner } from './job-runner.js';

/** The job's conversation wakes when it runs (nothing, if it is no longer snoozed until then). */
export const snoozeEndKind = jobKind({
  kind: SNOOZE_END,
  payload: z.object({}).strict(),
  run: async ({ trx, job, now }) => {
    if (job.conversationId !== null) await wakeSnoozedConversation(trx, job.conversationId, now);
  },
});

export function snoozeScheduler(jobs: Pick<JobRunner, 'schedule'>): SnoozeScheduler {
  return {
    async wakeAt(trx, conversationId, until) {
      await jobs.schedule(trx, { kind: SNOOZE_END, dueAt: until, payload: {}, dedupeKey: snoozeEndKey(conversationId), conversationId, replace: true });
    },
  };
}

/**
 * Gives every snoozed conversation its wake-up, once at start: one snoozed by a build that woke
 * snoozes otherwise (before the runner) has none. The dedupe key makes it change nothing for one
 * that has its job. Answers how many were added.
 */
export async function scheduleMissingSnoozeEnds(committer: GroupCommitter, jobs: Pick<JobRunner, 'schedule'>): Promise<number> {
  return committer.submit(async (trx) => {
    const snoozed = await trx
      .selectFrom('conversations')
      .select(['id', 'snoozed_until'])
      .where('state', '=', sql.lit('snoozed'))
      .where('snoozed_until', 'is not', null)
      .execute();
    let added = 0;
    for (const row of snoozed) {
      const scheduled = await jobs.schedule(trx, {
        kind: SNOOZE_END,
        dueAt: row.snoozed_until ?? 0,
        payload: {},
        dedupeKey: snoozeEndKey(row.id),
        conversationId: row.id,
      });
      if (scheduled.created) added += 1;
    }
    return added;
  });
}
