/**
 * The client API's analytics routes as main calls them (common/api/analytics-endpoints.ts): the
 * report, checked with its schema, and the CSV export's bytes.
 */
import type { AnalyticsCsvQuery, AnalyticsQuery } from '../../common/analytics/analytics-query.js';
import type { AnalyticsReport } from '../../common/analytics/analytics-report.js';
import { ANALYTICS_ENDPOINTS } from '../../common/api/analytics-endpoints.js';
import { callDownload, callJson } from './endpoint-request.js';
import type { HttpsTarget } from './https-json.js';

/** Far above a year's figures for hundreds of agents: a larger answer is not an export of ours. */
export const MAX_ANALYTICS_CSV_BYTES = 16 * 1024 * 1024;

export function analyticsReport(target: HttpsTarget, token: string, query: AnalyticsQuery): Promise<AnalyticsReport> {
  return callJson(target, ANALYTICS_ENDPOINTS.getAnalytics, { token, query });
}

export function analyticsCsv(target: HttpsTarget, token: string, query: AnalyticsCsvQuery): Promise<{ mimeType: string; bytes: Uint8Array }> {
  return callDownload(target, ANALYTICS_ENDPOINTS.exportAnalyticsCsv, { token, query, maxBytes: MAX_ANALYTICS_CSV_BYTES });
}
