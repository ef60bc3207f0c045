/**
 * The busiest hours: a 7×24 grid, Monday first, on the agent's clock, each cell coloured by how
 * many messages (in and out) fell in that hour of that weekday over the period, in six classes
 * of the busiest cell (heat-0 none … heat-5 the busiest), so no style is set inline. Each cell
 * says its count to screen readers and on hover.
 */
import { useTranslation } from 'react-i18next';
import type { HourCell } from '../../common/analytics/analytics-report.js';
import { weekdayNames } from './analytics-format.js';
import type { FigureFormat } from './use-figure-format.js';

export const HEAT_LEVELS = 5;

/** 0 for an empty cell, else 1..HEAT_LEVELS by its share of the busiest. */
export function heatLevel(count: number, busiest: number): number {
  if (count <= 0 || busiest <= 0) return 0;
  return Math.max(1, Math.ceil((count / busiest) * HEAT_LEVELS));
}

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

export function HourHeatMap({ cells, format }: { cells: readonly HourCell[]; format: FigureFormat }) {
  const { t } = useTranslation();
  const days = weekdayNames(format.locale);
  const count = (weekday: number, hour: number) => {
    const cell = cells.find((found) => found.weekday === weekday && found.hour === hour);
    return cell === undefined ? 0 : cell.messagesIn + cell.messagesOut;
  };
  const busiest = Math.max(0, ...cells.map((cell) => cell.messagesIn + cell.messagesOut));
  return (
    <section className="panel analytics-chart" aria-labelledby="analytics-hours-title">
      <h2 id="analytics-hours-title">{t('analytics.hours.title')}</h2>
      <p className="muted">{t('analytics.hours.hint')}</p>
      <div className="table-scroller">
        <table className="heat-map" aria-label={t('analytics.hours.tableLabel')}>
          <thead>
            <tr>
              <td />
              {HOURS.map((hour) => (
                <th scope="col" key={hour} className="heat-hour">
                  {hour % 3 === 0 ? String(hour).padStart(2, '0') : <span className="visually-hidden">{String(hour).padStart(2, '0')}</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {days.map((day, weekday) => (
              <tr key={day}>
                <th scope="row" className="heat-day">
                  {day}
                </th>
                {HOURS.map((hour) => {
                  const messages = count(weekday, hour);
                  const words = t('analytics.hours.cell', { day, hour: String(hour).padStart(2, '0'), count: messages, messages: format.count(messages) });
                  return (
                    <td key={hour} className={`heat heat-${heatLevel(messages, busiest)}`} title={words}>
                      <span className="visually-hidden">{words}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="heat-legend" aria-hidden="true">
        <span>{t('analytics.hours.fewer')}</span>
        {Array.from({ length: HEAT_LEVELS + 1 }, (_, level) => (
          <span key={level} className={`heat-swatch heat-${level}`} />
        ))}
        <span>{t('analytics.hours.more')}</span>
      </p>
    </section>
  );
}
