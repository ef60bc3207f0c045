/**
 * The analytics dashboard's calls: the figures read from the server each time (never cached on the
 * workstation), and the CSV export, fetched from the server and written where the user chooses in
 * the native save dialog. Supervisors and administrators only; the server checks which teams.
 */
import path from 'node:path';
import type { AnalyticsCsvQuery } from '../../../common/analytics/analytics-query.js';
import { CodedError } from '../../../common/errors/coded-error.js';
import { analyticsCsv, analyticsReport } from '../../connection/analytics-api.js';
import { writeChosenFile } from '../../file-saving/write-chosen-file.js';
import type { CoreContext, HandlerTable } from './core-context.js';

export type AnalyticsCall = 'getAnalytics' | 'exportAnalyticsCsv';

/** The name the save dialog offers, as the server names the download: sportello-analytics-figures-team-3-2026-11-04-2026-12-03.csv. */
export function csvFileName(query: AnalyticsCsvQuery): string {
  const scope = query.id === undefined ? query.scope : `${query.scope}-${query.id}`;
  return `sportello-analytics-${query.table}-${scope}-${query.from}-${query.to}.csv`.replace(/[^0-9A-Za-z._-]/g, '_');
}

export function analyticsHandlers(core: CoreContext): HandlerTable<AnalyticsCall> {
  const overseer = () => {
    const roles = core.session()?.agent.roles ?? [];
    if (!roles.includes('supervisor') && !roles.includes('admin'))
      throw new CodedError('forbidden_role', 'Only supervisors and administrators may see these figures.');
    return core.inbox();
  };
  return {
    getAnalytics: async (query) => overseer().call((token) => analyticsReport(core.api().target, token, query)),
    exportAnalyticsCsv: async (query) => {
      const session = overseer();
      // Fetched before the dialog: a refusal shows at once, and a chosen file is never left empty.
      const csv = await session.call((token) => analyticsCsv(core.api().target, token, query));
      const chosen = await core.platform.desktop.chooseSavePath(csvFileName(query));
      if (chosen === null) return { saved: false, fileName: null };
      await writeChosenFile(chosen, csv.bytes);
      return { saved: true, fileName: path.basename(chosen) };
    },
  };
}
