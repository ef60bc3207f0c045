/**
 * The analytics dashboard (supervisors and administrators): a period and a scope, the headline
 * figures, the busiest hours and the template sends as charts, and the figures per team and per
 * agent, with "Export CSV". Everything comes from the server through main (getAnalytics); the
 * days and hours are the agent's time zone's.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useTimeZone } from '../components/display-time-zone.js';
import { useTimeFormat } from '../components/use-time-format.js';
import { useToday } from '../components/use-today.js';
import { AnalyticsControls } from './AnalyticsControls.js';
import type { Period, PeriodChoice } from './analytics-period.js';
import { lastDays } from './analytics-period.js';
import { scopeQuery } from './analytics-scope.js';
import type { ScopeValue } from './analytics-scope.js';
import { ExportCsv } from './ExportCsv.js';
import { FiguresTable } from './FiguresTable.js';
import { FigureTiles } from './FigureTiles.js';
import { HourHeatMap } from './HourHeatMap.js';
import { TemplateSendsChart } from './TemplateSendsChart.js';
import { useAnalyticsReport, useScopeOptions } from './use-analytics.js';
import { useFigureFormat } from './use-figure-format.js';

export function AnalyticsPanel({ reads, admin }: { reads: boolean; admin: boolean }) {
  const { t } = useTranslation();
  const format = useFigureFormat();
  const times = useTimeFormat();
  const timeZone = useTimeZone() ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const today = useToday();
  const [choice, setChoice] = useState<PeriodChoice>('last30');
  const [custom, setCustom] = useState<Period>(() => lastDays(30, Date.now(), timeZone));
  const [scope, setScope] = useState<ScopeValue>('all');
  const period = choice === 'custom' ? custom : lastDays(choice === 'last7' ? 7 : 30, today, timeZone);
  const query = useMemo(() => ({ from: period.from, to: period.to, timeZone, ...scopeQuery(scope) }), [period.from, period.to, timeZone, scope]);
  const { report, failure, loading } = useAnalyticsReport(query);
  const options = useScopeOptions(report, scope, { reads, admin });
  return (
    <div className="admin-screen analytics-screen">
      <section className="panel analytics-heading">
        <div className="panel-heading">
          <div>
            <h1>{t('analytics.title')}</h1>
            <p className="muted">
              {report === null
                ? t('analytics.hint')
                : t('analytics.asOf', { from: format.day(report.period.from), to: format.day(report.period.to), at: times.dateTime(report.generatedAt) })}
            </p>
          </div>
          <ExportCsv query={query} />
        </div>
        <AnalyticsControls
          choice={choice}
          custom={custom}
          onPeriod={(next, dates) => {
            setChoice(next);
            setCustom(dates);
          }}
          scope={scope}
          options={options}
          onScope={setScope}
        />
      </section>
      <ErrorNotice problem={failure} />
      {loading && report === null ? (
        <p className="muted" role="status">
          {t('analytics.loading')}
        </p>
      ) : null}
      {report === null ? null : (
        <div className="analytics-body" aria-busy={loading}>
          <FigureTiles figures={report.totals} format={format} />
          <div className="analytics-charts">
            <HourHeatMap cells={report.busiestHours} format={format} />
            <TemplateSendsChart sends={report.templateSends} format={format} />
          </div>
          <FiguresTable
            title={t('analytics.table.agentsTitle')}
            nameHeading={t('analytics.table.agent')}
            rows={report.agents.map((agent) => ({ ...agent, key: String(agent.agentId), name: agent.displayName }))}
            format={format}
            explained
          />
          <FiguresTable
            title={t('analytics.table.teamsTitle')}
            nameHeading={t('analytics.table.team')}
            rows={report.teams.map((team) => ({
              ...team,
              key: String(team.teamId ?? 'none'),
              name: team.teamId === null ? t('analytics.table.noTeam') : team.name,
            }))}
            format={format}
          />
        </div>
      )}
    </div>
  );
}
