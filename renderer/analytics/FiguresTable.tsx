/** One row per team or per agent with the period's figures: who carries the load, and how fast they answer. */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Figures } from '../../common/analytics/analytics-report.js';
import type { FigureFormat } from './use-figure-format.js';

export interface FiguresRow extends Figures {
  readonly key: string;
  readonly name: string;
}

interface FiguresTableProps {
  readonly title: string;
  /** The first column's heading: Team, Agent. */
  readonly nameHeading: string;
  readonly rows: readonly FiguresRow[];
  readonly format: FigureFormat;
  /** Says below the table what the times are (once per screen). */
  readonly explained?: boolean;
}

export function FiguresTable({ title, nameHeading, rows, format, explained = false }: FiguresTableProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const columns = [
    t('analytics.table.opened'),
    t('analytics.table.resolved'),
    t('analytics.table.firstResponse'),
    t('analytics.table.resolution'),
    t('analytics.table.withinTarget'),
    t('analytics.table.messagesInOut'),
    t('analytics.table.waiting'),
  ];
  return (
    <section className="panel analytics-table" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      {rows.length === 0 ? (
        <p className="muted">{t('analytics.table.none')}</p>
      ) : (
        <div className="table-scroller">
          <table className="admin-table figures-table">
            <thead>
              <tr>
                <th scope="col">{nameHeading}</th>
                {columns.map((column) => (
                  <th scope="col" key={column} className="figure-column">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key}>
                  <th scope="row">{row.name}</th>
                  <td className="figure-column">{format.count(row.conversationsOpened)}</td>
                  <td className="figure-column">{format.count(row.conversationsResolved)}</td>
                  <td className="figure-column">
                    {format.duration(row.firstResponse.median)} <span className="muted">· {format.duration(row.firstResponse.p90)}</span>
                  </td>
                  <td className="figure-column">
                    {format.duration(row.resolution.median)} <span className="muted">· {format.duration(row.resolution.p90)}</span>
                  </td>
                  <td className="figure-column">{format.share(row.answeredWithinTarget.share)}</td>
                  <td className="figure-column">
                    {format.count(row.messagesIn)} / {format.count(row.messagesOut)}
                  </td>
                  <td className="figure-column">{format.count(row.waiting.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {explained ? <p className="muted table-note">{t('analytics.table.note')}</p> : null}
    </section>
  );
}
