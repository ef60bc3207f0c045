/**
 * Schedules a message (or changes one, or sets a reminder): a date and a time in the agent's time
 * zone, the text, and, for a text, the template to send instead if the customer's 24-hour window
 * has closed by then (optional). The server checks it now as a send (card numbers, links, codes)
 * and again when it goes.
 */
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScheduledMessageView } from '../../../common/schedule/scheduled-message.js';
import type { IpcResult } from '../../../common/ipc/ipc-result.js';
import { useAction } from '../../api/use-action.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { agentTimeZone, instantOf, pickedOf } from './local-time.js';

export type ScheduleDialogMode =
  | { readonly kind: 'new'; readonly text: string; readonly onScheduled?: () => void }
  | { readonly kind: 'edit'; readonly scheduled: ScheduledMessageView }
  | { readonly kind: 'reminder' };

interface ScheduleDialogProps {
  readonly conversationId: number;
  readonly mode: ScheduleDialogMode;
  readonly onDone: () => void;
  readonly onClose: () => void;
}

const HOUR = 60 * 60 * 1000;

export function ScheduleDialog({ conversationId, mode, onDone, onClose }: ScheduleDialogProps) {
  const { t } = useTranslation();
  const id = useId();
  const editing = mode.kind === 'edit' ? mode.scheduled : undefined;
  const initial = pickedOf(editing?.sendAt ?? Date.now() + HOUR);
  const [date, setDate] = useState(initial.date);
  const [time, setTime] = useState(initial.time);
  const startText = mode.kind === 'new' ? mode.text : editing?.content.kind === 'text' ? editing.content.text : '';
  const [text, setText] = useState(startText);
  const [fallback, setFallback] = useState(editing?.fallbackTemplate?.name ?? '');
  const [fallbackLanguage, setFallbackLanguage] = useState(editing?.fallbackTemplate?.languageCode ?? 'it');
  const [problem, setProblem] = useState<'time' | 'text' | null>(null);
  const key = useRef(crypto.randomUUID());
  const timeZone = agentTimeZone();
  const save = useAction(
    async (sendAt: string): Promise<IpcResult<unknown>> => {
      const fallbackTemplate = fallback.trim() === '' ? undefined : { name: fallback.trim(), languageCode: fallbackLanguage };
      if (mode.kind === 'reminder') return window.sportello.setReminder({ conversationId, remindAt: sendAt, timeZone });
      const content = { kind: 'text' as const, text };
      if (mode.kind === 'edit')
        return window.sportello.editScheduledMessage({
          scheduledId: mode.scheduled.id,
          change: { content, sendAt, timeZone, fallbackTemplate: fallbackTemplate ?? null },
        });
      return window.sportello.scheduleMessage({ conversationId, idempotencyKey: key.current, content, sendAt, timeZone, fallbackTemplate });
    },
    () => {
      if (mode.kind === 'new') mode.onScheduled?.();
      onDone();
      onClose();
    },
  );
  const confirm = () => {
    const sendAt = instantOf(date, time);
    if (sendAt === null || Date.parse(sendAt) <= Date.now()) return setProblem('time');
    if (mode.kind !== 'reminder' && text.trim() === '') return setProblem('text');
    setProblem(null);
    void save.run(sendAt);
  };
  const title = mode.kind === 'reminder' ? t('schedule.remindTitle') : mode.kind === 'edit' ? t('schedule.editTitle') : t('schedule.dialogTitle');
  return (
    <Dialog
      title={title}
      confirmLabel={mode.kind === 'reminder' ? t('schedule.remindConfirm') : t('schedule.confirm')}
      pending={save.pending}
      onCancel={onClose}
      onConfirm={confirm}
    >
      <div className="schedule-fields">
        <label htmlFor={`${id}-date`}>{t('schedule.date')}</label>
        <input id={`${id}-date`} type="date" value={date} onChange={(event) => setDate(event.target.value)} />
        <label htmlFor={`${id}-time`}>{t('schedule.time')}</label>
        <input id={`${id}-time`} type="time" value={time} onChange={(event) => setTime(event.target.value)} />
      </div>
      <p className="hint">{t('schedule.inZone', { zone: timeZone })}</p>
      {problem === 'time' ? <p className="form-problem">{t('schedule.pickFuture')}</p> : null}
      {mode.kind === 'reminder' ? null : (
        <>
          <label htmlFor={`${id}-text`}>{t('schedule.text')}</label>
          <textarea id={`${id}-text`} className="composer-text" rows={3} value={text} onChange={(event) => setText(event.target.value)} />
          {problem === 'text' ? <p className="form-problem">{t('schedule.needsText')}</p> : null}
          <label htmlFor={`${id}-fallback`}>{t('schedule.fallback')}</label>
          <div className="schedule-fields">
            <input
              id={`${id}-fallback`}
              value={fallback}
              placeholder={t('schedule.fallbackPlaceholder')}
              onChange={(event) => setFallback(event.target.value)}
            />
            <select aria-label={t('schedule.fallbackLanguage')} value={fallbackLanguage} onChange={(event) => setFallbackLanguage(event.target.value)}>
              <option value="it">it</option>
              <option value="en_US">en_US</option>
            </select>
          </div>
          <p className="hint">{t('schedule.fallbackHint')}</p>
        </>
      )}
      <ErrorNotice problem={save.failure} />
    </Dialog>
  );
}
