/**
 * Figures in the interface's language: counts with its digit grouping (1,234 · 1.234), shares as
 * percentages, and durations in the largest two units that say them (42 s, 12 min, 3 h 5 min,
 * 2 d 4 h; in Italian 2 g 4 h), the units in the catalogue's words.
 */

/** How the language writes `value` of a unit (the words of analytics.duration.*). */
export type UnitWords = (unit: 'seconds' | 'minutes' | 'hours' | 'days', value: string) => string;

const formats = new Map<string, Intl.NumberFormat>();
function format(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let found = formats.get(key);
  if (found === undefined) {
    found = new Intl.NumberFormat(locale, options);
    formats.set(key, found);
  }
  return found;
}

export function formatCount(value: number, locale: string): string {
  return format(locale, { maximumFractionDigits: 0 }).format(value);
}

/** 0..1 as a whole percentage (87%), one decimal below 10% (4.5%). */
export function formatShare(share: number, locale: string): string {
  return format(locale, { style: 'percent', maximumFractionDigits: share > 0 && share < 0.1 ? 1 : 0 }).format(share);
}

/** A duration of `seconds`, in at most two units, rounded to the smaller one. */
export function formatDuration(seconds: number, locale: string, words: UnitWords): string {
  const say = (value: number, name: Parameters<UnitWords>[0]) => words(name, formatCount(value, locale));
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return say(whole, 'seconds');
  const minutes = Math.round(whole / 60);
  if (minutes < 60) return say(minutes, 'minutes');
  if (minutes < 24 * 60) {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return rest === 0 ? say(hours, 'hours') : `${say(hours, 'hours')} ${say(rest, 'minutes')}`;
  }
  const hours = Math.round(minutes / 60);
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest === 0 ? say(days, 'days') : `${say(days, 'days')} ${say(rest, 'hours')}`;
}

/** Weekday names, Monday first (the server's weekday 0), as the language abbreviates them. */
export function weekdayNames(locale: string): string[] {
  const names = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' });
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, index) => names.format(new Date(Date.UTC(2024, 0, 1 + index))));
}

/** A date of the period (YYYY-MM-DD) as a short day: 3 Nov · 3 nov. */
export function formatDay(date: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}
