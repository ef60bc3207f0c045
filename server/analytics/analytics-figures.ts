/**
 * The figures of a set of conversation facts and message counts (pure: the reader fetches, this
 * counts). Each figure's rule is in docs/analytics.md; the tests work them out by hand.
 */
import type { Durations, Figures, Waiting, WithinTarget } from '../../common/analytics/analytics-report.js';
import type { Period } from './analytics-period.js';

/** A conversation's facts as the reader fetched them (opened or resolved in the period). */
export interface Fact {
  readonly teamId: number | null;
  readonly agentId: number | null;
  readonly openedAt: number;
  readonly firstInboundAt: number | null;
  readonly firstResponseAt: number | null;
  readonly firstResponseAgentId: number | null;
  readonly resolvedAt: number | null;
  readonly resolvedByAgentId: number | null;
}

/** A conversation that waits for an answer now. */
export interface WaitingConversation {
  readonly teamId: number | null;
  readonly agentId: number | null;
  readonly awaitingSince: number;
}

export interface MessageCounts {
  messagesIn: number;
  messagesOut: number;
}

/** The nearest-rank percentile of sorted values: the smallest value at least `p` of them are at or below. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? null;
}

export function durationsOf(seconds: number[]): Durations {
  const sorted = seconds.sort((a, b) => a - b);
  return { count: sorted.length, median: nearestRank(sorted, 0.5), p90: nearestRank(sorted, 0.9) };
}

export interface FigureContext {
  readonly period: Period;
  readonly now: number;
  /** The first-answer target of a conversation's team, in seconds. */
  readonly targetOf: (teamId: number | null) => number;
}

const inPeriod = (at: number | null, period: Period): at is number => at !== null && at >= period.startsAt && at < period.endsAt;

/**
 * The figures of the facts, counts and waiting conversations given, for one agent when `agentId`
 * is given: then opened and waiting are the conversations they hold, resolved those they resolved,
 * first answers those they gave (and the unanswered ones they hold).
 */
export function figuresOf(
  context: FigureContext,
  facts: readonly Fact[],
  counts: MessageCounts,
  waiting: readonly WaitingConversation[],
  agentId?: number,
): Figures {
  const { period, now } = context;
  const mine = (id: number | null) => agentId === undefined || id === agentId;
  let opened = 0;
  let resolved = 0;
  const firstResponses: number[] = [];
  const resolutions: number[] = [];
  let within = 0;
  let counted = 0;
  for (const fact of facts) {
    if (inPeriod(fact.openedAt, period)) {
      if (mine(fact.agentId)) opened += 1;
      if (fact.firstInboundAt !== null) {
        const target = context.targetOf(fact.teamId) * 1000;
        if (fact.firstResponseAt !== null) {
          if (mine(fact.firstResponseAgentId)) {
            const wait = fact.firstResponseAt - fact.firstInboundAt;
            firstResponses.push(wait / 1000);
            counted += 1;
            if (wait <= target) within += 1;
          }
        } else if (mine(fact.agentId) && now - fact.firstInboundAt > target) {
          counted += 1;
        }
      }
    }
    if (inPeriod(fact.resolvedAt, period) && mine(fact.resolvedByAgentId)) {
      resolved += 1;
      resolutions.push((fact.resolvedAt - fact.openedAt) / 1000);
    }
  }
  const answeredWithinTarget: WithinTarget = { within, counted, share: counted === 0 ? null : within / counted };
  return {
    conversationsOpened: opened,
    conversationsResolved: resolved,
    firstResponse: durationsOf(firstResponses),
    resolution: durationsOf(resolutions),
    messagesIn: counts.messagesIn,
    messagesOut: counts.messagesOut,
    answeredWithinTarget,
    waiting: waitingOf(
      waiting.filter((conversation) => mine(conversation.agentId)),
      now,
    ),
  };
}

export function waitingOf(waiting: readonly WaitingConversation[], now: number): Waiting {
  let oldest: number | null = null;
  for (const conversation of waiting) if (oldest === null || conversation.awaitingSince < oldest) oldest = conversation.awaitingSince;
  return { count: waiting.length, oldestSince: oldest, oldestWaitSeconds: oldest === null ? null : Math.max(0, (now - oldest) / 1000) };
}
