/**
 * The snooze picker: in an hour, tomorrow at 9:00, next week on Monday at 9:00, or a date and
 * time, each in the agent's time zone. A modal dialog (focus kept inside, Escape cancels); a time in the past or more than 90
 * days ahead is refused here with the words the server would use, before anything is sent (the
 * field sets no `min`: the browser's own refusal would speak its language, not the desk's).
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { snoozeProblem } from '../../../common/api/conversation-lifecycle.js';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { useTimeZone } from '../../components/display-time-zone.js';
import { formatMoment } from '../../components/time-format.js';
import { useLocale } from '../../i18n/use-locale.js';
import { fromLocalInput, snoozeTime, toLocalInput } from './snooze-times.js';
import type { SnoozeChoice } from './snooze-times.js';

interface SnoozeDialogProps {
  readonly onSnooze: (until: number) => void;
  readonly onCancel: () => void;
  readonly pending: boolean;
  /** The server's refusal of the last try. */
  readonly failure: IpcFailure | null;
}

type Choice = SnoozeChoice | 'custom';
const CHOICES: readonly SnoozeChoice[] = ['hour', 'tomorrow', 'nextWeek'];

export function SnoozeDialog({ onSnooze, onCancel, pending, failure }: SnoozeDialogProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const [openedAt] = useState(() => Date.now());
  const [choice, setChoice] = useState<Choice>('hour');
  const [custom, setCustom] = useState(() => toLocalInput(snoozeTime('tomorrow', openedAt, timeZone), timeZone));
  const [problem, setProblem] = useState<IpcFailure | null>(null);
  const name = useId();
  const confirm = () => {
    const now = Date.now();
    const until = choice === 'custom' ? fromLocalInput(custom, timeZone) : snoozeTime(choice, now, timeZone);
    const refused = until === null ? 'snooze_in_the_past' : snoozeProblem(until, now);
    if (refused !== null || until === null) {
      setProblem({ ok: false, code: refused ?? 'snooze_in_the_past', message: '' });
      return;
    }
    setProblem(null);
    onSnooze(until);
  };
  return (
    <Dialog title={t('lifecycle.snoozeTitle')} confirmLabel={t('lifecycle.snoozeConfirm')} onConfirm={confirm} onCancel={onCancel} pending={pending}>
      <p className="muted">{t('lifecycle.snoozeIntro')}</p>
      <fieldset className="snooze-choices">
        <legend className="visually-hidden">{t('lifecycle.snoozeTitle')}</legend>
        {CHOICES.map((option) => (
          <label key={option} className="snooze-choice">
            <input type="radio" name={name} checked={choice === option} onChange={() => setChoice(option)} />
            {t(`lifecycle.snoozeFor.${option}`, { time: formatMoment(snoozeTime(option, openedAt, timeZone), locale, openedAt, timeZone) })}
          </label>
        ))}
        <label className="snooze-choice">
          <input type="radio" name={name} checked={choice === 'custom'} onChange={() => setChoice('custom')} />
          {t('lifecycle.snoozeFor.custom')}
        </label>
        <label className="snooze-custom">
          <span>{t('lifecycle.snoozeAt')}</span>
          <input
            type="datetime-local"
            value={custom}
            onChange={(event) => {
              setCustom(event.target.value);
              setChoice('custom');
            }}
          />
        </label>
      </fieldset>
      <ErrorNotice problem={problem ?? failure} />
    </Dialog>
  );
}
