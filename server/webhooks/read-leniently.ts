/**
 * Reads a part of a webhook with its schema, giving up only the smallest piece that cannot be
 * read: a value of an unexpected type is left out and the rest read again, so a latitude in words
 * costs the latitude, not the message. Where the schema cannot do without a field, the list
 * element holding it goes instead (one order item, one shared contact); where no list holds it,
 * nothing of the part can be read. Whatever is left out is reported with its JSON text as sent.
 */
import type { z } from 'zod';
import type { UnreadablePart, UnreadableValueKind } from '../../common/messages/message-content.js';

export type LenientRead<T> =
  { readonly ok: true; readonly data: T; readonly unreadable: UnreadablePart[] } | { readonly ok: false; readonly unreadable: UnreadablePart[] };

/** Each round leaves out one piece; a part with more unreadable pieces than this is unreadable whole. */
const MAX_ROUNDS = 32;

type Path = ReadonlyArray<PropertyKey>;

/**
 * `value` read with `schema`. `prefix` names where `value` sits in the message (`['location']`),
 * for the paths of what is left out. `value` is JSON of a bounded depth (json-depth.ts).
 */
export function readLeniently<S extends z.ZodType>(schema: S, value: unknown, prefix: readonly string[]): LenientRead<z.infer<S>> {
  const draft = new Draft(value);
  const unreadable: Array<{ path: Path; part: UnreadablePart }> = [];
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const parsed = schema.safeParse(draft.root);
    if (parsed.success) return { ok: true, data: parsed.data, unreadable: unreadable.map((entry) => entry.part) };
    const issuePath = parsed.error.issues[0]?.path ?? [];
    const removal = draft.has(issuePath) && issuePath.length > 0 ? issuePath : draft.enclosingListElement(issuePath);
    if (removal === undefined) break;
    const original = draft.originalPath(removal);
    // An element left out holds whatever was already left out of it.
    const kept = unreadable.filter((entry) => !startsWith(entry.path, original));
    unreadable.length = 0;
    unreadable.push(...kept, { path: original, part: describePart([...prefix, ...original.map(String)], valueAt(value, original)) });
    draft.remove(removal);
  }
  return { ok: false, unreadable: [describePart([...prefix], value)] };
}

/** What a left-out value was: its kind and its JSON text (absent when it was missing). */
export function describePart(path: readonly string[], value: unknown): UnreadablePart {
  const found = kindOf(value);
  return found === 'missing' ? { path: path.join('.'), found } : { path: path.join('.'), found, raw: JSON.stringify(value) };
}

function kindOf(value: unknown): UnreadableValueKind {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const kind = typeof value;
  return kind === 'string' || kind === 'number' || kind === 'boolean' ? kind : 'object';
}

function valueAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function startsWith(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((key, index) => path[index] === key);
}

/**
 * A copy of the value that pieces are taken out of. Elements taken out of a list shift the
 * later ones down; each list remembers its elements' original indexes, so the paths reported
 * are those of the payload as Meta sent it.
 */
class Draft {
  readonly root: unknown;
  readonly #originalIndexes = new WeakMap<unknown[], number[]>();

  constructor(value: unknown) {
    this.root = structuredClone(value);
  }

  has(path: Path): boolean {
    return this.#parentOf(path) !== undefined;
  }

  /** The path of the innermost list element on `path`, if any. */
  enclosingListElement(path: Path): Path | undefined {
    let node: unknown = this.root;
    let found: number | undefined;
    for (let index = 0; index < path.length; index += 1) {
      if (typeof node !== 'object' || node === null) break;
      const key = path[index] as PropertyKey;
      if (Array.isArray(node) && typeof key === 'number' && key < node.length) found = index;
      node = (node as Record<PropertyKey, unknown>)[key];
    }
    return found === undefined ? undefined : path.slice(0, found + 1);
  }

  originalPath(path: Path): Path {
    const original: PropertyKey[] = [];
    let node: unknown = this.root;
    for (const key of path) {
      if (Array.isArray(node) && typeof key === 'number') original.push(this.#indexesOf(node)[key] ?? key);
      else original.push(key);
      node = typeof node === 'object' && node !== null ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    }
    return original;
  }

  remove(path: Path): void {
    const parent = this.#parentOf(path);
    const key = path[path.length - 1];
    if (parent === undefined || key === undefined) return;
    if (Array.isArray(parent) && typeof key === 'number') {
      const indexes = this.#indexesOf(parent);
      parent.splice(key, 1);
      indexes.splice(key, 1);
    } else {
      delete (parent as Record<PropertyKey, unknown>)[key];
    }
  }

  /** The object or list holding the value at `path`, when there is such a value. */
  #parentOf(path: Path): object | undefined {
    let node: unknown = this.root;
    for (let index = 0; index < path.length; index += 1) {
      const key = path[index] as PropertyKey;
      if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
      if (index === path.length - 1) return (node as Record<PropertyKey, unknown>)[key] === undefined ? undefined : node;
      node = (node as Record<PropertyKey, unknown>)[key];
    }
    return undefined;
  }

  #indexesOf(list: unknown[]): number[] {
    let indexes = this.#originalIndexes.get(list);
    if (indexes === undefined) {
      indexes = list.map((_, index) => index);
      this.#originalIndexes.set(list, indexes);
    }
    return indexes;
  }
}
