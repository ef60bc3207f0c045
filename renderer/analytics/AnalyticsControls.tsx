/**
 * What the dashboard shows: the period (the last 7 or 30 days, or two dates picked and applied)
 * and the scope (all the viewer may see, a team, an agent or a business number).
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Period, PeriodChoice } from './analytics-period.js';
import { periodProblem } from './analytics-period.js';
import { scopeValue } from './analytics-scope.js';
import type { ScopeValue } from './analytics-scope.js';

export interface ScopeOptions {
  readonly teams: ReadonlyArray<{ id: number; name: string }>;
  readonly agents: ReadonlyArray<{ id: number; name: string }>;
  readonly numbers: ReadonlyArray<{ id: string; name: string }>;
}

interface AnalyticsControlsProps {
  readonly choice: PeriodChoice;
  readonly custom: Period;
  readonly onPeriod: (choice: PeriodChoice, custom: Period) => void;
  readonly scope: ScopeValue;
  readonly options: ScopeOptions;
  readonly onScope: (scope: ScopeValue) => void;
}

function CustomDates({ custom, onApply }: { custom: Period; onApply: (period: Period) => void }) {
  const { t } = useTranslation();
  const ids = useId();
  const [from, setFrom] = useState(custom.from);
  const [to, setTo] = useState(custom.to);
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      className="analytics-dates"
      aria-label={t('analytics.period.customLabel')}
      onSubmit={(event) => {
        event.preventDefault();
        const found = periodProblem({ from, to });
        setProblem(found);
        if (found === null) onApply({ from, to });
      }}
    >
      <span className="field-inline">
        <label htmlFor={`${ids}-1`}>{t('analytics.period.from')}</label>
        <input id={`${ids}-1`} type="date" value={from} onChange={(event) => setFrom(event.target.value)} />
      </span>
      <span className="field-inline">
        <label htmlFor={`${ids}-2`}>{t('analytics.period.to')}</label>
        <input id={`${ids}-2`} type="date" value={to} onChange={(event) => setTo(event.target.value)} />
      </span>
      <button type="submit" className="button-secondary">
        {t('analytics.period.apply')}
      </button>
      {problem === null ? null : (
        <p className="error-notice" role="alert">
          {t(`analytics.period.${problem}`)}
        </p>
      )}
    </form>
  );
}

export function AnalyticsControls({ choice, custom, onPeriod, scope, options, onScope }: AnalyticsControlsProps) {
  const { t } = useTranslation();
  const ids = useId();
  return (
    <div className="analytics-controls">
      <span className="field-inline">
        <label htmlFor={`${ids}-3`}>{t('analytics.period.label')}</label>
        <select id={`${ids}-3`} value={choice} onChange={(event) => onPeriod(event.target.value as PeriodChoice, custom)}>
          <option value="last7">{t('analytics.period.last7')}</option>
          <option value="last30">{t('analytics.period.last30')}</option>
          <option value="custom">{t('analytics.period.custom')}</option>
        </select>
      </span>
      {choice === 'custom' ? <CustomDates custom={custom} onApply={(period) => onPeriod('custom', period)} /> : null}
      <span className="field-inline">
        <label htmlFor={`${ids}-4`}>{t('analytics.scope.label')}</label>
        <select id={`${ids}-4`} value={scope} onChange={(event) => onScope(event.target.value as ScopeValue)}>
          <option value="all">{t('analytics.scope.all')}</option>
          {options.teams.length === 0 ? null : (
            <optgroup label={t('analytics.scope.teams')}>
              {options.teams.map((team) => (
                <option key={team.id} value={scopeValue('team', team.id)}>
                  {team.name}
                </option>
              ))}
            </optgroup>
          )}
          {options.agents.length === 0 ? null : (
            <optgroup label={t('analytics.scope.agents')}>
              {options.agents.map((agent) => (
                <option key={agent.id} value={scopeValue('agent', agent.id)}>
                  {agent.name}
                </option>
              ))}
            </optgroup>
          )}
          {options.numbers.length < 2 ? null : (
            <optgroup label={t('analytics.scope.numbers')}>
              {options.numbers.map((number) => (
                <option key={number.id} value={scopeValue('number', number.id)}>
                  {number.name}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </span>
    </div>
  );
}
