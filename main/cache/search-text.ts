/** The cache's full-text search, as the inbox and the notes both run it: the query from what a person typed, and the matches marked in what is found. */
/** FTS5 query from what a person typed: each word a quoted prefix term, all of them required. */
export function ftsQuery(input: string): string | null {
  const words = input
    .normalize('NFKC')
    .split(/[\s\p{P}\p{S}]+/u)
    .filter((word) => word.length > 0)
    .slice(0, 12);
  if (words.length === 0) return null;
  return words.map((word) => `"${word.replace(/"/g, '""')}"*`).join(' ');
}

/** What FTS5's highlight() and snippet() put around each match, for markedFragments. */
export const MARK_START = '\u0001';
export const MARK_END = '\u0002';

/** Splits marked text into plain and matched fragments, so the renderer highlights without HTML. */
export function markedFragments(marked: string): Array<{ text: string; match: boolean }> {
  const out: Array<{ text: string; match: boolean }> = [];
  const pattern = new RegExp(`${MARK_START}([^${MARK_END}]*)${MARK_END}`, 'g');
  let last = 0;
  for (const found of marked.matchAll(pattern)) {
    if (found.index > last) out.push({ text: marked.slice(last, found.index), match: false });
    out.push({ text: found[1] ?? '', match: true });
    last = found.index + found[0].length;
  }
  if (last < marked.length) out.push({ text: marked.slice(last), match: false });
  return out;
}
