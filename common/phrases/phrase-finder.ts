/**
 * Finding phrases in text word by word, for the detectors that read what people write
 * (common/codes/, common/personal-data/): the text becomes words (letters and digits; an
 * apostrophe, a hyphen or any other mark ends a word, so `dell'ordine` is `dell ordine` and
 * `e-mail` is `e mail`), each compared in lower case without accents (`qual è` is `qual e`), in
 * sentences (a break at `!`, `?`, `;`, a line break but after a colon, or a full stop before a space). A lexicon
 * names its phrases by tag; the words are read left to right and at each word the longest phrase
 * that starts there is taken, so a phrase that contains another (`codice di conferma`, `conferma`)
 * is read as the longer. Every step is linear in the text: words once, phrases a bounded number of
 * times per word, no backtracking regular expression.
 */

export interface Word {
  /** Lower case, accents and other marks dropped: what phrases are compared with. */
  readonly folded: string;
  /** Lower case as written, accents kept (`metà` is not `meta`). */
  readonly lower: string;
  /** Which sentence of the text the word is in, counting from 0. */
  readonly sentence: number;
  /** Where it stands in the text (UTF-16 offsets, end exclusive). */
  readonly start: number;
  readonly end: number;
}

/**
 * A phrase is words separated by spaces. A word is compared folded; `=word` is compared as
 * written, accents kept; `word*` matches any word starting so; `#` matches a number of four to
 * eight digits or its name (`six`, `sei`).
 */
export type Lexicon<Tag extends string> = readonly (readonly [Tag, readonly string[]])[];

export interface PhraseHit<Tag extends string> {
  readonly tag: Tag;
  /** The first and last word of the phrase (indexes into the words). */
  readonly first: number;
  readonly last: number;
  readonly sentence: number;
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const MARKS = /\p{M}/gu;
const NUMBER_NAMES = new Set(['four', 'five', 'six', 'seven', 'eight', 'quattro', 'cinque', 'sei', 'sette', 'otto']);

function fold(text: string): string {
  return text.normalize('NFKD').replace(MARKS, '').toLowerCase();
}

function breaksSentence(gap: string): boolean {
  let afterColon = false;
  for (let at = 0; at < gap.length; at += 1) {
    const char = gap.charAt(at);
    if (char === '!' || char === '?' || char === ';' || char === '…') return true;
    // A line break ends a sentence, except after a colon, which introduces what the next line holds.
    if ((char === '\n' || char === '\r') && !afterColon) return true;
    if (char === '.' && (at + 1 === gap.length || /\s/.test(gap.charAt(at + 1)))) return true;
    if (char === ':') afterColon = true;
    else if (!/\s/.test(char)) afterColon = false;
  }
  return false;
}

export function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  let sentence = 0;
  let previousEnd = 0;
  for (const match of text.matchAll(WORD)) {
    const start = match.index;
    if (words.length > 0 && breaksSentence(text.slice(previousEnd, start))) sentence += 1;
    const lower = match[0].normalize('NFC').toLowerCase();
    words.push({ folded: fold(match[0]), lower, sentence, start, end: start + match[0].length });
    previousEnd = start + match[0].length;
  }
  return words;
}

type Step = { readonly kind: 'word' | 'exact' | 'prefix'; readonly text: string } | { readonly kind: 'number' };

interface Pattern<Tag extends string> {
  readonly tag: Tag;
  readonly steps: readonly Step[];
}

export interface CompiledLexicon<Tag extends string> {
  /** Patterns by their first word (folded), and those whose first word is a prefix or a number. */
  readonly byFirstWord: ReadonlyMap<string, readonly Pattern<Tag>[]>;
  readonly open: readonly Pattern<Tag>[];
}

function stepOf(token: string): Step {
  if (token === '#') return { kind: 'number' };
  if (token.startsWith('=')) return { kind: 'exact', text: token.slice(1) };
  if (token.endsWith('*')) return { kind: 'prefix', text: fold(token.slice(0, -1)) };
  return { kind: 'word', text: fold(token) };
}

export function compileLexicon<Tag extends string>(lexicon: Lexicon<Tag>): CompiledLexicon<Tag> {
  const byFirstWord = new Map<string, Pattern<Tag>[]>();
  const open: Pattern<Tag>[] = [];
  for (const [tag, phrases] of lexicon) {
    for (const phrase of phrases) {
      const steps = phrase
        .split(' ')
        .filter((token) => token !== '')
        .map(stepOf);
      const [first] = steps;
      if (first === undefined) continue;
      const pattern = { tag, steps };
      if (first.kind === 'word' || first.kind === 'exact') {
        const key = first.kind === 'exact' ? fold(first.text) : first.text;
        byFirstWord.set(key, [...(byFirstWord.get(key) ?? []), pattern]);
      } else open.push(pattern);
    }
  }
  return { byFirstWord, open };
}

function stepMatches(step: Step, word: Word): boolean {
  switch (step.kind) {
    case 'word':
      return word.folded === step.text;
    case 'exact':
      return word.lower === step.text;
    case 'prefix':
      return word.folded.startsWith(step.text);
    case 'number':
      return /^\d{4,8}$/.test(word.folded) || NUMBER_NAMES.has(word.folded);
  }
}

/** How many words the pattern covers from `at`, or 0 when it does not match there (within one sentence). */
function matchLength<Tag extends string>(pattern: Pattern<Tag>, words: readonly Word[], at: number): number {
  const sentence = words[at]?.sentence;
  for (let i = 0; i < pattern.steps.length; i += 1) {
    const [step, word] = [pattern.steps[i], words[at + i]];
    if (step === undefined || word === undefined || word.sentence !== sentence || !stepMatches(step, word)) return 0;
  }
  return pattern.steps.length;
}

/** The phrases in the words, left to right, the longest at each word; none overlap. */
export function findPhrases<Tag extends string>(words: readonly Word[], lexicon: CompiledLexicon<Tag>): PhraseHit<Tag>[] {
  const hits: PhraseHit<Tag>[] = [];
  let at = 0;
  while (at < words.length) {
    const word = words[at];
    if (word === undefined) break;
    let best: { tag: Tag; length: number } | undefined;
    for (const pattern of [...(lexicon.byFirstWord.get(word.folded) ?? []), ...lexicon.open]) {
      const length = matchLength(pattern, words, at);
      if (length > (best?.length ?? 0)) best = { tag: pattern.tag, length };
    }
    if (best === undefined) {
      at += 1;
      continue;
    }
    hits.push({ tag: best.tag, first: at, last: at + best.length - 1, sentence: word.sentence });
    at += best.length;
  }
  return hits;
}

/** Words between two hits of one sentence (0 when they touch), or Infinity across sentences. */
function gapBetween<Tag extends string>(earlier: PhraseHit<Tag>, later: PhraseHit<Tag>): number {
  return earlier.sentence === later.sentence ? later.first - earlier.last - 1 : Infinity;
}

/**
 * The hits tagged one of `those` that stand in one sentence with a hit tagged one of `these`, at
 * most `maxGap` words between them, in either order; in the order of the hits.
 */
export function hitsNear<Tag extends string>(hits: readonly PhraseHit<Tag>[], these: readonly Tag[], those: readonly Tag[], maxGap: number): PhraseHit<Tag>[] {
  const found = new Set<number>();
  for (const order of [hits.map((_, index) => index), hits.map((_, index) => hits.length - 1 - index)]) {
    let lastThis: PhraseHit<Tag> | undefined;
    for (const index of order) {
      const hit = hits[index];
      if (hit === undefined) continue;
      if (those.includes(hit.tag) && lastThis !== undefined) {
        const [earlier, later] = lastThis.first < hit.first ? [lastThis, hit] : [hit, lastThis];
        if (gapBetween(earlier, later) <= maxGap) found.add(index);
      }
      if (these.includes(hit.tag)) lastThis = hit;
    }
  }
  return hits.filter((_, index) => found.has(index));
}

/**
 * The found hits and the hits tagged one of `tags` listed after or before them, each within
 * `maxGap` words of the one before in one sentence (`your passport and your tax code`), in the
 * order of the hits.
 */
export function withListed<Tag extends string>(
  hits: readonly PhraseHit<Tag>[],
  found: readonly PhraseHit<Tag>[],
  tags: readonly Tag[],
  maxGap: number,
): PhraseHit<Tag>[] {
  const listed = new Set(found);
  const items = hits.filter((hit) => tags.includes(hit.tag));
  for (const order of [items, [...items].reverse()]) {
    let previous: PhraseHit<Tag> | undefined;
    for (const hit of order) {
      if (previous !== undefined && listed.has(previous) && Math.min(gapBetween(previous, hit), gapBetween(hit, previous)) <= maxGap) listed.add(hit);
      previous = hit;
    }
  }
  return hits.filter((hit) => listed.has(hit));
}

/** Whether a hit tagged one of `these` and a hit tagged one of `those` stand within `maxGap` words in one sentence. */
export function near<Tag extends string>(hits: readonly PhraseHit<Tag>[], these: readonly Tag[], those: readonly Tag[], maxGap: number): boolean {
  return hitsNear(hits, these, those, maxGap).length > 0;
}

/** The hits without those tagged `tag` that stand within `maxGap` words of a hit tagged one of `spoilers`. */
export function withoutNear<Tag extends string>(hits: readonly PhraseHit<Tag>[], tag: Tag, spoilers: readonly Tag[], maxGap: number): PhraseHit<Tag>[] {
  const spoiled = new Set(hitsNear(hits, spoilers, [tag], maxGap));
  return hits.filter((hit) => !spoiled.has(hit));
}
