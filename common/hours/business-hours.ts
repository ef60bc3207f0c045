/**
 * A team's business hours (issue 12), as the client API and the store carry them: weekly hours
 * (per weekday, intervals of wall-clock time in the team's zone), an IANA time zone and holidays
 * (whole local days, optionally named); and its away message. A team without hours is always open.
 *
 * An interval is `from` to `to` on one day, `to` after `from` (`24:00` for midnight at its end).
 * An overnight shift is two intervals, one ending at 24:00 and one starting at 00:00 the next day:
 * an interval that would run past midnight is refused, so every interval belongs to one weekday
 * and one date (which is what a holiday closes). Plain data, zod and Intl only: the server checks
 * with it, the admin screen shows with it.
 */
import { z } from 'zod';
import { CodedError } from '../errors/coded-error.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const MINUTES_PER_DAY = 24 * 60;
export const MAX_INTERVALS_PER_DAY = 8;
export const MAX_HOLIDAYS = 400;
export const MAX_HOLIDAY_NAME = 80;
/** WhatsApp allows 4,096 characters in a text; an away message is a short notice. */
export const MAX_AWAY_MESSAGE = 1000;

/** `HH:MM`, 00:00 to 24:00. */
export const WallClock = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time is HH:MM, from 00:00 to 24:00');
export const HoursInterval = z.object({ from: WallClock, to: WallClock }).strict();
export type HoursInterval = z.infer<typeof HoursInterval>;

/** A calendar date, YYYY-MM-DD. */
export const HolidayDate = z.string().regex(/^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/, 'a date is YYYY-MM-DD');
export const Holiday = z.object({ date: HolidayDate, name: z.string().trim().min(1).max(MAX_HOLIDAY_NAME).optional() }).strict();
export type Holiday = z.infer<typeof Holiday>;

const DayHours = z.array(HoursInterval).max(MAX_INTERVALS_PER_DAY);

export const BusinessHours = z
  .object({
    /** An IANA zone (`Europe/Rome`): the hours are its wall-clock time, summer time included. */
    timeZone: z.string().min(1).max(64),
    /** Every weekday, each with its intervals (none: closed all day). */
    week: z.object(Object.fromEntries(WEEKDAYS.map((day) => [day, DayHours])) as Record<Weekday, typeof DayHours>).strict(),
    holidays: z.array(Holiday).max(MAX_HOLIDAYS),
  })
  .strict();
export type BusinessHours = z.infer<typeof BusinessHours>;

export const AwayMessage = z.string().trim().min(1).max(MAX_AWAY_MESSAGE);

/** A team's hours and away message as the client API carries them. */
export const TeamHoursView = z.object({
  teamId: z.number().int().positive(),
  teamName: z.string(),
  /** null: no hours, always open. */
  hours: BusinessHours.nullable(),
  /** null: nothing is sent outside the hours. One text, in whichever language(s) the team writes to its customers. */
  awayMessage: z.string().nullable(),
  updatedAt: z.number().int().nullable(),
});
export type TeamHoursView = z.infer<typeof TeamHoursView>;

export const SetTeamHoursRequest = z.object({ hours: BusinessHours.nullable(), awayMessage: AwayMessage.nullable() }).strict();
export type SetTeamHoursRequest = z.infer<typeof SetTeamHoursRequest>;

export type HoursErrorCode = 'hours_time_zone_unknown' | 'hours_interval_invalid' | 'hours_intervals_overlap' | 'hours_holiday_invalid';

/** Minutes from local midnight. */
export function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isCalendarDate(date: string): boolean {
  const [year, month, day] = date.split('-').map(Number);
  const probe = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() + 1 === month && probe.getUTCDate() === day;
}

/**
 * What the shape cannot say: a zone Intl knows, each interval ending after it starts, no two of a
 * day overlapping (touching is fine), real dates, each once. Throws the first problem, coded.
 */
export function checkBusinessHours(hours: BusinessHours): void {
  if (!isKnownTimeZone(hours.timeZone)) {
    throw new CodedError<HoursErrorCode>('hours_time_zone_unknown', `${JSON.stringify(hours.timeZone)} is not a time zone: name one such as Europe/Rome.`, {
      timeZone: hours.timeZone,
    });
  }
  for (const day of WEEKDAYS) {
    const intervals = hours.week[day].map((interval) => ({ ...interval, start: minutesOf(interval.from), end: minutesOf(interval.to) }));
    for (const interval of intervals) {
      if (interval.end <= interval.start) {
        throw new CodedError<HoursErrorCode>(
          'hours_interval_invalid',
          `On ${day}, ${interval.from}–${interval.to} does not end after it starts: an overnight shift is two intervals, one until 24:00 and one from 00:00 the next day.`,
          { day, from: interval.from, to: interval.to },
        );
      }
    }
    const sorted = [...intervals].sort((a, b) => a.start - b.start);
    for (let index = 1; index < sorted.length; index += 1) {
      const before = sorted[index - 1];
      const after = sorted[index];
      if (before !== undefined && after !== undefined && after.start < before.end) {
        throw new CodedError<HoursErrorCode>('hours_intervals_overlap', `On ${day}, ${before.from}–${before.to} and ${after.from}–${after.to} overlap.`, {
          day,
        });
      }
    }
  }
  const seen = new Set<string>();
  for (const holiday of hours.holidays) {
    if (!isCalendarDate(holiday.date)) throw new CodedError<HoursErrorCode>('hours_holiday_invalid', `${holiday.date} is not a date of the calendar.`);
    if (seen.has(holiday.date)) throw new CodedError<HoursErrorCode>('hours_holiday_invalid', `${holiday.date} is listed twice among the holidays.`);
    seen.add(holiday.date);
  }
}
