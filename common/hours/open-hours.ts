/**
 * Is a team open at an instant, and since when has it been closed: the two questions the away
 * message asks (server/hours/away-message.ts). Wall-clock time in the team's zone comes from Intl,
 * so summer time is the zone's own: on the night the clocks go forward the missing hour is never
 * open, on the night they go back the repeated hour is open (or closed) twice. Openness is decided
 * per minute: the minute an instant falls in is open when its local date is no holiday and its
 * local time of day lies in one of the weekday's intervals [from, to).
 */
import type { BusinessHours } from './business-hours.js';
import { minutesOf, WEEKDAYS } from './business-hours.js';

const MINUTE_MS = 60_000;
/** How far back a quiet period is looked for; one longer than this began "ever since" (QUIET_SINCE_EVER). */
const LOOKBACK_MS = 400 * 24 * 60 * MINUTE_MS;
/** The start of a quiet period that began more than 400 days ago (a team whose week has no hours at all). */
export const QUIET_SINCE_EVER = 0;

export interface CompiledHours {
  readonly timeZone: string;
  /** Per weekday, Monday first: sorted [start, end) minutes of the day. */
  readonly week: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  readonly holidays: ReadonlySet<string>;
}

export function compileHours(hours: BusinessHours): CompiledHours {
  return {
    timeZone: hours.timeZone,
    week: WEEKDAYS.map((day) => hours.week[day].map((interval) => [minutesOf(interval.from), minutesOf(interval.to)] as const).sort((a, b) => a[0] - b[0])),
    holidays: new Set(hours.holidays.map((holiday) => holiday.date)),
  };
}

export interface LocalMinute {
  /** YYYY-MM-DD in the zone. */
  readonly date: string;
  /** 0 Monday … 6 Sunday. */
  readonly weekday: number;
  /** Minutes since local midnight. */
  readonly minute: number;
  /** The zone's offset from UTC at that instant, in minutes. */
  readonly offset: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock minute of an instant in a zone. */
export function localMinute(at: number, timeZone: string): LocalMinute {
  const parts: Record<string, number> = {};
  for (const part of formatterOf(timeZone).formatToParts(at)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const year = parts.year ?? 1970;
  const month = parts.month ?? 1;
  const day = parts.day ?? 1;
  const hour = parts.hour ?? 0;
  const minute = parts.minute ?? 0;
  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute);
  const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return {
    date,
    weekday: (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7,
    minute: hour * 60 + minute,
    offset: Math.round((wallAsUtc - Math.floor(at / MINUTE_MS) * MINUTE_MS) / MINUTE_MS),
  };
}

function openAtLocal(hours: CompiledHours, local: LocalMinute): boolean {
  if (hours.holidays.has(local.date)) return false;
  return (hours.week[local.weekday] ?? []).some(([start, end]) => local.minute >= start && local.minute < end);
}

export function isOpenAt(hours: CompiledHours, at: number): boolean {
  return openAtLocal(hours, localMinute(at, hours.timeZone));
}

/** The latest interval boundary of the local day at or before `minute` (midnight at the latest): openness is the same from it to `minute`. */
function boundaryAtOrBefore(hours: CompiledHours, local: LocalMinute): number {
  if (hours.holidays.has(local.date)) return 0;
  let boundary = 0;
  for (const [start, end] of hours.week[local.weekday] ?? []) {
    if (start <= local.minute && start > boundary) boundary = start;
    if (end <= local.minute && end > boundary) boundary = end;
  }
  return boundary;
}

/** The first minute in (low, high] whose offset is `offset` (a summer-time change lies between): bisection, minutes apart. */
function offsetChangeAfter(hours: CompiledHours, low: number, high: number, offset: number): number {
  let before = low;
  let after = high;
  while (after - before > MINUTE_MS) {
    const middle = before + Math.floor((after - before) / MINUTE_MS / 2) * MINUTE_MS;
    if (localMinute(middle, hours.timeZone).offset === offset) after = middle;
    else before = middle;
  }
  return after;
}

/**
 * The start of the quiet period `at` lies in: the first minute of the closed stretch that runs
 * without a break to `at` (so every instant of one quiet period answers the same). Undefined when
 * the team is open at `at`; QUIET_SINCE_EVER when it has been closed for more than 400 days.
 *
 * It walks back over the stretches where openness cannot change: within one local day and one
 * offset, wall-clock time runs with real time, so openness changes only at an interval's
 * boundary, at local midnight, or where the offset changes (found by bisection).
 */
export function quietPeriodStart(hours: CompiledHours, at: number): number | undefined {
  let cursor = Math.floor(at / MINUTE_MS) * MINUTE_MS;
  let local = localMinute(cursor, hours.timeZone);
  if (openAtLocal(hours, local)) return undefined;
  const limit = cursor - LOOKBACK_MS;
  while (cursor > limit) {
    let start = cursor - (local.minute - boundaryAtOrBefore(hours, local)) * MINUTE_MS;
    if (start < cursor && localMinute(start, hours.timeZone).offset !== local.offset) start = offsetChangeAfter(hours, start, cursor, local.offset);
    const before = start - MINUTE_MS;
    const previous = localMinute(before, hours.timeZone);
    if (openAtLocal(hours, previous)) return start;
    cursor = before;
    local = previous;
  }
  return QUIET_SINCE_EVER;
}
