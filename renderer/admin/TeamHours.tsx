/**
 * A team's business hours and away message, on its card of the teams screen: the zone, each
 * weekday's intervals as text, the holidays one a line, and the one away message sent to a
 * customer who writes while the team is closed (once per quiet period; written in whichever
 * language(s) the team's customers read). The server checks the hours and answers a mistake in
 * words; the screen only reads the text. It says whether the team is open now, by the hours saved.
 */
import type { FormEvent } from 'react';
import { useCallback, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BusinessHours, TeamHoursView } from '../../common/hours/business-hours.js';
import { MAX_AWAY_MESSAGE, WEEKDAYS } from '../../common/hours/business-hours.js';
import { compileHours, isOpenAt } from '../../common/hours/open-hours.js';
import { useAction } from '../api/use-action.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { TextField } from '../components/TextField.js';
import { dayText, holidaysText, readDayText, readHolidaysText } from './hours-text.js';
import { useLoaded } from './use-loaded.js';

const ZONES: readonly string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
const DEFAULT_ZONE = 'Europe/Rome';

interface Draft {
  readonly zone: string;
  readonly days: Readonly<Record<(typeof WEEKDAYS)[number], string>>;
  readonly holidays: string;
  readonly away: string;
}

function draftOf(view: TeamHoursView): Draft {
  const hours = view.hours;
  return {
    zone: hours?.timeZone ?? DEFAULT_ZONE,
    days: Object.fromEntries(WEEKDAYS.map((day) => [day, hours === null ? '' : dayText(hours.week[day])])) as Draft['days'],
    holidays: hours === null ? '' : holidaysText(hours.holidays),
    away: view.awayMessage ?? '',
  };
}

/** The draft as the wire's hours, or the first thing the screen could not read. */
function hoursOf(draft: Draft): { hours: BusinessHours } | { unreadable: string } {
  const week: Partial<Record<(typeof WEEKDAYS)[number], BusinessHours['week']['mon']>> = {};
  for (const day of WEEKDAYS) {
    const intervals = readDayText(draft.days[day]);
    if (intervals === undefined) return { unreadable: day };
    week[day] = intervals;
  }
  const holidays = readHolidaysText(draft.holidays);
  if ('unreadable' in holidays) return { unreadable: 'holidays' };
  return { hours: { timeZone: draft.zone.trim(), week: week as BusinessHours['week'], holidays: holidays.holidays } };
}

/** A labelled text area with its hint. */
function AreaField({
  label,
  hint,
  value,
  onChange,
  maxLength,
}: {
  label: string;
  hint: string;
  value: string;
  onChange: (text: string) => void;
  maxLength?: number;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} rows={3} maxLength={maxLength} value={value} onChange={(event) => onChange(event.target.value)} aria-describedby={`${id}-hint`} />
      <p className="field-hint" id={`${id}-hint`}>
        {hint}
      </p>
    </div>
  );
}

function HoursForm({ view, onSaved }: { view: TeamHoursView; onSaved: (saved: TeamHoursView, words: string) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>(() => draftOf(view));
  const [unreadable, setUnreadable] = useState<string | null>(null);
  const [words, setWords] = useState('');
  const zonesId = useId();
  const save = useAction(
    (hours: BusinessHours | null, awayMessage: string | null) => window.sportello.setTeamHours({ teamId: view.teamId, hours, awayMessage }),
    (saved) => onSaved(saved, words),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const read = hoursOf(draft);
    if ('unreadable' in read) {
      setUnreadable(read.unreadable);
      return;
    }
    setUnreadable(null);
    setWords(t('hours.saved', { name: view.teamName }));
    void save.run(read.hours, draft.away.trim() === '' ? null : draft.away);
  };
  const clear = () => {
    setUnreadable(null);
    setWords(t('hours.cleared', { name: view.teamName }));
    void save.run(null, null);
  };
  const set = (change: Partial<Draft>) => setDraft((current) => ({ ...current, ...change }));
  return (
    <form className="hours-form" onSubmit={submit} aria-label={t('hours.formLabel', { name: view.teamName })}>
      <TextField label={t('hours.timeZone')} value={draft.zone} onChange={(zone) => set({ zone })} list={zonesId} autoComplete="off" required />
      <datalist id={zonesId}>
        {ZONES.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <fieldset className="hours-week">
        <legend>{t('hours.week')}</legend>
        <p className="field-hint">{t('hours.weekHint')}</p>
        {WEEKDAYS.map((day) => (
          <TextField
            key={day}
            label={t(`hours.day.${day}`)}
            value={draft.days[day]}
            onChange={(text) => set({ days: { ...draft.days, [day]: text } })}
            placeholder={t('hours.closedDay')}
            autoComplete="off"
          />
        ))}
      </fieldset>
      <AreaField label={t('hours.holidays')} hint={t('hours.holidaysHint')} value={draft.holidays} onChange={(holidays) => set({ holidays })} />
      <AreaField label={t('hours.awayMessage')} hint={t('hours.awayHint')} value={draft.away} onChange={(away) => set({ away })} maxLength={MAX_AWAY_MESSAGE} />
      {unreadable === null ? null : (
        <p className="error-notice" role="alert">
          {unreadable === 'holidays' ? t('hours.unreadableHolidays') : t('hours.unreadableDay', { day: t(`hours.day.${unreadable}`) })}
        </p>
      )}
      <ErrorNotice problem={save.failure} />
      <div className="inline-form">
        <button type="submit" className="button-primary" disabled={save.pending}>
          {t('hours.save')}
        </button>
        {view.hours === null && view.awayMessage === null ? null : (
          <button type="button" className="button-danger-quiet" onClick={clear} disabled={save.pending}>
            {t('hours.clear')}
          </button>
        )}
      </div>
    </form>
  );
}

/** Whether the team is open now by its saved hours, said in words. */
function OpenNow({ view }: { view: TeamHoursView }) {
  const { t } = useTranslation();
  const open = useMemo(() => (view.hours === null ? null : isOpenAt(compileHours(view.hours), Date.now())), [view.hours]);
  const text =
    open === null
      ? t('hours.alwaysOpen')
      : t(open ? 'hours.openNow' : 'hours.closedNow', { zone: view.hours?.timeZone ?? '' }) +
        (view.awayMessage === null ? ` · ${t('hours.noAwayMessage')}` : '');
  return <p className="muted hours-now">{text}</p>;
}

export function TeamHours({ teamId }: { teamId: number }) {
  const { t } = useTranslation();
  const load = useCallback(() => window.sportello.getTeamHours({ teamId }), [teamId]);
  const loaded = useLoaded(load);
  const [done, setDone] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const view = loaded.value;
  return (
    <div className="team-hours">
      <h3>{t('hours.title')}</h3>
      <ErrorNotice problem={loaded.failure} />
      {view === null ? null : (
        <>
          <OpenNow view={view} />
          {done === null ? null : (
            <p role="status" className="muted">
              {done}
            </p>
          )}
          {editing ? (
            <HoursForm
              key={view.updatedAt ?? 0}
              view={view}
              onSaved={(_saved, words) => {
                setDone(words);
                setEditing(false);
                loaded.reload();
              }}
            />
          ) : (
            <button type="button" className="button-secondary" onClick={() => setEditing(true)} aria-label={t('hours.editNamed', { name: view.teamName })}>
              {t('hours.edit')}
            </button>
          )}
        </>
      )}
    </div>
  );
}
