/** Times and durations in the interface's language. */

/** 0:42, 12:05: a countdown's minutes and seconds. */
export function formatCountdown(msLeft: number): string {
  const seconds = Math.max(0, Math.ceil(msLeft / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Today: the time; otherwise the date and the time. */
export function formatMoment(at: number, language: string, now = Date.now()): string {
  const date = new Date(at);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  const options: Intl.DateTimeFormatOptions = sameDay ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  return new Intl.DateTimeFormat(language, options).format(date);
}

/** A compact list time: the time today, else the date. */
export function formatListTime(at: number, language: string, now = Date.now()): string {
  const date = new Date(at);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  const options: Intl.DateTimeFormatOptions = sameDay ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short' };
  return new Intl.DateTimeFormat(language, options).format(date);
}

/** Whole hours and minutes left, for the 24-hour window. */
export function hoursAndMinutes(msLeft: number): { hours: number; minutes: number } {
  const minutes = Math.max(0, Math.floor(msLeft / 60_000));
  return { hours: Math.floor(minutes / 60), minutes: minutes % 60 };
}
