/**
 * The times the snooze picker offers, in the workstation's local time: in an hour, tomorrow at
 * 9:00, next week on Monday at 9:00, or a date and time typed into a datetime-local field.
 */

export type SnoozeChoice = 'hour' | 'tomorrow' | 'nextWeek';

const HOUR_MS = 60 * 60 * 1000;
const MORNING = 9;

function atMorning(day: Date): number {
  const morning = new Date(day);
  morning.setHours(MORNING, 0, 0, 0);
  return morning.getTime();
}

/** When a choice ends, from `now`. */
export function snoozeTime(choice: SnoozeChoice, now: number): number {
  if (choice === 'hour') return now + HOUR_MS;
  const day = new Date(now);
  if (choice === 'tomorrow') {
    day.setDate(day.getDate() + 1);
    return atMorning(day);
  }
  // The coming Monday; on a Monday, the one a week later.
  const untilMonday = ((8 - day.getDay()) % 7) + (day.getDay() === 1 ? 7 : 0);
  day.setDate(day.getDate() + untilMonday);
  return atMorning(day);
}

const pad = (value: number) => String(value).padStart(2, '0');

/** A time as a datetime-local field shows it (local time, to the minute). */
export function toLocalInput(at: number): string {
  const date = new Date(at);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** What a datetime-local field holds, as a time; null when it holds no whole date and time. */
export function fromLocalInput(value: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (match === null) return null;
  const [year, month, day, hours, minutes] = match.slice(1).map(Number) as [number, number, number, number, number];
  const date = new Date(year, month - 1, day, hours, minutes);
  return Number.isNaN(date.getTime()) ? null : date.getTime();
}
