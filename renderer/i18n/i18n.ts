/** i18next with the two catalogues; components read strings through react-i18next's useTranslation. */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import it from './it.json';
import type { Language } from './language.js';

export async function startI18n(language: Language): Promise<void> {
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, it: { translation: it } },
    lng: language,
    fallbackLng: 'en',
    // React escapes what it renders; i18next escaping on top would show &amp; to the agent.
    interpolation: { escapeValue: false },
  });
  document.documentElement.lang = language;
  i18next.on('languageChanged', (changed) => {
    document.documentElement.lang = changed;
  });
}
