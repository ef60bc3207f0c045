/** Who is signed in where: every live session, and ending one (the workstation is signed out at once). */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../common/api/admin.js';
import { useAction } from '../api/use-action.js';
import { Dialog } from '../components/Dialog.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useTimeFormat } from '../components/use-time-format.js';
import { AdminTable } from './AdminTable.js';
import { useLoaded } from './use-loaded.js';

function useWhere() {
  const { t } = useTranslation();
  return (session: SessionView) => (session.device === null ? t('sessions.approvalPage') : session.device.label);
}

function EndSessionDialog({ session, onDone, onCancel }: { session: SessionView; onDone: (ended: SessionView) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const where = useWhere();
  const end = useAction(() => window.sportello.adminEndSession({ sessionId: session.id }), onDone);
  return (
    <Dialog
      title={t('sessions.endTitle', { name: session.agent.displayName, where: where(session) })}
      confirmLabel={t('sessions.end')}
      onConfirm={() => void end.run()}
      onCancel={onCancel}
      pending={end.pending}
      destructive
    >
      <p>{t('sessions.endExplanation')}</p>
      <ErrorNotice problem={end.failure} />
    </Dialog>
  );
}

function SessionRow({ session, onEnd }: { session: SessionView; onEnd: (session: SessionView) => void }) {
  const { t } = useTranslation();
  const format = useTimeFormat();
  const where = useWhere();
  return (
    <tr>
      <td>
        {session.agent.displayName} <code>{session.agent.username}</code>
        {session.current ? <span className="status status-active status-after">{t('sessions.current')}</span> : null}
      </td>
      <td>{where(session)}</td>
      <td>{session.device === null ? '—' : session.device.hostname}</td>
      <td>
        <code>{session.sourceAddress}</code>
      </td>
      <td>{format.moment(session.signedInAt)}</td>
      <td>{format.moment(session.lastSeenAt)}</td>
      <td>
        {session.current ? null : (
          <div className="row-actions">
            <button
              type="button"
              className="button-danger-quiet"
              onClick={() => onEnd(session)}
              aria-label={t('sessions.endNamed', { name: session.agent.displayName, where: where(session) })}
            >
              {t('sessions.end')}
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}

export function SessionsPanel() {
  const { t } = useTranslation();
  const load = useCallback(() => window.sportello.adminListSessions({}), []);
  const sessions = useLoaded(load);
  const [ending, setEnding] = useState<SessionView | null>(null);
  const [ended, setEnded] = useState<SessionView | null>(null);
  const where = useWhere();
  return (
    <div className="admin-screen">
      <h1 className="visually-hidden">{t('inbox.section.sessions')}</h1>
      <section className="panel">
        <div className="panel-heading">
          <h2>{t('sessions.title')}</h2>
          <button type="button" className="button-secondary" onClick={sessions.reload}>
            {t('devices.refresh')}
          </button>
        </div>
        <p className="muted">{t('sessions.hint')}</p>
        <p role="status" className="status-line">
          {ended === null ? '' : t('sessions.ended', { name: ended.agent.displayName, where: where(ended) })}
        </p>
      </section>
      <ErrorNotice problem={sessions.failure} />
      <AdminTable
        title={t('sessions.allTitle', { count: sessions.value?.sessions.length ?? 0 })}
        columns={[t('sessions.agent'), t('sessions.where'), t('sessions.machine'), t('sessions.address'), t('sessions.signedIn'), t('sessions.lastSeen')]}
      >
        {(sessions.value?.sessions ?? []).map((session) => (
          <SessionRow key={session.id} session={session} onEnd={setEnding} />
        ))}
      </AdminTable>
      {ending === null ? null : (
        <EndSessionDialog
          session={ending}
          onCancel={() => setEnding(null)}
          onDone={(done) => {
            setEnding(null);
            setEnded(done);
            sessions.reload();
          }}
        />
      )}
    </div>
  );
}
