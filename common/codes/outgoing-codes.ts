/**
 * Does an agent's outgoing text carry a secret? An agent tricked into passing on a one-time code
 * (the business number's registration code, their own authenticator code) or one of their own
 * recovery codes hands over an account; the agent is asked before such a message goes. Reasons:
 * - one_time_code: a number of 4 to 8 digits (`482913`, `482 913`, `4829-1377`) standing on its
 *   own (not part of a date, a time, an amount, a phone number or an identifier) within five words
 *   of a code word (common/codes/code-words.ts: `code`, `codice`, `OTP`, `PIN`, `password`) in
 *   one sentence; a bare `code` beside an order or a discount does not count;
 * - lone_six_digits: a line that is nothing but six digits (`482913`, `482 913`, `482-913`), the
 *   way a code is pasted;
 * - recovery_code: the shape of a Sportello recovery code (common/devices/pairing-code.ts): ten
 *   characters of the code alphabet, as shown (`ACDEF-GHJKM`, any case), or run together or split
 *   by a space when they hold both a letter and a digit (so `precedente`, ten letters of the
 *   alphabet, is a word and not a code).
 */
import { CODE_ALPHABET, normalizeCode, RECOVERY_CODE_LENGTH } from '../devices/pairing-code.js';
import type { PhraseHit, Word } from '../phrases/phrase-finder.js';
import { compileLexicon, findPhrases, near, withoutNear, wordsOf } from '../phrases/phrase-finder.js';
import type { CodeWordTag } from './code-words.js';
import { CODE_CONTEXT_GAP, CODE_WORDS, SECRET_TAGS } from './code-words.js';

export type OutgoingCodeReason = 'one_time_code' | 'lone_six_digits' | 'recovery_code';

const CODE_WORD_GAP = 5;
const CODE_MIN_DIGITS = 4;
const CODE_MAX_DIGITS = 8;

type Tag = CodeWordTag | 'number';

const LEXICON = compileLexicon<CodeWordTag>(CODE_WORDS);

/** Characters that make the number next to them part of something else: a date, a time, an amount, a phone number. */
const NOT_ALONE_BEFORE = new Set(['/', ':', '.', ',', '+', '#', '€', '$', '£', '_']);
const NOT_ALONE_AFTER = new Set(['/', ':', '%', '€', '$', '£', '_']);
/** What may join the groups of one number: a space, a no-break space, a hyphen. */
const GROUP_JOINERS = new Set([' ', '\u00a0', '-']);

const isNumber = (word: Word | undefined): word is Word => word !== undefined && /^\d+$/.test(word.folded);

function standsAlone(text: string, start: number, end: number): boolean {
  const [before, after, afterNext] = [text.charAt(start - 1), text.charAt(end), text.charAt(end + 1)];
  if (NOT_ALONE_BEFORE.has(before) || NOT_ALONE_AFTER.has(after)) return false;
  return !((after === '.' || after === ',') && /\d/.test(afterNext));
}

/** The numbers of 4 to 8 digits standing alone, as hits over the words no phrase covers (`6 digit code` is a phrase). */
function numberHits(text: string, words: readonly Word[], covered: ReadonlySet<number>): PhraseHit<Tag>[] {
  const hits: PhraseHit<Tag>[] = [];
  let at = 0;
  while (at < words.length) {
    const first = words[at];
    if (!isNumber(first) || covered.has(at)) {
      at += 1;
      continue;
    }
    let last = at;
    let digits = first.folded.length;
    for (;;) {
      const [current, next] = [words[last], words[last + 1]];
      if (current === undefined || !isNumber(next) || covered.has(last + 1)) break;
      if (next.start - current.end !== 1 || !GROUP_JOINERS.has(text.charAt(current.end))) break;
      digits += next.folded.length;
      last += 1;
    }
    const end = words[last]?.end ?? first.end;
    if (digits >= CODE_MIN_DIGITS && digits <= CODE_MAX_DIGITS && standsAlone(text, first.start, end))
      hits.push({ tag: 'number', first: at, last, sentence: first.sentence });
    at = last + 1;
  }
  return hits;
}

function carriesCodeNearCodeWord(text: string): boolean {
  const words = wordsOf(text);
  const phrases = withoutNear<Tag>(findPhrases(words, LEXICON), 'generic_code', ['code_context'], CODE_CONTEXT_GAP);
  const covered = new Set(phrases.flatMap((hit) => Array.from({ length: hit.last - hit.first + 1 }, (_, offset) => hit.first + offset)));
  const hits = [...phrases, ...numberHits(text, words, covered)].sort((a, b) => a.first - b.first);
  return near(hits, ['number'], SECRET_TAGS, CODE_WORD_GAP);
}

const LONE_SIX_DIGITS = /^[("'«“]?\d{3}[ \u00a0-]?\d{3}[)"'»”.,;:!?]*$/;

function hasLoneSixDigitLine(text: string): boolean {
  return text.split(/\r\n|\r|\n/).some((line) => LONE_SIX_DIGITS.test(line.trim()));
}

/** Two groups of five from the code alphabet, joined by a dash, a space or nothing, standing alone. */
const HALF = `([${CODE_ALPHABET}]{${RECOVERY_CODE_LENGTH / 2}})`;
const RECOVERY_SHAPE = new RegExp(String.raw`(?<![\p{L}\p{N}_-])${HALF}([ -]?)${HALF}(?![\p{L}\p{N}_-])`, 'giu');

function hasRecoveryCode(text: string): boolean {
  const shape = new RegExp(RECOVERY_SHAPE);
  for (let match = shape.exec(text); match !== null; match = shape.exec(text)) {
    const [, head = '', joiner, tail = ''] = match;
    const code = normalizeCode(head + tail, RECOVERY_CODE_LENGTH);
    const written = code !== null && (joiner === '-' || (/\d/.test(code) && /[A-Z]/.test(code)));
    if (written) return true;
    // Not this one: try again from the next character, so a word in front does not hide a code after it.
    shape.lastIndex = match.index + 1;
  }
  return false;
}

/** Why the text looks like it carries a one-time code or a recovery code, each reason once; empty when it does not. */
export function outgoingCodeReasons(text: string): OutgoingCodeReason[] {
  const reasons: OutgoingCodeReason[] = [];
  if (carriesCodeNearCodeWord(text)) reasons.push('one_time_code');
  if (hasLoneSixDigitLine(text)) reasons.push('lone_six_digits');
  if (hasRecoveryCode(text)) reasons.push('recovery_code');
  return reasons;
}
