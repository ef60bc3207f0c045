/**
 * The dashboard's periods as days on the agent's clock: the last 7 or 30 days (today included),
 * or two dates the supervisor picks. Dates are YYYY-MM-DD, the server's own form
 * (common/analytics/analytics-query.ts), counted on the calendar, never by 24-hour steps.
 */
import { MAX_PERIOD_DAYS, daysBetween } from '../../common/analytics/analytics-query.js';
import { dayKey } from '../components/time-format.js';

export type PeriodChoice = 'last7' | 'last30' | 'custom';

export interface Period {
  readonly from: string;
  readonly to: string;
}

/** The date `days` after (or before, when negative) `date`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The last `days` days up to and including today in the zone (undefined: the system's). */
export function lastDays(days: number, now: number, timeZone: string | undefined): Period {
  const today = dayKey(now, timeZone);
  return { from: addDays(today, 1 - days), to: today };
}

/** Every date of the period, in order. */
export function datesOf(period: Period): string[] {
  const count = daysBetween(period.from, period.to) + 1;
  return Array.from({ length: Math.max(0, count) }, (_, index) => addDays(period.from, index));
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Why a picked period cannot be asked for (the words' key under analytics.period), or null when it can. */
export function periodProblem(period: Period): 'missingDate' | 'endsBeforeStart' | 'tooLong' | null {
  if (!DATE.test(period.from) || !DATE.test(period.to)) return 'missingDate';
  const days = daysBetween(period.from, period.to);
  if (days < 0) return 'endsBeforeStart';
  if (days + 1 > MAX_PERIOD_DAYS) return 'tooLong';
  return null;
}
