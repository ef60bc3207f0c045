/**
 * A conversation's scheduled messages, shown above its composer: each pending one with its time
 * (in the agent's zone), its text and Edit and Cancel; one that came back says why; and the
 * agent's "Remind me", with the reminder set.
 */
import { useTranslation } from 'react-i18next';
import type { ScheduledMessageView } from '../../../common/schedule/scheduled-message.js';
import { useAction } from '../../api/use-action.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { useSchedule } from './schedule-context.js';

const shownWhen = (at: number, locale: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(at);

function summary(item: ScheduledMessageView): string {
  switch (item.content.kind) {
    case 'text':
      return item.content.text;
    case 'template':
      return item.content.name;
    case 'media':
      return item.content.caption ?? '';
  }
}

export function ScheduledMessages() {
  const { t, i18n } = useTranslation();
  const schedule = useSchedule();
  const cancel = useAction(
    (scheduledId: number) => window.sportello.cancelScheduledMessage({ scheduledId }),
    () => schedule?.refresh(),
  );
  if (schedule === undefined) return null;
  const shown = schedule.scheduled.filter((item) => item.state === 'pending' || item.state === 'sending' || item.state === 'returned');
  return (
    <section className="scheduled-messages" aria-label={t('schedule.listLabel')}>
      <div className="scheduled-messages-head">
        {schedule.reminder === undefined || schedule.reminder.state === 'cancelled' ? null : (
          <span className={schedule.reminder.state === 'due' ? 'hint reminder-due' : 'hint'} role={schedule.reminder.state === 'due' ? 'status' : undefined}>
            {t(schedule.reminder.state === 'due' ? 'schedule.reminderDue' : 'schedule.reminderSet', {
              when: shownWhen(schedule.reminder.remindAt, i18n.language),
            })}
          </span>
        )}
        <button type="button" className="button-secondary" onClick={() => schedule.open({ kind: 'reminder' })}>
          {t('schedule.remindMe')}
        </button>
      </div>
      <ul className="scheduled-list">
        {shown.map((item) => (
          <li key={item.id} className={`scheduled-item scheduled-${item.state}`}>
            <span className="scheduled-when">
              {item.state === 'returned'
                ? t('schedule.returned', { reason: t(`schedule.reason.${item.reason ?? 'unknown'}`, { defaultValue: t('schedule.reason.unknown') }) })
                : t(`schedule.state.${item.state}`)}{' '}
              {shownWhen(item.sendAt, i18n.language)}
            </span>
            <span className="scheduled-text">{summary(item)}</span>
            {item.fallbackTemplate === null ? null : <span className="hint">{t('schedule.withFallback', { name: item.fallbackTemplate.name })}</span>}
            {item.state !== 'pending' ? null : (
              <span className="scheduled-actions">
                <button type="button" className="button-secondary" onClick={() => schedule.open({ kind: 'edit', scheduled: item })}>
                  {t('schedule.edit')}
                </button>
                <button type="button" className="button-secondary" disabled={cancel.pending} onClick={() => void cancel.run(item.id)}>
                  {t('schedule.cancel')}
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
      <ErrorNotice problem={cancel.failure} />
    </section>
  );
}
