/**
 * The times the snooze picker offers, in the agent's time zone (the one times are shown in;
 * undefined: the system's): in an hour, tomorrow at 9:00, next week on Monday at 9:00, or a date
 * and time typed into a datetime-local field, read as the zone's wall clock.
 */
import { momentAt, wallClockAt } from '../../components/time-format.js';

export type SnoozeChoice = 'hour' | 'tomorrow' | 'nextWeek';

const HOUR_MS = 60 * 60 * 1000;
const MORNING = 9;

/** When a choice ends, from `now`. */
export function snoozeTime(choice: SnoozeChoice, now: number, timeZone: string | undefined): number {
  if (choice === 'hour') return now + HOUR_MS;
  const today = wallClockAt(now, timeZone);
  // Tomorrow; or the coming Monday (on a Monday, the one a week later).
  const days = choice === 'tomorrow' ? 1 : ((8 - today.weekday) % 7) + (today.weekday === 1 ? 7 : 0);
  return momentAt({ year: today.year, month: today.month, day: today.day + days, hour: MORNING, minute: 0 }, timeZone);
}

const pad = (value: number) => String(value).padStart(2, '0');

/** A time as a datetime-local field shows it (the zone's wall clock, to the minute). */
export function toLocalInput(at: number, timeZone: string | undefined): string {
  const clock = wallClockAt(at, timeZone);
  return `${clock.year}-${pad(clock.month)}-${pad(clock.day)}T${pad(clock.hour)}:${pad(clock.minute)}`;
}

/** What a datetime-local field holds, as a time in the zone; null when it holds no whole date and time. */
export function fromLocalInput(value: string, timeZone: string | undefined): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (match === null) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  const at = momentAt({ year, month, day, hour, minute }, timeZone);
  return Number.isNaN(at) ? null : at;
}
