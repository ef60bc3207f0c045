/**
 * The renderer's own strings, read from renderer/i18n, so the end-to-end tests find buttons and
 * headings by what the agent reads in that language, and fail if the language is wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './build-renderer.js';

export type UiLanguage = 'en' | 'it';
type Catalogue = { readonly [key: string]: string | Catalogue };

export function readCatalogue(language: UiLanguage): Catalogue {
  return JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'renderer/i18n', `${language}.json`), 'utf8')) as Catalogue;
}

/** A translator for tests: dotted key → the string, with {{name}} filled in. */
export function translator(language: UiLanguage) {
  const catalogue = readCatalogue(language);
  return (key: string, values: Record<string, string | number> = {}): string => {
    let node: string | Catalogue | undefined = catalogue;
    for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
    if (typeof node !== 'string') throw new Error(`no string ${key} in ${language}.json`);
    return node.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? `{{${name}}}`));
  };
}
export type Translate = ReturnType<typeof translator>;
