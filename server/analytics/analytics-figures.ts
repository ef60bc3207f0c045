/**
 * The small pieces of a report the reader puts together after its queries (the conversation
 * facts' figures are worked out in SQL: server/analytics/analytics-fact-figures.ts). Each figure's
 * rule is in docs/analytics.md; the tests work them out by hand.
 */
import type { Waiting } from '../../common/analytics/analytics-report.js';

export interface MessageCounts {
  messagesIn: number;
  messagesOut: number;
}

/** The conversations that wait now, of one team and holder: how many, and since when the oldest waits. */
export interface WaitingGroup {
  readonly teamKey: number;
  readonly agentId: number | null;
  readonly count: number;
  readonly oldestSince: number;
}

export function waitingOf(groups: readonly WaitingGroup[], now: number): Waiting {
  let count = 0;
  let oldest: number | null = null;
  for (const group of groups) {
    count += group.count;
    if (oldest === null || group.oldestSince < oldest) oldest = group.oldestSince;
  }
  return { count, oldestSince: oldest, oldestWaitSeconds: oldest === null ? null : Math.max(0, (now - oldest) / 1000) };
}
