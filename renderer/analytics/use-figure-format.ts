/** The dashboard's figures as this window writes them: the interface's language for numbers, its words for units. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../i18n/use-locale.js';
import { formatCount, formatDay, formatDuration, formatShare } from './analytics-format.js';

export interface FigureFormat {
  readonly locale: string;
  count(value: number): string;
  share(value: number | null): string;
  duration(seconds: number | null): string;
  /** A date of the period (YYYY-MM-DD): 3 Nov. */
  day(date: string): string;
}

export function useFigureFormat(): FigureFormat {
  const { t } = useTranslation();
  const locale = useLocale();
  return useMemo(
    () => ({
      locale,
      count: (value) => formatCount(value, locale),
      share: (value) => (value === null ? t('analytics.none') : formatShare(value, locale)),
      day: (date) => formatDay(date, locale),
      duration: (seconds) =>
        seconds === null ? t('analytics.none') : formatDuration(seconds, locale, (unit, value) => t(`analytics.duration.${unit}`, { value })),
    }),
    [locale, t],
  );
}
