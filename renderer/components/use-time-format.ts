/** Times as this window shows them: in the interface's language and the agent's time zone. */
import { useMemo } from 'react';
import { useLocale } from '../i18n/use-locale.js';
import { useTimeZone } from './display-time-zone.js';
import { formatDateTime, formatListTime, formatMoment } from './time-format.js';

export interface TimeFormat {
  /** Today: the time; otherwise the date and the time. */
  moment(at: number, now?: number): string;
  /** The time today, else the date. */
  listTime(at: number, now?: number): string;
  /** The date and the time, whatever the day. */
  dateTime(at: number): string;
}

export function useTimeFormat(): TimeFormat {
  const locale = useLocale();
  const timeZone = useTimeZone();
  return useMemo(
    () => ({
      moment: (at, now = Date.now()) => formatMoment(at, locale, now, timeZone),
      listTime: (at, now = Date.now()) => formatListTime(at, locale, now, timeZone),
      dateTime: (at) => formatDateTime(at, locale, timeZone),
    }),
    [locale, timeZone],
  );
}
