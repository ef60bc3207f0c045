/**
 * The teams screen writes a day's hours as text ("09:00–13:00, 14:00–18:00"; empty: closed) and
 * the holidays one a line ("2026-12-25 Christmas"); these read that text into the wire shape of
 * common/hours/business-hours.ts, and write it back. Whether the hours make sense (an interval
 * ending before it starts, two overlapping, an unknown zone) is the server's check, in words.
 */
import type { Holiday, HoursInterval } from '../../common/hours/business-hours.js';

const CLOCK = /^(\d{1,2})[:.](\d{2})$/;

function clock(text: string): string | undefined {
  const match = CLOCK.exec(text.trim());
  if (match === null) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 24 || minutes > 59 || (hours === 24 && minutes !== 0)) return undefined;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

export function dayText(intervals: readonly HoursInterval[]): string {
  return intervals.map((interval) => `${interval.from}–${interval.to}`).join(', ');
}

/** A day's intervals, or undefined when the text cannot be read as such. */
export function readDayText(text: string): HoursInterval[] | undefined {
  const intervals: HoursInterval[] = [];
  for (const part of text.split(/[,;]/)) {
    if (part.trim() === '') continue;
    const [from, to, ...rest] = part.split(/[-–—]/);
    const start = clock(from ?? '');
    const end = clock(to ?? '');
    if (start === undefined || end === undefined || rest.length > 0) return undefined;
    intervals.push({ from: start, to: end });
  }
  return intervals;
}

export function holidaysText(holidays: readonly Holiday[]): string {
  return holidays.map((holiday) => (holiday.name === undefined ? holiday.date : `${holiday.date} ${holiday.name}`)).join('\n');
}

/** One holiday a line, its date first; undefined names the first line that is not one. */
export function readHolidaysText(text: string): { holidays: Holiday[] } | { unreadable: string } {
  const holidays: Holiday[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const match = /^(\d{4}-\d{2}-\d{2})\s*(.*)$/.exec(trimmed);
    if (match === null) return { unreadable: trimmed };
    const name = (match[2] ?? '').trim();
    holidays.push({ date: match[1] ?? '', ...(name === '' ? {} : { name }) });
  }
  return { holidays };
}
