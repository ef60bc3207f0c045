import { useTranslation } from 'react-i18next';
import { formattingLocale } from './language.js';

/** The locale to format dates, numbers and sizes with, following the language switch. */
export function useLocale(): string {
  const { i18n } = useTranslation();
  return formattingLocale(i18n.language);
}
