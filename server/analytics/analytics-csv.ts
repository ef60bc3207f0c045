/**
 * An analytics report as CSV (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote
 * or line end quoted): the figures (a total row, one per team, one per agent), the busiest hours, or
 * the template sends. A name that a spreadsheet would take for a formula (= + - @, tab, CR) is
 * written with a leading apostrophe, so opening the file never runs anything.
 */
import type { AnalyticsCsvTable } from '../../common/analytics/analytics-query.js';
import type { AnalyticsReport, Figures } from '../../common/analytics/analytics-report.js';

type Cell = string | number | null;

export const FIGURE_COLUMNS = [
  'row',
  'team_id',
  'team',
  'agent_id',
  'agent',
  'conversations_opened',
  'conversations_resolved',
  'first_response_count',
  'first_response_median_s',
  'first_response_p90_s',
  'resolution_count',
  'resolution_median_s',
  'resolution_p90_s',
  'messages_in',
  'messages_out',
  'answered_within_target',
  'answered_counted',
  'answered_within_target_share',
  'waiting',
  'oldest_wait_s',
] as const;

function field(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return Number.isInteger(cell) ? String(cell) : cell.toFixed(3);
  const text = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function line(cells: readonly Cell[]): string {
  return `${cells.map(field).join(',')}\r\n`;
}

function figureCells(figures: Figures): Cell[] {
  return [
    figures.conversationsOpened,
    figures.conversationsResolved,
    figures.firstResponse.count,
    figures.firstResponse.median,
    figures.firstResponse.p90,
    figures.resolution.count,
    figures.resolution.median,
    figures.resolution.p90,
    figures.messagesIn,
    figures.messagesOut,
    figures.answeredWithinTarget.within,
    figures.answeredWithinTarget.counted,
    figures.answeredWithinTarget.share,
    figures.waiting.count,
    figures.waiting.oldestWaitSeconds,
  ];
}

export function analyticsCsv(report: AnalyticsReport, table: AnalyticsCsvTable): string {
  if (table === 'hours') {
    return [
      line(['weekday', 'hour', 'messages_in', 'messages_out']),
      ...report.busiestHours.map((cell) => line([cell.weekday, cell.hour, cell.messagesIn, cell.messagesOut])),
    ].join('');
  }
  if (table === 'templates') return [line(['category', 'sends']), ...report.templateSends.map((row) => line([row.category, row.sends]))].join('');
  return [
    line(FIGURE_COLUMNS),
    line(['total', null, null, null, null, ...figureCells(report.totals)]),
    ...report.teams.map((team) => line(['team', team.teamId, team.name, null, null, ...figureCells(team)])),
    ...report.agents.map((agent) => line(['agent', null, null, agent.agentId, agent.displayName, ...figureCells(agent)])),
  ].join('');
}

/** The file's name: the period and scope, nothing a header could be broken with. */
export function csvFilename(report: AnalyticsReport, table: AnalyticsCsvTable): string {
  const scope = report.scope.id === null ? report.scope.kind : `${report.scope.kind}-${report.scope.id}`;
  return `sportello-analytics-${table}-${scope}-${report.period.from}-${report.period.to}.csv`.replace(/[^0-9A-Za-z._-]/g, '_');
}
