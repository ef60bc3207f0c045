/**
 * The hours calculation (common/hours/open-hours.ts), pure: summer time in Europe/Rome, a
 * holiday, an overnight shift written as two intervals, the checks that refuse bad hours; and as
 * properties, "is open" against a brute-force reading of the wall clock through another Intl
 * call, and the quiet period's start against a minute-by-minute walk back.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BusinessHours, HoursInterval, Weekday } from '../../common/hours/business-hours.js';
import { checkBusinessHours, WEEKDAYS } from '../../common/hours/business-hours.js';
import { compileHours, isOpenAt, quietPeriodStart } from '../../common/hours/open-hours.js';

const MINUTE = 60_000;
const closedWeek = (): Record<Weekday, HoursInterval[]> => Object.fromEntries(WEEKDAYS.map((day) => [day, []])) as unknown as Record<Weekday, HoursInterval[]>;
const officeWeek = (): Record<Weekday, HoursInterval[]> => {
  const week = closedWeek();
  for (const day of ['mon', 'tue', 'wed', 'thu', 'fri'] as const)
    week[day] = [
      { from: '09:00', to: '13:00' },
      { from: '14:00', to: '18:00' },
    ];
  return week;
};
const rome = (week = officeWeek(), holidays: BusinessHours['holidays'] = []): BusinessHours => ({ timeZone: 'Europe/Rome', week, holidays });

function refusal(hours: BusinessHours): string | undefined {
  try {
    checkBusinessHours(hours);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

/** The oracle: the wall clock as `sv-SE` prints it ("2026-03-29 03:30"), read against the intervals by hand. */
function bruteOpen(hours: BusinessHours, at: number): boolean {
  const text = new Date(at).toLocaleString('sv-SE', { timeZone: hours.timeZone, hour12: false });
  const [date = '', time = ''] = text.split(' ');
  if (hours.holidays.some((holiday) => holiday.date === date)) return false;
  const [y, m, d] = date.split('-').map(Number);
  const weekday = WEEKDAYS[(new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1)).getUTCDay() + 6) % 7] ?? 'mon';
  const [hh = 0, mm = 0] = time.split(':').map(Number);
  const minute = (hh % 24) * 60 + mm;
  return hours.week[weekday].some((interval) => {
    const [fh = 0, fm = 0] = interval.from.split(':').map(Number);
    const [th = 0, tm = 0] = interval.to.split(':').map(Number);
    return minute >= fh * 60 + fm && minute < th * 60 + tm;
  });
}

describe('business hours', () => {
  it('is open within the intervals and closed between them, at the lunch break and at the weekend', () => {
    const hours = compileHours(rome());
    // Monday 2 March 2026 (CET, UTC+1).
    expect(isOpenAt(hours, Date.parse('2026-03-02T08:00:00Z'))).toBe(true); // 09:00
    expect(isOpenAt(hours, Date.parse('2026-03-02T07:59:59Z'))).toBe(false); // 08:59
    expect(isOpenAt(hours, Date.parse('2026-03-02T12:30:00Z'))).toBe(false); // 13:30
    expect(isOpenAt(hours, Date.parse('2026-03-02T16:59:00Z'))).toBe(true); // 17:59
    expect(isOpenAt(hours, Date.parse('2026-03-02T17:00:00Z'))).toBe(false); // 18:00
    expect(isOpenAt(hours, Date.parse('2026-03-07T10:00:00Z'))).toBe(false); // Saturday
  });

  it('follows Rome’s summer time: 09:00 is 08:00 UTC before the change and 07:00 UTC after it', () => {
    const hours = compileHours(rome());
    // Clocks go forward on Sunday 29 March 2026; Friday 27th is CET, Monday 30th CEST.
    expect(isOpenAt(hours, Date.parse('2026-03-27T07:30:00Z'))).toBe(false);
    expect(isOpenAt(hours, Date.parse('2026-03-30T07:30:00Z'))).toBe(true);
    // Back on Sunday 25 October 2026: Monday 26th is CET again.
    expect(isOpenAt(hours, Date.parse('2026-10-23T07:30:00Z'))).toBe(true);
    expect(isOpenAt(hours, Date.parse('2026-10-26T07:30:00Z'))).toBe(false);
    // The weekend's quiet period runs across the change: it began Friday at 18:00 CET.
    expect(quietPeriodStart(hours, Date.parse('2026-03-30T06:59:00Z'))).toBe(Date.parse('2026-03-27T17:00:00Z'));
    expect(quietPeriodStart(hours, Date.parse('2026-10-26T07:59:00Z'))).toBe(Date.parse('2026-10-23T16:00:00Z'));
  });

  it('never opens the hour the clocks skip, and opens the hour they repeat twice', () => {
    const week = closedWeek();
    week.sun = [{ from: '02:00', to: '03:00' }];
    const hours = compileHours(rome(week));
    // 29 March 2026: 02:00–03:00 does not exist in Rome.
    for (let at = Date.parse('2026-03-28T23:00:00Z'); at < Date.parse('2026-03-29T03:00:00Z'); at += 15 * MINUTE) expect(isOpenAt(hours, at)).toBe(false);
    // 25 October 2026: 02:00–03:00 happens at 00:00 UTC (summer time) and again at 01:00 UTC.
    expect(isOpenAt(hours, Date.parse('2026-10-25T00:30:00Z'))).toBe(true);
    expect(isOpenAt(hours, Date.parse('2026-10-25T01:30:00Z'))).toBe(true);
    expect(isOpenAt(hours, Date.parse('2026-10-25T02:30:00Z'))).toBe(false);
    // Between the two it is 03:00 summer time = 02:00 winter time: open without a break.
    expect(quietPeriodStart(hours, Date.parse('2026-10-25T01:30:00Z'))).toBeUndefined();
    expect(quietPeriodStart(hours, Date.parse('2026-10-25T02:30:00Z'))).toBe(Date.parse('2026-10-25T02:00:00Z'));
  });

  it('keeps a holiday closed all day, and the quiet period runs from the day before to the day after', () => {
    const hours = compileHours(rome(officeWeek(), [{ date: '2026-12-08', name: 'Immacolata' }]));
    expect(isOpenAt(hours, Date.parse('2026-12-08T10:00:00Z'))).toBe(false); // Tuesday
    expect(isOpenAt(hours, Date.parse('2026-12-09T10:00:00Z'))).toBe(true);
    expect(quietPeriodStart(hours, Date.parse('2026-12-09T07:00:00Z'))).toBe(Date.parse('2026-12-07T17:00:00Z'));
  });

  it('runs an overnight shift written as two intervals without a break at midnight', () => {
    const week = closedWeek();
    week.fri = [{ from: '22:00', to: '24:00' }];
    week.sat = [{ from: '00:00', to: '02:00' }];
    const hours = compileHours(rome(week));
    expect(isOpenAt(hours, Date.parse('2026-03-06T22:59:00Z'))).toBe(true); // Fri 23:59
    expect(isOpenAt(hours, Date.parse('2026-03-06T23:00:00Z'))).toBe(true); // Sat 00:00
    expect(isOpenAt(hours, Date.parse('2026-03-07T01:00:00Z'))).toBe(false); // Sat 02:00
    expect(quietPeriodStart(hours, Date.parse('2026-03-10T12:00:00Z'))).toBe(Date.parse('2026-03-07T01:00:00Z'));
  });

  it('refuses an unknown zone, an inverted or empty interval, overlapping intervals and a bad or repeated holiday, each by its code', () => {
    expect(refusal(rome())).toBeUndefined();
    expect(refusal({ ...rome(), timeZone: 'Europe/Atlantis' })).toBe('hours_time_zone_unknown');
    const inverted = officeWeek();
    inverted.mon = [{ from: '18:00', to: '09:00' }];
    expect(refusal(rome(inverted))).toBe('hours_interval_invalid');
    const empty = officeWeek();
    empty.tue = [{ from: '09:00', to: '09:00' }];
    expect(refusal(rome(empty))).toBe('hours_interval_invalid');
    const overlapping = officeWeek();
    overlapping.wed = [
      { from: '14:00', to: '18:00' },
      { from: '09:00', to: '14:30' },
    ];
    expect(refusal(rome(overlapping))).toBe('hours_intervals_overlap');
    const touching = officeWeek();
    touching.wed = [
      { from: '09:00', to: '13:00' },
      { from: '13:00', to: '18:00' },
    ];
    expect(refusal(rome(touching))).toBeUndefined();
    expect(refusal(rome(officeWeek(), [{ date: '2026-02-30' }]))).toBe('hours_holiday_invalid');
    expect(refusal(rome(officeWeek(), [{ date: '2026-12-25' }, { date: '2026-12-25', name: 'Natale' }]))).toBe('hours_holiday_invalid');
  });
});

/** Up to three disjoint intervals a day, on a five-minute grid, some days closed. */
const dayArb = fc.uniqueArray(fc.integer({ min: 0, max: 288 }), { minLength: 0, maxLength: 6 }).map((points) => {
  const sorted = [...points].sort((a, b) => a - b);
  const intervals: HoursInterval[] = [];
  for (let index = 0; index + 1 < sorted.length; index += 2) {
    const clock = (five: number) => `${String(Math.floor((five * 5) / 60)).padStart(2, '0')}:${String((five * 5) % 60).padStart(2, '0')}`;
    intervals.push({ from: clock(sorted[index] ?? 0), to: clock(sorted[index + 1] ?? 0) });
  }
  return intervals;
});
const weekArb = fc.tuple(dayArb, dayArb, dayArb, dayArb, dayArb, dayArb, dayArb).map((days) => {
  const week = closedWeek();
  WEEKDAYS.forEach((day, index) => (week[day] = days[index] ?? []));
  return week;
});
const zoneArb = fc.constantFrom('Europe/Rome', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC', 'Pacific/Chatham');
/** Around the 2026 summer-time changes of the zones above, and plain weeks. */
const instantArb = fc.oneof(
  fc.integer({ min: Date.parse('2026-03-06T00:00:00Z'), max: Date.parse('2026-04-08T00:00:00Z') }),
  fc.integer({ min: Date.parse('2026-09-25T00:00:00Z'), max: Date.parse('2026-11-05T00:00:00Z') }),
);
const hoursArb = fc
  .record({
    timeZone: zoneArb,
    week: weekArb,
    holidays: fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 3 }),
    base: instantArb,
  })
  .map(({ timeZone, week, holidays, base }) => ({
    hours: {
      timeZone,
      week,
      holidays: holidays.map((offset) => ({ date: new Date(base - 20 * 86_400_000 + offset * 86_400_000).toISOString().slice(0, 10) })),
    } satisfies BusinessHours,
    base,
  }))
  .filter(({ hours }) => refusal(hours) === undefined);

describe('business hours, as properties', () => {
  it('says open exactly when the wall clock, read another way, falls in an interval of a day that is no holiday', () => {
    fc.assert(
      fc.property(
        hoursArb,
        fc.array(fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }), { minLength: 20, maxLength: 20 }),
        ({ hours, base }, shifts) => {
          const compiled = compileHours(hours);
          for (const shift of shifts) expect(isOpenAt(compiled, base + shift), new Date(base + shift).toISOString()).toBe(bruteOpen(hours, base + shift));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds the start of the quiet period a minute-by-minute walk back finds', () => {
    fc.assert(
      fc.property(hoursArb, ({ hours, base }) => {
        const compiled = compileHours(hours);
        const found = quietPeriodStart(compiled, base);
        if (bruteOpen(hours, base)) {
          expect(found).toBeUndefined();
          return;
        }
        // Nine days back at most: a week with any hours, and up to three holidays, opens within them.
        let cursor = Math.floor(base / MINUTE) * MINUTE;
        const limit = cursor - 9 * 86_400_000;
        while (cursor > limit && !bruteOpen(hours, cursor - MINUTE)) cursor -= MINUTE;
        if (cursor > limit) expect(found, new Date(base).toISOString()).toBe(cursor);
        else expect(found === 0 || (found ?? Infinity) <= limit + MINUTE).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
