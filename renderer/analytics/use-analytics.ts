/**
 * The dashboard's data: the report for the query shown (read again whenever the period or the
 * scope changes; an answer to an older query is dropped), and what the scope picker offers: the
 * teams and agents of the last report of everything the viewer may see, and the business numbers.
 */
import { useEffect, useState } from 'react';
import type { AnalyticsQueryInput } from '../../common/analytics/analytics-query.js';
import type { AnalyticsReport } from '../../common/analytics/analytics-report.js';
import type { IpcFailure } from '../../common/ipc/ipc-result.js';
import { settle } from '../api/use-action.js';
import type { ScopeOptions } from './AnalyticsControls.js';
import type { ScopeValue } from './analytics-scope.js';

export function useAnalyticsReport(query: AnalyticsQueryInput): { report: AnalyticsReport | null; failure: IpcFailure | null; loading: boolean } {
  const [report, setReport] = useState<AnalyticsReport | null>(null);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    let current = true;
    setLoading(true);
    void settle(window.sportello.getAnalytics(query)).then((result) => {
      if (!current) return;
      setLoading(false);
      if (result.ok) {
        setReport(result.value);
        setFailure(null);
      } else setFailure(result);
    });
    return () => {
      current = false;
    };
  }, [query]);
  return { report, failure, loading };
}

const NO_OPTIONS: ScopeOptions = { teams: [], agents: [], numbers: [] };

export function useScopeOptions(report: AnalyticsReport | null, scope: ScopeValue, viewer: { reads: boolean; admin: boolean }): ScopeOptions {
  const [options, setOptions] = useState<ScopeOptions>(NO_OPTIONS);
  const { reads, admin } = viewer;
  useEffect(() => {
    let current = true;
    const numbers = reads
      ? settle(window.sportello.listBusinessNumbers({})).then((result) =>
          result.ok ? result.value.numbers.map((number) => ({ id: number.phoneNumberId, name: number.displayName })) : [],
        )
      : admin
        ? settle(window.sportello.adminListNumbers({})).then((result) =>
            result.ok ? result.value.numbers.map((number) => ({ id: number.phoneNumberId, name: number.displayName })) : [],
          )
        : Promise.resolve([]);
    void numbers.then((found) => {
      if (current) setOptions((before) => ({ ...before, numbers: found }));
    });
    return () => {
      current = false;
    };
  }, [reads, admin]);
  useEffect(() => {
    // Only the report of everything names every team and agent the viewer may pick.
    if (report === null || scope !== 'all') return;
    setOptions((before) => ({
      ...before,
      teams: report.teams.flatMap((team) => (team.teamId === null ? [] : [{ id: team.teamId, name: team.name }])),
      agents: report.agents.map((agent) => ({ id: agent.agentId, name: agent.displayName })),
    }));
  }, [report, scope]);
  return options;
}
