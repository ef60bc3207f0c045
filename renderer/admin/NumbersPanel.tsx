/**
 * The numbers screen: each WhatsApp business number the server serves, with its health (a token
 * Meta refused shows here), and the webhooks kept from numbers it does not serve. Read only:
 * numbers are added, given a new token and removed with the admin CLI on the server, so a token
 * goes from Meta to the server without passing through a workstation or its renderer.
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { BusinessNumberView, UnknownNumberView } from '../../common/api/business-numbers.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { formatMoment } from '../components/time-format.js';
import { useLocale } from '../i18n/use-locale.js';
import { AdminTable } from './AdminTable.js';
import { useLoaded } from './use-loaded.js';

const HEALTH_STATUS = { ok: 'status-active', needs_reauthorization: 'status-revoked', no_token: 'status-pending' } as const;

function NumberRow({ number }: { number: BusinessNumberView }) {
  const { t } = useTranslation();
  return (
    <tr>
      <td>
        {number.displayName}
        {number.ownAppSecret ? <span className="status">{t('numbers.ownApp')}</span> : null}
      </td>
      <td>
        <code>{number.phoneNumberId}</code>
      </td>
      <td>{number.wabaId === null ? '—' : <code>{number.wabaId}</code>}</td>
      <td>
        <span className={`status ${HEALTH_STATUS[number.health]}`}>{t(`numbers.healthValue.${number.health}`)}</span>
        {number.health === 'ok' ? null : <span className="status-detail">{t(`numbers.healthDetail.${number.health}`)}</span>}
      </td>
      <td>{number.conversations}</td>
      <td>{t(`numbers.sourceValue.${number.fromEnvironment ? 'settings' : 'admin'}`)}</td>
      <td />
    </tr>
  );
}

function UnknownNumbers({ unknown }: { unknown: readonly UnknownNumberView[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (unknown.length === 0) {
    return (
      <section className="panel">
        <h2>{t('numbers.unknownTitle')}</h2>
        <p className="muted">{t('numbers.unknownNone')}</p>
      </section>
    );
  }
  return (
    <>
      <AdminTable
        title={t('numbers.unknownTitle')}
        columns={[t('numbers.phoneNumberId'), t('numbers.waba'), t('numbers.reason'), t('numbers.webhooks'), t('numbers.lastReceived')]}
      >
        {unknown.map((row) => (
          <tr key={`${row.phoneNumberId}:${row.reason}`}>
            <td>
              <code>{row.phoneNumberId}</code>
            </td>
            <td>{row.wabaId === null ? '—' : <code>{row.wabaId}</code>}</td>
            <td>
              <span className={`status ${row.reason === 'other_app' ? 'status-revoked' : 'status-pending'}`}>{t(`numbers.reasonValue.${row.reason}`)}</span>
            </td>
            <td>{row.webhooks}</td>
            <td>{formatMoment(row.lastReceivedAt, locale)}</td>
            <td />
          </tr>
        ))}
      </AdminTable>
      <p className="muted">{t('numbers.unknownExplanation')}</p>
    </>
  );
}

export function NumbersPanel() {
  const { t } = useTranslation();
  const load = useCallback(() => window.sportello.adminListNumbers({}), []);
  const numbers = useLoaded(load);
  return (
    <div className="admin-screen">
      <h1 className="visually-hidden">{t('inbox.section.numbers')}</h1>
      <ErrorNotice problem={numbers.failure} />
      <AdminTable
        title={t('numbers.allTitle')}
        columns={[t('numbers.name'), t('numbers.phoneNumberId'), t('numbers.waba'), t('numbers.health'), t('numbers.conversations'), t('numbers.source')]}
      >
        {(numbers.value?.numbers ?? []).map((number) => (
          <NumberRow key={number.phoneNumberId} number={number} />
        ))}
      </AdminTable>
      <p className="muted">{t('numbers.cliOnly')}</p>
      {numbers.value === null ? null : <UnknownNumbers unknown={numbers.value.unknown} />}
    </div>
  );
}
