/** The handlers of the analytics routes (common/api/analytics-endpoints.ts). */
import type { ANALYTICS_ENDPOINTS } from '../../common/api/analytics-endpoints.js';
import type { Kysely } from 'kysely';
import { analyticsCsv, csvFilename } from '../analytics/analytics-csv.js';
import type { AnalyticsReader } from '../analytics/analytics-reader.js';
import { analyticsScope } from '../analytics/analytics-scope.js';
import { setTeamTarget } from '../analytics/team-targets.js';
import { agentActor } from '../audit/actor.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import type { Handlers } from './api-route.js';

export function analyticsHandlers(deps: {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly reader: AnalyticsReader;
  readonly now: () => number;
}): Handlers<typeof ANALYTICS_ENDPOINTS> {
  return {
    // The teams the caller supervises as the store has them now (read per request by the session check).
    getAnalytics: async ({ principal, query }) => await deps.reader.report(query, await analyticsScope(deps.db, principal, query)),
    exportAnalyticsCsv: async ({ principal, query, reply }) => {
      const report = await deps.reader.report(query, await analyticsScope(deps.db, principal, query));
      await reply
        .code(200)
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${csvFilename(report, query.table)}"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(analyticsCsv(report, query.table));
      return undefined;
    },
    setTeamTarget: async ({ principal, params, body, request }) =>
      await setTeamTarget(deps.committer, principal, agentActor(principal, request.ip), params.id, body.firstResponseTargetSeconds, deps.now()),
  };
}
