/** The supervisor's view of the pending scheduled messages of the teams they supervise (from the server, on opening the view). */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScheduledMessageView } from '../../../common/schedule/scheduled-message.js';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { settle } from '../../api/use-action.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';

export function TeamScheduledMessages() {
  const { t, i18n } = useTranslation();
  const [items, setItems] = useState<readonly ScheduledMessageView[] | null>(null);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  useEffect(() => {
    let current = true;
    void settle(window.sportello.listTeamScheduledMessages({})).then((result) => {
      if (!current) return;
      if (result.ok) setItems(result.value.items);
      else setFailure(result);
    });
    return () => {
      current = false;
    };
  }, []);
  const when = (at: number) => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
  return (
    <section className="panel" aria-label={t('schedule.supervisorTitle')}>
      <h2>{t('schedule.supervisorTitle')}</h2>
      <ErrorNotice problem={failure} />
      {items !== null && items.length === 0 ? <p className="muted">{t('schedule.supervisorEmpty')}</p> : null}
      <ul className="scheduled-list">
        {(items ?? []).map((item) => (
          <li key={item.id} className="scheduled-item">
            <span className="scheduled-when">
              {t('schedule.state.pending')} {when(item.sendAt)}
            </span>
            <span className="scheduled-text">
              {item.content.kind === 'text' ? item.content.text : item.content.kind === 'template' ? item.content.name : (item.content.caption ?? '')}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
