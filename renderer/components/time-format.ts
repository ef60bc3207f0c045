/** Times and durations in the interface's language and the agent's time zone (undefined: the system's). */

const MOMENT_TODAY: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
const MOMENT_OTHER_DAY: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
const LIST_OTHER_DAY: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short' };
const DAY_KEY: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };

/** Building a formatter costs far more than formatting with one, and a long conversation formats hundreds of times. */
const formatters = new Map<Intl.DateTimeFormatOptions, Map<string, Intl.DateTimeFormat>>();
function formatter(language: string, options: Intl.DateTimeFormatOptions, timeZone: string | undefined): Intl.DateTimeFormat {
  let byLanguage = formatters.get(options);
  if (byLanguage === undefined) {
    byLanguage = new Map();
    formatters.set(options, byLanguage);
  }
  const key = `${language}|${timeZone ?? ''}`;
  let found = byLanguage.get(key);
  if (found === undefined) {
    found = new Intl.DateTimeFormat(language, timeZone === undefined ? options : { ...options, timeZone });
    byLanguage.set(key, found);
  }
  return found;
}

/** The calendar day `at` falls on in the zone, as a comparable key. */
export function dayKey(at: number, timeZone: string | undefined): string {
  return formatter('en-CA', DAY_KEY, timeZone).format(new Date(at));
}

/** 0:42, 12:05: a countdown's minutes and seconds. */
export function formatCountdown(msLeft: number): string {
  const seconds = Math.max(0, Math.ceil(msLeft / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Today: the time; otherwise the date and the time. */
export function formatMoment(at: number, language: string, now = Date.now(), timeZone?: string): string {
  const sameDay = dayKey(now, timeZone) === dayKey(at, timeZone);
  return formatter(language, sameDay ? MOMENT_TODAY : MOMENT_OTHER_DAY, timeZone).format(new Date(at));
}

/** The date and the time, whatever the day. */
export function formatDateTime(at: number, language: string, timeZone?: string): string {
  return formatter(language, MOMENT_OTHER_DAY, timeZone).format(new Date(at));
}

/** A compact list time: the time today, else the date. */
export function formatListTime(at: number, language: string, now = Date.now(), timeZone?: string): string {
  const sameDay = dayKey(now, timeZone) === dayKey(at, timeZone);
  return formatter(language, sameDay ? MOMENT_TODAY : LIST_OTHER_DAY, timeZone).format(new Date(at));
}

/** Whole hours and minutes left, for the 24-hour window. */
export function hoursAndMinutes(msLeft: number): { hours: number; minutes: number } {
  const minutes = Math.max(0, Math.floor(msLeft / 60_000));
  return { hours: Math.floor(minutes / 60), minutes: minutes % 60 };
}

/** A wall clock's reading: month 1–12, weekday 0 (Sunday) to 6. */
export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly weekday: number;
}

const WALL_CLOCK: Intl.DateTimeFormatOptions = {
  hourCycle: 'h23',
  weekday: 'short',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
};
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** What the zone's clocks show at `at` (undefined: the system's zone). */
export function wallClockAt(at: number, timeZone: string | undefined): WallClock & { readonly second: number } {
  const parts = formatter('en-US', WALL_CLOCK, timeZone).formatToParts(new Date(at));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((found) => found.type === type)?.value ?? '';
  return {
    year: Number(part('year')),
    month: Number(part('month')),
    day: Number(part('day')),
    hour: Number(part('hour')),
    minute: Number(part('minute')),
    second: Number(part('second')),
    weekday: WEEKDAYS.indexOf(part('weekday')),
  };
}

/** How far the zone's clocks are ahead of UTC at `at`, in milliseconds. */
function offsetAt(at: number, timeZone: string | undefined): number {
  const clock = wallClockAt(at, timeZone);
  return Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second) - Math.floor(at / 1000) * 1000;
}

/**
 * The moment the zone's clocks show this date and time (a day or month past its end rolls on, as
 * Date.UTC does). Where the clocks change, the offset after the change wins.
 */
export function momentAt(clock: Omit<WallClock, 'weekday'>, timeZone: string | undefined): number {
  const asIfUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute);
  const guess = asIfUtc - offsetAt(asIfUtc, timeZone);
  return asIfUtc - offsetAt(guess, timeZone);
}
