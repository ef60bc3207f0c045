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
