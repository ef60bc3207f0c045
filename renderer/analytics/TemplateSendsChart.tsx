/** Template sends in the period by the category Meta bills them by: one bar per category. */
import type { ChartConfiguration } from 'chart.js';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TemplateSends } from '../../common/analytics/analytics-report.js';
import { ChartCanvas, themeColour } from './chart-canvas.js';
import type { FigureFormat } from './use-figure-format.js';

const ORDER = ['marketing', 'utility', 'authentication', 'unknown'] as const;

export function TemplateSendsChart({ sends, format }: { sends: readonly TemplateSends[]; format: FigureFormat }) {
  const { t } = useTranslation();
  const shown = ORDER.filter((category) => category !== 'unknown' || sends.some((row) => row.category === 'unknown' && row.sends > 0));
  const counts = shown.map((category) => sends.find((row) => row.category === category)?.sends ?? 0);
  const total = counts.reduce((sum, count) => sum + count, 0);
  const config = useMemo<ChartConfiguration<'bar'>>(
    () => ({
      type: 'bar',
      data: {
        labels: shown.map((category) => t(`analytics.category.${category}`)),
        datasets: [{ label: t('analytics.templates.sends'), data: counts, backgroundColor: themeColour('--color-accent', '#0f6a55'), borderRadius: 4 }],
      },
      options: {
        indexAxis: 'y',
        locale: format.locale,
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { grid: { display: false } } },
      },
    }),
    // The words and counts are what the chart shows; a new array of the same counts is the same chart.
    [t, format.locale, counts.join(','), shown.join(',')],
  );
  return (
    <section className="panel analytics-chart" aria-labelledby="analytics-templates-title">
      <h2 id="analytics-templates-title">{t('analytics.templates.title')}</h2>
      <p className="muted">{t('analytics.templates.hint', { total: format.count(total) })}</p>
      <ChartCanvas label={t('analytics.templates.chartLabel')} config={config} />
    </section>
  );
}
