/**
 * The security briefing (admins): the version in force, its rules edited and published whole as
 * the next version (every agent then acknowledges it before their inbox opens again), and who has
 * acknowledged which version. When someone published another version meanwhile the server refuses
 * (`briefing_changed`) and the panel offers to load theirs.
 */
import type { FormEvent } from 'react';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BriefingRule, BriefingVersionView } from '../../common/briefing/briefing.js';
import { useAction } from '../api/use-action.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useTimeFormat } from '../components/use-time-format.js';
import { AdminTable } from './AdminTable.js';
import { BriefingRuleFields, EMPTY_RULE } from './BriefingRuleFields.js';
import { useLoaded } from './use-loaded.js';

function Acknowledgements({ reloadKey }: { reloadKey: number }) {
  const { t } = useTranslation();
  const format = useTimeFormat();
  const load = useCallback(() => window.sportello.adminListBriefingAcknowledgements({}), []);
  const loaded = useLoaded(load);
  const { reload } = loaded;
  useEffect(() => {
    if (reloadKey > 0) reload();
  }, [reloadKey, reload]);
  if (loaded.value === null) return <ErrorNotice problem={loaded.failure} />;
  return (
    <AdminTable title={t('briefing.admin.acks')} columns={[t('briefing.admin.agent'), t('briefing.admin.acknowledged'), t('briefing.admin.current')]}>
      {loaded.value.agents.map((row) => (
        <tr key={row.agentId}>
          <td>
            {row.displayName} <span className="muted">({row.username})</span>
          </td>
          <td>
            {row.acknowledgedVersion === null
              ? t('briefing.admin.never')
              : t('briefing.admin.versionAt', { version: row.acknowledgedVersion, at: format.moment(row.acknowledgedAt ?? 0) })}
          </td>
          <td>{row.current ? t('briefing.admin.yes') : t('briefing.admin.no')}</td>
          <td />
        </tr>
      ))}
    </AdminTable>
  );
}

export function BriefingPanel() {
  const { t } = useTranslation();
  const format = useTimeFormat();
  const load = useCallback(() => window.sportello.adminGetBriefing({}), []);
  const loaded = useLoaded(load);
  const [shown, setShown] = useState<BriefingVersionView | null>(null);
  const [rules, setRules] = useState<BriefingRule[]>([]);
  const [published, setPublished] = useState<number | null>(null);
  const [acksKey, setAcksKey] = useState(0);
  useEffect(() => {
    if (loaded.value === null) return;
    setShown(loaded.value);
    setRules(loaded.value.rules);
  }, [loaded.value]);
  const publish = useAction(
    (view: BriefingVersionView, next: BriefingRule[]) => window.sportello.adminPublishBriefing({ fromVersion: view.version, rules: next }),
    (stored) => {
      setShown(stored);
      setRules(stored.rules);
      setPublished(stored.version);
      setAcksKey((key) => key + 1);
    },
  );
  if (shown === null)
    return (
      <div className="admin-screen">
        <h1 className="visually-hidden">{t('inbox.section.briefing')}</h1>
        <ErrorNotice problem={loaded.failure} />
      </div>
    );
  const change = (index: number, rule: BriefingRule) => {
    setPublished(null);
    setRules(rules.map((held, at) => (at === index ? rule : held)));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void publish.run(shown, rules);
  };
  const stale = publish.failure?.code === 'briefing_changed';
  return (
    <div className="admin-screen briefing-screen">
      <h1 className="visually-hidden">{t('inbox.section.briefing')}</h1>
      <p className="muted" data-testid="briefing-version">
        {t('briefing.admin.version', { version: shown.version })}{' '}
        {shown.publishedBy === null
          ? t('briefing.admin.builtIn')
          : t('briefing.admin.publishedBy', { by: shown.publishedBy, at: format.moment(shown.publishedAt ?? 0) })}
      </p>
      <Acknowledgements reloadKey={acksKey} />
      <form onSubmit={submit} aria-label={t('briefing.admin.formLabel')}>
        {rules.map((rule, index) => (
          <BriefingRuleFields
            key={index}
            rule={rule}
            number={index + 1}
            onChange={(next) => change(index, next)}
            onRemove={rules.length > 1 ? () => setRules(rules.filter((_rule, at) => at !== index)) : undefined}
          />
        ))}
        <ErrorNotice problem={publish.failure} />
        {published === null ? null : (
          <p role="status" className="notice">
            {t('briefing.admin.published', { version: published })}
          </p>
        )}
        <div className="actions">
          <button type="button" className="button-secondary" onClick={() => setRules([...rules, EMPTY_RULE])} disabled={rules.length >= 30}>
            {t('briefing.admin.addRule')}
          </button>
          {stale ? (
            <button type="button" className="button-secondary" onClick={loaded.reload}>
              {t('briefing.admin.loadCurrent')}
            </button>
          ) : null}
          <button type="submit" className="button-primary" disabled={publish.pending}>
            {t('briefing.admin.publish', { version: shown.version + 1 })}
          </button>
        </div>
      </form>
    </div>
  );
}
