/**
 * A period of whole days on a viewer's clock as instants: midnight of its first day in the zone to
 * midnight after its last. Summer time is the zone's own (Intl): a day the clocks go forward is
 * 23 hours long, one they go back 25.
 */
import { localMinute } from '../../common/hours/open-hours.js';

const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The first instant of a date (YYYY-MM-DD) in a zone. */
export function zonedMidnight(date: string, timeZone: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`);
  let at = wall - localMinute(wall, timeZone).offset * MINUTE_MS;
  // The offset at the guess may differ from the one at midnight itself (a change of clocks in between).
  at = wall - localMinute(at, timeZone).offset * MINUTE_MS;
  return at;
}

/** The date after a date, on the calendar. */
export function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

export interface Period {
  readonly startsAt: number;
  readonly endsAt: number;
}

export function periodOf(from: string, to: string, timeZone: string): Period {
  return { startsAt: zonedMidnight(from, timeZone), endsAt: zonedMidnight(nextDate(to), timeZone) };
}

/**
 * The hourly counts a period reads: those of every UTC hour that begins in it. Where the zone's
 * offset is not whole hours (India, +5:30), the first and last half hours fall to the hour they
 * began in (docs/analytics.md).
 */
export function hourRange(period: Period): Period {
  const floor = (at: number) => at - (((at % HOUR_MS) + HOUR_MS) % HOUR_MS);
  return { startsAt: floor(period.startsAt + HOUR_MS - 1), endsAt: floor(period.endsAt + HOUR_MS - 1) };
}

/** Weekday (0 Monday … 6 Sunday) and hour of an instant on the zone's clock. */
export function localHour(at: number, timeZone: string): { weekday: number; hour: number } {
  const local = localMinute(at, timeZone);
  return { weekday: local.weekday, hour: Math.floor(local.minute / 60) };
}
