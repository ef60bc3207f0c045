/**
 * The IPC calls of the analytics dashboard (supervisors and administrators), spread into the
 * contract (contract.ts): the figures of a period and scope, and their CSV saved through main.
 */
import { z } from 'zod';
import { AnalyticsCsvQuery, AnalyticsQuery } from '../analytics/analytics-query.js';
import { AnalyticsReport } from '../analytics/analytics-report.js';

/** What an export did: saved under the file name the user chose, or nothing when they cancelled the save dialog. */
export const AnalyticsCsvSaved = z.object({ saved: z.boolean(), fileName: z.string().nullable() });
export type AnalyticsCsvSaved = z.infer<typeof AnalyticsCsvSaved>;

export const ANALYTICS_CALLS = {
  /** The figures of a period of days on the agent's clock, of all they may see or one team, agent or number (from the server; online only, not cached). */
  getAnalytics: { request: AnalyticsQuery, response: AnalyticsReport },
  /** The same figures (or the busiest hours, or the template sends) as CSV from the server, saved where the user chooses in main's save dialog. */
  exportAnalyticsCsv: { request: AnalyticsCsvQuery, response: AnalyticsCsvSaved },
} as const;
