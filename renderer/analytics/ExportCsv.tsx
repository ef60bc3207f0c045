/**
 * "Export CSV": the figures shown (or the busiest hours, or the template sends) as a CSV file,
 * which main fetches from the server and saves where the supervisor chooses in the save dialog.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalyticsCsvTable, AnalyticsQueryInput } from '../../common/analytics/analytics-query.js';
import { useAction } from '../api/use-action.js';
import { ErrorNotice } from '../components/ErrorNotice.js';

export function ExportCsv({ query }: { query: AnalyticsQueryInput }) {
  const { t } = useTranslation();
  const ids = useId();
  const [table, setTable] = useState<AnalyticsCsvTable>('figures');
  const [saved, setSaved] = useState<string | null>(null);
  const exporting = useAction(
    (chosen: AnalyticsCsvTable) => window.sportello.exportAnalyticsCsv({ ...query, table: chosen }),
    (result) => setSaved(result.fileName),
  );
  return (
    <div className="analytics-export">
      <span className="field-inline">
        <label htmlFor={`${ids}-1`}>{t('analytics.export.tableLabel')}</label>
        <select id={`${ids}-1`} value={table} onChange={(event) => setTable(event.target.value as AnalyticsCsvTable)}>
          <option value="figures">{t('analytics.export.table.figures')}</option>
          <option value="hours">{t('analytics.export.table.hours')}</option>
          <option value="templates">{t('analytics.export.table.templates')}</option>
        </select>
      </span>
      <button
        type="button"
        className="button-primary"
        disabled={exporting.pending}
        onClick={() => {
          setSaved(null);
          void exporting.run(table);
        }}
      >
        {exporting.pending ? t('analytics.export.saving') : t('analytics.export.button')}
      </button>
      {saved === null ? null : (
        <p role="status" className="analytics-saved">
          {t('analytics.export.saved', { name: saved })}
        </p>
      )}
      <ErrorNotice problem={exporting.failure} />
    </div>
  );
}
