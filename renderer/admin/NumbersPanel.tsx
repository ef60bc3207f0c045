/**
 * The numbers screen: each WhatsApp business number the server serves, with its health (a token
 * Meta refused shows here), and the webhooks kept from numbers it does not serve. An admin adds
 * numbers, gives one a new token and removes one here as with the admin CLI; a token typed here
 * goes to the server in one call and is kept by neither the renderer nor main.
 */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BusinessNumberView, NumberRemoved, UnknownNumberView } from '../../common/api/business-numbers.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useTimeFormat } from '../components/use-time-format.js';
import { AddNumber } from './AddNumber.js';
import { AdminTable } from './AdminTable.js';
import { RemoveNumberDialog, RotateTokenDialog } from './NumberDialogs.js';
import { useLoaded } from './use-loaded.js';

const HEALTH_STATUS = { ok: 'status-active', needs_reauthorization: 'status-revoked', no_token: 'status-pending' } as const;

type RowAction = { readonly kind: 'token' | 'remove'; readonly number: BusinessNumberView };

function NumberRow({ number, onAction }: { number: BusinessNumberView; onAction: (action: RowAction) => void }) {
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
      <td>
        <div className="row-actions">
          <button
            type="button"
            className="button-secondary"
            onClick={() => onAction({ kind: 'token', number })}
            aria-label={`${t('numbers.newToken')}: ${number.displayName}`}
          >
            {t('numbers.newToken')}
          </button>
          {number.fromEnvironment ? null : (
            <button
              type="button"
              className="button-danger-quiet"
              onClick={() => onAction({ kind: 'remove', number })}
              aria-label={`${t('numbers.remove')}: ${number.displayName}`}
            >
              {t('numbers.remove')}
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}

function UnknownNumbers({ unknown }: { unknown: readonly UnknownNumberView[] }) {
  const { t } = useTranslation();
  const time = useTimeFormat();
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
            <td>{time.moment(row.lastReceivedAt)}</td>
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
  const [action, setAction] = useState<RowAction | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const finish = (words: string) => {
    setAction(null);
    setDone(words);
    numbers.reload();
  };
  const nameOf = (phoneNumberId: string | null) =>
    numbers.value?.numbers.find((number) => number.phoneNumberId === phoneNumberId)?.displayName ?? phoneNumberId;
  const removed = (name: string, result: NumberRemoved) =>
    result.movedConversations === 0
      ? t('numbers.removed', { name })
      : t('numbers.removedMoved', { name, count: result.movedConversations, to: nameOf(result.movedTo) });
  const all = numbers.value?.numbers ?? [];
  return (
    <div className="admin-screen">
      <h1 className="visually-hidden">{t('inbox.section.numbers')}</h1>
      <ErrorNotice problem={numbers.failure} />
      <AdminTable
        title={t('numbers.allTitle')}
        columns={[
          t('numbers.name'),
          t('numbers.phoneNumberId'),
          t('numbers.waba'),
          t('numbers.health'),
          t('numbers.conversations'),
          t('numbers.source'),
          t('numbers.actions'),
        ]}
      >
        {all.map((number) => (
          <NumberRow
            key={number.phoneNumberId}
            number={number}
            onAction={(next) => {
              setDone(null);
              setAction(next);
            }}
          />
        ))}
      </AdminTable>
      {done === null ? null : (
        <p role="status" className="muted">
          {done}
        </p>
      )}
      <p className="muted">{t('numbers.manageNote')}</p>
      <AddNumber onAdded={numbers.reload} />
      {numbers.value === null ? null : <UnknownNumbers unknown={numbers.value.unknown} />}
      {action?.kind === 'token' ? (
        <RotateTokenDialog
          number={action.number}
          onDone={() => finish(t('numbers.tokenReplaced', { name: action.number.displayName }))}
          onCancel={() => setAction(null)}
        />
      ) : null}
      {action?.kind === 'remove' ? (
        <RemoveNumberDialog
          number={action.number}
          others={all.filter((number) => number.phoneNumberId !== action.number.phoneNumberId)}
          onDone={(result) => finish(removed(action.number.displayName, result))}
          onCancel={() => setAction(null)}
        />
      ) : null}
    </div>
  );
}
