/**
 * The audit log: filtered by action, by who acted and by dates, newest first, a page at a time;
 * and "Verify chain", the same recomputation of the hash chain as the admin CLI's audit verify.
 */
import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntryView, AuditPage, AuditVerification } from '../../common/api/admin.js';
import type { IpcFailure } from '../../common/ipc/ipc-result.js';
import { settle, useAction } from '../api/use-action.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { TextField } from '../components/TextField.js';
import { useTimeZone } from '../components/display-time-zone.js';
import { momentAt } from '../components/time-format.js';
import { useLocale } from '../i18n/use-locale.js';
import { AdminTable } from './AdminTable.js';

const PAGE_SIZE = 50;

interface Filters {
  readonly event: string;
  readonly actor: string;
  /** yyyy-mm-dd, or empty. */
  readonly fromDay: string;
  readonly toDay: string;
}

const NO_FILTERS: Filters = { event: '', actor: '', fromDay: '', toDay: '' };

/** A day typed in the date field as midnight in the agent's time zone, in epoch milliseconds; `next`: the midnight after it. */
function midnightOf(day: string, timeZone: string | undefined, next = false): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (match === null) return undefined;
  return momentAt({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) + (next ? 1 : 0), hour: 0, minute: 0 }, timeZone);
}

function queryOf(filters: Filters, before: number | undefined, timeZone: string | undefined) {
  const from = midnightOf(filters.fromDay, timeZone);
  const to = midnightOf(filters.toDay, timeZone, true);
  return {
    limit: PAGE_SIZE,
    ...(filters.event.trim() === '' ? {} : { event: filters.event.trim().toLowerCase() }),
    ...(filters.actor.trim() === '' ? {} : { actor: filters.actor.trim() }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(before === undefined ? {} : { before }),
  };
}

function Verification({ result }: { result: AuditVerification }) {
  const { t } = useTranslation();
  if (!result.ok) {
    return (
      <div className="verify-result verify-broken" role="alert">
        <p>
          <strong>{t('audit.broken')}</strong> {result.firstBrokenId === null ? t('audit.brokenAtEnd') : t('audit.brokenAt', { id: result.firstBrokenId })}
        </p>
        {result.problem === null ? null : <p className="muted">{result.problem}</p>}
      </div>
    );
  }
  return (
    <div className="verify-result verify-ok" role="status">
      <p>
        <strong>{t('audit.holds', { count: result.rows })}</strong>
      </p>
      {result.headHash === null ? null : (
        <p className="muted">
          {t('audit.headHash')} <code>{result.headHash}</code>
        </p>
      )}
    </div>
  );
}

function EntryRow({ entry }: { entry: AuditEntryView }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  return (
    <tr>
      <td>
        <time dateTime={new Date(entry.at).toISOString()}>{new Date(entry.at).toLocaleString(locale, timeZone === undefined ? {} : { timeZone })}</time>
      </td>
      <td>
        <code>{entry.event}</code>
      </td>
      <td>
        <span className={`status status-outcome-${entry.outcome}`}>{t(`audit.outcomeValue.${entry.outcome}`, { defaultValue: entry.outcome })}</span>
      </td>
      <td>
        <code>{entry.actor}</code>
      </td>
      <td className="audit-details">
        <code>{JSON.stringify(entry.details)}</code>
      </td>
      <td />
    </tr>
  );
}

export function AuditPanel() {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [applied, setApplied] = useState<Filters>(NO_FILTERS);
  /** Where each page shown so far started (undefined: the newest). */
  const [starts, setStarts] = useState<ReadonlyArray<number | undefined>>([undefined]);
  const [page, setPage] = useState<AuditPage | null>(null);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const [verified, setVerified] = useState<AuditVerification | null>(null);
  /** Bumped after a check, so the page shows the row that recorded it. */
  const [checks, setChecks] = useState(0);
  const verify = useAction(
    () => window.sportello.adminVerifyAudit({}),
    (result) => {
      setVerified(result);
      setChecks((count) => count + 1);
    },
  );
  const before = starts[starts.length - 1];

  const timeZone = useTimeZone();
  const load = useCallback(
    async (filters: Filters, start: number | undefined) => {
      const result = await settle(window.sportello.adminListAudit(queryOf(filters, start, timeZone)));
      if (result.ok) {
        setPage(result.value);
        setFailure(null);
      } else {
        setFailure(result);
      }
    },
    [timeZone],
  );
  useEffect(() => void load(applied, before), [load, applied, before, checks]);

  const onFilter = (event: FormEvent) => {
    event.preventDefault();
    setApplied(draft);
    setStarts([undefined]);
  };
  const clear = () => {
    setDraft(NO_FILTERS);
    setApplied(NO_FILTERS);
    setStarts([undefined]);
  };

  return (
    <div className="admin-screen">
      <h1 className="visually-hidden">{t('inbox.section.audit')}</h1>
      <section className="panel">
        <div className="panel-heading">
          <h2>{t('audit.verifyTitle')}</h2>
          <button type="button" className="button-secondary" disabled={verify.pending} onClick={() => void verify.run()}>
            {verify.pending ? t('audit.verifying') : t('audit.verify')}
          </button>
        </div>
        <p className="muted">{t('audit.verifyHint')}</p>
        <ErrorNotice problem={verify.failure} />
        {verified === null ? null : <Verification result={verified} />}
      </section>
      <form className="panel audit-filters" onSubmit={onFilter} aria-label={t('audit.filtersLabel')}>
        <h2>{t('audit.filtersTitle')}</h2>
        <div className="filter-row">
          <TextField label={t('audit.action')} value={draft.event} onChange={(event) => setDraft({ ...draft, event })} hint={t('audit.actionHint')} />
          <TextField label={t('audit.actor')} value={draft.actor} onChange={(actor) => setDraft({ ...draft, actor })} hint={t('audit.actorHint')} />
          <TextField label={t('audit.from')} type="date" value={draft.fromDay} onChange={(fromDay) => setDraft({ ...draft, fromDay })} />
          <TextField label={t('audit.to')} type="date" value={draft.toDay} onChange={(toDay) => setDraft({ ...draft, toDay })} />
        </div>
        <div className="filter-actions">
          <button type="submit" className="button-primary">
            {t('audit.apply')}
          </button>
          <button type="button" className="button-secondary" onClick={clear}>
            {t('audit.clear')}
          </button>
        </div>
      </form>
      <ErrorNotice problem={failure} />
      <AdminTable
        title={t('audit.entriesTitle', { page: starts.length })}
        columns={[t('audit.at'), t('audit.action'), t('audit.outcome'), t('audit.actor'), t('audit.details')]}
      >
        {(page?.items ?? []).map((entry) => (
          <EntryRow key={entry.id} entry={entry} />
        ))}
      </AdminTable>
      {page !== null && page.items.length === 0 ? <p className="muted">{t('audit.none')}</p> : null}
      <div className="pager">
        <button type="button" className="button-secondary" disabled={starts.length === 1} onClick={() => setStarts([undefined])}>
          {t('audit.newest')}
        </button>
        <button type="button" className="button-secondary" disabled={starts.length === 1} onClick={() => setStarts(starts.slice(0, -1))}>
          {t('audit.newer')}
        </button>
        <button
          type="button"
          className="button-secondary"
          disabled={page?.nextBefore == null}
          onClick={() => page?.nextBefore != null && setStarts([...starts, page.nextBefore])}
        >
          {t('audit.older')}
        </button>
      </div>
    </div>
  );
}
