/**
 * What a link's host says about it, judged on the host the URL parser gives (common/links/web-url.ts):
 * the parser already writes every IPv4 form (`3232235777`, `0xC0A80101`, `0300.0250.1.1`) as four
 * decimal numbers and an IPv6 address in brackets, and an international name in punycode.
 * - an IP address instead of a name;
 * - a label that mixes writing systems (`аpple`, a Cyrillic а among Latin letters): a look-alike.
 *   Letters are judged by their Unicode script (Script property escapes); digits, hyphens and
 *   combining marks belong to none. Chinese, Japanese and Korean names mix Han with kana, Hangul
 *   or Bopomofo, and Latin with those, as browsers allow (Chromium's IDN policy); any other mix
 *   is flagged.
 */
import { hostnameToUnicode } from './punycode.js';

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

export function isIpAddressHost(hostname: string): boolean {
  return hostname.startsWith('[') || IPV4.test(hostname);
}

const SCRIPTS = [
  ...['Latin', 'Greek', 'Cyrillic', 'Armenian', 'Hebrew', 'Arabic', 'Syriac', 'Thaana', 'Devanagari', 'Bengali', 'Gurmukhi', 'Gujarati'],
  ...['Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala', 'Thai', 'Lao', 'Tibetan', 'Myanmar', 'Georgian', 'Hangul', 'Ethiopic'],
  ...['Cherokee', 'Canadian_Aboriginal', 'Ogham', 'Runic', 'Khmer', 'Mongolian', 'Hiragana', 'Katakana', 'Bopomofo', 'Han', 'Coptic', 'Tifinagh'],
].map((name) => ({ name, test: new RegExp(String.raw`^\p{Script=${name}}$`, 'u') }));

const LETTER = /^\p{L}$/u;

/** Mixes a script may be part of without being a look-alike: one script, or one of these sets. */
const ALLOWED_MIXES: readonly ReadonlySet<string>[] = [
  new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set(['Latin', 'Han', 'Bopomofo']),
  new Set(['Latin', 'Han', 'Hangul']),
];

/** The scripts of a label's letters; letters of scripts not listed count as one more, `other`. */
function scriptsOf(label: string): Set<string> {
  const scripts = new Set<string>();
  for (const char of label) {
    if (!LETTER.test(char)) continue;
    scripts.add(SCRIPTS.find((script) => script.test.test(char))?.name ?? 'other');
  }
  return scripts;
}

function mixesScripts(label: string): boolean {
  const scripts = scriptsOf(label);
  if (scripts.size <= 1) return false;
  return !ALLOWED_MIXES.some((allowed) => [...scripts].every((script) => allowed.has(script)));
}

/** Whether any label of the host (ASCII or Unicode; punycode is read back) mixes scripts. */
export function hostMixesScripts(hostname: string): boolean {
  return hostnameToUnicode(hostname).split('.').some(mixesScripts);
}
