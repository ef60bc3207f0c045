/**
 * The renderer's two catalogues say the same things: every key in English exists in Italian and
 * back (plural forms aside, which each language has its own set of), and every key the
 * components name literally exists.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './harness/build-renderer.js';
import { readCatalogue } from './harness/catalogue.js';

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

function keysOf(node: object, prefix = ''): string[] {
  return Object.entries(node).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? keysOf(value as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

function baseKeys(language: 'en' | 'it'): Set<string> {
  return new Set(keysOf(readCatalogue(language)).map((key) => key.replace(PLURAL_SUFFIX, '')));
}

function rendererSources(dir = path.join(PROJECT_ROOT, 'renderer')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return rendererSources(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe('the renderer catalogues', () => {
  const english = baseKeys('en');
  const italian = baseKeys('it');

  it('have the same keys in English and Italian', () => {
    expect([...english].filter((key) => !italian.has(key))).toEqual([]);
    expect([...italian].filter((key) => !english.has(key))).toEqual([]);
  });

  it('hold every key a component asks for by name', () => {
    const asked = rendererSources().flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)].map((match) => match[1] ?? ''),
    );
    expect(asked.length).toBeGreaterThan(100);
    expect([...new Set(asked)].filter((key) => !english.has(key))).toEqual([]);
  });
});
