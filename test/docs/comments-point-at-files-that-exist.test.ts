/**
 * Every pointer a reader follows must lead somewhere: a path in a comment or a doc page
 * (`docs/store.md`, `server/store/schema.ts`, `../shared/docs/cloud-api.md`) names a file or
 * folder that exists, and a Markdown link's target exists beside the page that links it. Seven
 * comments once sent readers to files that were elsewhere or gone.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Built, installed or local output: not the project's own text. */
const NOT_THE_PROJECT = new Set(['.git', 'node_modules', '.tsbuild', 'dist', 'release', 'coverage', 'data']);

interface Pointer {
  readonly file: string;
  readonly target: string;
  /** The path as an existing file or folder would have it (relative to the project, or absolute). */
  readonly resolved: string;
}

function projectFiles(dir = ROOT): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (NOT_THE_PROJECT.has(entry.name)) return [];
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? projectFiles(full) : [path.relative(ROOT, full)];
  });
}

const topFolders = fs
  .readdirSync(ROOT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !NOT_THE_PROJECT.has(entry.name))
  .map((entry) => entry.name);

/** `docs/…`, `server/…`, `../shared/…`: a path from the project's root, up to where path characters end. */
const ROOTED_PATH = new RegExp(
  String.raw`(?<![\w./@-])((?:\.\./shared|${topFolders.map((name) => name.replace('.', String.raw`\.`)).join('|')})/[\w./*@-]*)`,
  'g',
);
const MARKDOWN_LINK = /\]\(([^)\s]+)\)/g;

/** The comments of a TypeScript or JavaScript file, found by TypeScript's own scanner (so strings and regexes are not read as comments). */
function commentsOf(source: string, jsx: boolean): string {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, jsx ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard, source);
  const comments: string[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) comments.push(scanner.getTokenText());
  }
  return comments.join('\n');
}

/** The text of a file a reader reads for pointers: comments of code and config, all of a Markdown page. */
function readableText(file: string): string | undefined {
  const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
  if (/\.(ts|tsx|js|mjs|cjs)$/.test(file)) return commentsOf(source, /x$/.test(file));
  // tsconfig files are JSON with comments, which TypeScript's scanner reads as well.
  if (/\.json$/.test(file)) return /(^|[/\\])tsconfig[\w.]*\.json$/.test(file) ? commentsOf(source, false) : undefined;
  if (file.endsWith('.md')) return source;
  if (/\.(ya?ml)$/.test(file) || file === path.join('.ci', 'run')) {
    return source
      .split('\n')
      .filter((line) => /^\s*#/.test(line))
      .join('\n');
  }
  return undefined;
}

/** A path up to its first wildcard (`main/**`: `main/`), without the sentence's closing punctuation. */
function literalPart(target: string): string {
  const wildcard = target.search(/[*]/);
  return (wildcard === -1 ? target : target.slice(0, wildcard)).replace(/[.,;:]+$/, '');
}

function pointersIn(file: string, text: string): Pointer[] {
  const pointers: Pointer[] = [];
  for (const match of text.matchAll(ROOTED_PATH)) {
    const target = literalPart(match[1] ?? '');
    pointers.push({ file, target, resolved: path.resolve(ROOT, target) });
  }
  if (file.endsWith('.md')) {
    for (const match of text.matchAll(MARKDOWN_LINK)) {
      const target = (match[1] ?? '').split('#')[0] ?? '';
      if (target === '' || /^[a-z]+:/i.test(target)) continue;
      pointers.push({ file, target, resolved: path.resolve(ROOT, path.dirname(file), decodeURI(target)) });
    }
  }
  return pointers;
}

const pointers = projectFiles().flatMap((file) => {
  const text = readableText(file);
  return text === undefined ? [] : pointersIn(file, text);
});

describe('pointers to files in comments and docs', () => {
  it('finds the pointers (the scan itself works)', () => {
    const sample = `const text = 'server/not-a-comment.ts';\n// see docs/missing-page.md and \`main/**\`.\n/** (../shared/docs/cloud-api.md §3) */`;
    expect(pointersIn('sample.ts', commentsOf(sample, false)).map((pointer) => pointer.target)).toEqual([
      'docs/missing-page.md',
      'main/',
      '../shared/docs/cloud-api.md',
    ]);
    expect(
      pointersIn(path.join('docs', 'page.md'), 'see [the store](store.md#hot-queries) and [Meta](https://developers.facebook.com/)').map((p) => p.resolved),
    ).toEqual([path.join(ROOT, 'docs', 'store.md')]);
    expect(pointers.length).toBeGreaterThan(100);
  });

  it('each names a file or folder that exists', () => {
    const missing = pointers.filter((pointer) => !fs.existsSync(pointer.resolved)).map((pointer) => `${pointer.file}: ${pointer.target}`);
    expect(missing).toEqual([]);
  });
});
