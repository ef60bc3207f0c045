/**
 * The languages a routing rule can name, by their two-letter code (ISO 639-1), each with the code
 * the server's detector answers (ISO 639-3, as franc-min names them). Only languages that the
 * detector knows are offered: a rule for any other could never match.
 */
export const ROUTING_LANGUAGES = {
  ar: 'arb',
  bg: 'bul',
  bn: 'ben',
  bs: 'bos',
  cs: 'ces',
  de: 'deu',
  en: 'eng',
  es: 'spa',
  fa: 'pes',
  fr: 'fra',
  hi: 'hin',
  hr: 'hrv',
  hu: 'hun',
  id: 'ind',
  it: 'ita',
  ja: 'jpn',
  ko: 'kor',
  nl: 'nld',
  pl: 'pol',
  pt: 'por',
  ro: 'ron',
  ru: 'rus',
  sr: 'srp',
  sv: 'swe',
  sw: 'swh',
  tl: 'tgl',
  tr: 'tur',
  uk: 'ukr',
  ur: 'urd',
  vi: 'vie',
  zh: 'cmn',
} as const satisfies Readonly<Record<string, string>>;

export type RoutingLanguage = keyof typeof ROUTING_LANGUAGES;
export const ROUTING_LANGUAGE_CODES = Object.keys(ROUTING_LANGUAGES) as [RoutingLanguage, ...RoutingLanguage[]];

/** The two-letter code of a detected language, or undefined when no rule can name it. */
export function routingLanguageOf(detected: string): RoutingLanguage | undefined {
  return ROUTING_LANGUAGE_CODES.find((code) => ROUTING_LANGUAGES[code] === detected);
}
