/**
 * Every test file that reaches the store (imports server/store/open-database.ts, directly or
 * through the helpers) runs on PostgreSQL too, or says why not: test/store-suites.ts is the one
 * list, and a new store-touching test cannot slip past the second run unnoticed.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { POSTGRES_ONLY, POSTGRES_SUITES, SQLITE_ONLY } from '../store-suites.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const STORE = path.join(ROOT, 'server/store/open-database.ts');

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const imported: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier))
      imported.push(node.moduleSpecifier.text);
    if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteral(node.arguments[0])
    )
      imported.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return imported
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts'))
    .flatMap((resolved) => [resolved, resolved.replace(/\.ts$/, '.tsx')].filter((candidate) => fs.existsSync(candidate)));
}

function reachesStore(file: string, seen = new Set<string>()): boolean {
  if (file === STORE) return true;
  if (seen.has(file)) return false;
  seen.add(file);
  return importsOf(file).some((imported) => reachesStore(imported, seen));
}

const matches = (patterns: readonly string[], file: string) => patterns.some((pattern) => path.matchesGlob(file, pattern));

describe('the store-touching suites', () => {
  const storeSuites = testFiles(path.join(ROOT, 'test'))
    .filter((file) => reachesStore(file))
    .map((file) => path.relative(ROOT, file));

  it('are each run on PostgreSQL or named as SQLite-only with a reason', () => {
    expect(storeSuites.length).toBeGreaterThan(50);
    const unlisted = storeSuites.filter((file) => !matches([...POSTGRES_SUITES, ...POSTGRES_ONLY], file) && !matches(Object.keys(SQLITE_ONLY), file));
    expect(unlisted).toEqual([]);
  });

  it('run on PostgreSQL for most of them, the SQLite-only ones being few', () => {
    const onPostgres = storeSuites.filter((file) => matches(POSTGRES_SUITES, file) && !matches(Object.keys(SQLITE_ONLY), file));
    expect(onPostgres.length).toBeGreaterThan(storeSuites.length / 2);
    for (const reason of Object.values(SQLITE_ONLY)) expect(reason.length).toBeGreaterThan(20);
  });
});
