/**
 * The server's folders form layers: a folder may import those below it, never one that imports it
 * back. `agents/` and `sessions/` used to import each other (and `devices/` both of them, `audit/`
 * and `devices/` each other, `inbox/` and `webhooks/` each other), so none of them could be read,
 * or changed, without the others. The graph is built from every import of server/ (type-only
 * imports too: they tie the folders just as much), as TypeScript reads them.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SERVER_DIR = path.resolve(import.meta.dirname, '../../server');
/** Files directly in server/ (main.ts) are the folder "." of this graph. */
const ROOT_FOLDER = '.';

function typeScriptFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function folderOf(file: string): string | undefined {
  const relative = path.relative(SERVER_DIR, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const parts = relative.split(path.sep);
  return parts.length === 1 ? ROOT_FOLDER : parts[0];
}

/** folder → folder it imports → the imports that make that edge ("agents/enrollment.ts → sessions/session-store.js"). */
type FolderGraph = Map<string, Map<string, string[]>>;

function serverFolderGraph(): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const file of typeScriptFiles(SERVER_DIR)) {
    const from = folderOf(file);
    if (from === undefined) continue;
    if (!graph.has(from)) graph.set(from, new Map());
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), fileName);
      const to = folderOf(target);
      if (to === undefined || to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      graph.set(from, edges);
      const why = edges.get(to) ?? [];
      why.push(`${path.relative(SERVER_DIR, file)} → ${path.relative(SERVER_DIR, target)}`);
      edges.set(to, why);
    }
  }
  return graph;
}

/** Tarjan's strongly connected components: each one of more than one folder is a cycle. */
function cycles(graph: FolderGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node)?.keys() ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** Each import between two folders of the cycle, so the failure says what to move. */
function describeCycle(graph: FolderGraph, component: readonly string[]): string {
  const members = new Set(component);
  const lines = [`folders importing each other: ${component.join(', ')}`];
  for (const from of component) {
    for (const [to, why] of graph.get(from) ?? []) if (members.has(to)) lines.push(...why.map((line) => `  ${line}`));
  }
  return lines.join('\n');
}

describe('the server folders', () => {
  const graph = serverFolderGraph();

  it('are found, with the imports between them', () => {
    // A graph read wrong (no files, no imports) would pass the check below whatever the code did.
    expect([...graph.keys()]).toEqual(expect.arrayContaining(['app', 'api', 'credentials', 'sessions', 'store', ROOT_FOLDER]));
    expect(graph.get('app')?.get('store')?.length).toBeGreaterThan(0);
    expect(graph.get(ROOT_FOLDER)?.has('app')).toBe(true);
  });

  it('import one another in one direction only', () => {
    expect(cycles(graph).map((component) => describeCycle(graph, component))).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const looped: FolderGraph = new Map([
      ['a', new Map([['b', ['a/x.ts → b/y.ts']]])],
      ['b', new Map([['c', ['b/y.ts → c/z.ts']]])],
      ['c', new Map([['a', ['c/z.ts → a/x.ts']]])],
      ['d', new Map([['a', ['d/w.ts → a/x.ts']]])],
    ]);
    expect(cycles(looped)).toEqual([['a', 'b', 'c']]);
  });
});
