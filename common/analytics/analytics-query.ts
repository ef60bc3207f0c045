/**
 * What the analytics dashboard asks for: a period of whole days in the viewer's time zone, and a
 * scope (one team, agent or business number, or all of them the viewer may see). Plain zod, no
 * Node: the server parses it, the desktop app builds it, the dashboard shows it.
 */
import { z } from 'zod';
import { HolidayDate, isKnownTimeZone } from '../hours/business-hours.js';

/** The longest period one request covers: a year and a day. */
export const MAX_PERIOD_DAYS = 366;

export const AnalyticsScopeKind = z.enum(['team', 'agent', 'number']);
export type AnalyticsScopeKind = z.infer<typeof AnalyticsScopeKind>;

/** The three tables a CSV export can carry. */
export const AnalyticsCsvTable = z.enum(['figures', 'hours', 'templates']);
export type AnalyticsCsvTable = z.infer<typeof AnalyticsCsvTable>;

const TimeZoneName = z.string().min(1).max(64).refine(isKnownTimeZone, 'timeZone is not a time zone: name one such as Europe/Rome');

/** Days between two YYYY-MM-DD dates (to − from), counted on the calendar. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const QueryShape = {
  /** The first day of the period (YYYY-MM-DD, in `timeZone`). */
  from: HolidayDate,
  /** The last day of the period, included. */
  to: HolidayDate,
  /** The viewer's IANA time zone: the days and the busiest hours are its wall clock. */
  timeZone: TimeZoneName,
  /** team, agent or number; the figures of everything the viewer may see when `id` is left out. */
  scope: AnalyticsScopeKind.default('team'),
  /** A team's or agent's id, or a business number's phone_number_id. */
  id: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[0-9A-Za-z_-]+$/, 'id is a team or agent id, or a phone_number_id')
    .optional(),
};

function checkPeriod(query: { from: string; to: string }, context: z.RefinementCtx): void {
  const days = daysBetween(query.from, query.to);
  if (days < 0) context.addIssue({ code: 'custom', path: ['to'], message: 'the period ends before it begins: to must be on or after from' });
  if (days + 1 > MAX_PERIOD_DAYS) context.addIssue({ code: 'custom', path: ['to'], message: `a period is at most ${MAX_PERIOD_DAYS} days` });
}

function checkId(query: { scope: AnalyticsScopeKind; id?: string | undefined }, context: z.RefinementCtx): void {
  if (query.id !== undefined && query.scope !== 'number' && !/^[1-9][0-9]{0,9}$/.test(query.id)) {
    context.addIssue({ code: 'custom', path: ['id'], message: `a ${query.scope}'s id is a positive whole number` });
  }
}

export const AnalyticsQuery = z
  .object(QueryShape)
  .strict()
  .superRefine((query, context) => {
    checkPeriod(query, context);
    checkId(query, context);
  });
export type AnalyticsQuery = z.infer<typeof AnalyticsQuery>;
export type AnalyticsQueryInput = z.input<typeof AnalyticsQuery>;

export const AnalyticsCsvQuery = z
  .object({ ...QueryShape, table: AnalyticsCsvTable.default('figures') })
  .strict()
  .superRefine((query, context) => {
    checkPeriod(query, context);
    checkId(query, context);
  });
export type AnalyticsCsvQuery = z.infer<typeof AnalyticsCsvQuery>;

/** A team's target time for a first response (seconds): the "answered within target" share is judged against it. */
export const DEFAULT_TARGET_SECONDS = 300;
export const MAX_TARGET_SECONDS = 7 * 24 * 60 * 60;
export const TargetSeconds = z
  .number()
  .int('the target is a whole number of seconds')
  .min(1, 'the target must be at least one second')
  .max(MAX_TARGET_SECONDS, `the target is at most ${MAX_TARGET_SECONDS} seconds (a week)`);
export const TeamTargetBody = z.object({ firstResponseTargetSeconds: TargetSeconds }).strict();
export type TeamTargetBody = z.infer<typeof TeamTargetBody>;
