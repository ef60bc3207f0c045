/** Which language the interface speaks: the one the agent chose on this workstation, else the OS's. */
export const LANGUAGES = ['en', 'it'] as const;
export type Language = (typeof LANGUAGES)[number];

const CHOICE_KEY = 'sportello.language';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** it-IT, it_CH, it → it; anything we do not translate → en. */
export function languageOfLocale(locale: string): Language {
  const base = locale.toLowerCase().split(/[-_]/)[0];
  return isLanguage(base) ? base : 'en';
}

export function initialLanguage(osLocale: string): Language {
  const chosen = readChoice();
  return chosen ?? languageOfLocale(osLocale);
}

/** The choice is a preference, not data: kept in the renderer's own storage, where failure is harmless. */
export function rememberLanguage(language: Language): void {
  try {
    localStorage.setItem(CHOICE_KEY, language);
  } catch {
    // Storage disabled: the switch still works for this run.
  }
}

function readChoice(): Language | null {
  try {
    const stored = localStorage.getItem(CHOICE_KEY);
    return isLanguage(stored) ? stored : null;
  } catch {
    return null;
  }
}

let systemLocale = 'en';

/** The OS locale main reported (en-GB, it_IT …), kept for formatting dates and numbers. */
export function rememberSystemLocale(locale: string): void {
  try {
    systemLocale = Intl.getCanonicalLocales(locale.replace(/_/g, '-'))[0] ?? 'en';
  } catch {
    systemLocale = 'en';
  }
}

/** Dates and numbers as the workstation's region writes them (24-hour clock in en-GB), while it speaks the chosen language. */
export function formattingLocale(language: string): string {
  return languageOfLocale(systemLocale) === language ? systemLocale : language;
}
