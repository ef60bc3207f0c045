/**
 * Finding payment card numbers in text: what a customer or an agent types when they write a card
 * out. A card number here is 13 to 19 ASCII digits that pass the Luhn check and do not start with
 * 0 (ISO/IEC 7812 gives the major industry identifier 0 to no card issuer, so 00-prefixed phone
 * numbers and Italian landlines stay out), written
 * - as one run of digits, or with a hyphen, an en dash or a dot between any two digits
 *   (`4111-1111-1111-1111`, `4111.1111.1111.1111`): such a chunk is one number, never split;
 * - in chunks with spaces between them (one or more; no-break, thin, figure spaces count):
 *   `4111 1111 1111 1111`. Spaces also stand between a card and what follows it (`… 1111 123`
 *   with the security code), so a card is a run of whole chunks out of such a row: the leftmost
 *   chunk that starts one, and the fewest chunks from there that make a card.
 * A chunk glued to a letter or an underscore (`ID4111111111111111x`, `4111111111111111abc`) is part of
 * an identifier, and one after a `+` is a phone number: neither is a card nor part of one.
 * A longer run of digits is not searched for a card inside it (a 25-digit reference is not a card
 * however its windows add up). One pass over the text, a bounded amount of work per chunk: no
 * regular expression, so no input can make it slow. docs/safety-rules.md has what it misses.
 */
import { isLuhnValid } from './luhn.js';

export const CARD_MIN_DIGITS = 13;
export const CARD_MAX_DIGITS = 19;

export interface CardNumberSpan {
  /** Where the number starts and ends in the text (UTF-16 offsets, end exclusive): first digit to last. */
  readonly start: number;
  readonly end: number;
  /** How many digits it has (13–19). */
  readonly digitCount: number;
}

/** Digits joined into one number: hyphen, the Unicode hyphens and en dash, dot. */
const JOINERS = new Set(['-', '\u2010', '\u2011', '\u2012', '\u2013', '.']);
/** Space between chunks of a row: space, no-break, figure, thin and narrow no-break spaces. */
const SPACES = new Set([' ', '\u00a0', '\u2007', '\u2009', '\u202f']);
const WORDLIKE = /^[\p{L}_]$/u;

interface Chunk {
  readonly start: number;
  readonly end: number;
  readonly digits: string;
  /** Glued to a letter (or after a `+`): never part of a card. */
  readonly barred: boolean;
}

const isDigit = (text: string, at: number): boolean => {
  const code = text.charCodeAt(at);
  return code >= 48 && code <= 57;
};

/** The code point ending just before `at`, as a string ('' at the start). */
function charBefore(text: string, at: number): string {
  if (at <= 0) return '';
  const low = text.charCodeAt(at - 1);
  const pair = low >= 0xdc00 && low <= 0xdfff && at >= 2;
  return pair ? text.slice(at - 2, at) : text.slice(at - 1, at);
}

function charAfter(text: string, at: number): string {
  const point = text.codePointAt(at);
  return point === undefined ? '' : String.fromCodePoint(point);
}

/** The chunk of digits and joiners that starts with the digit at `start`. */
function readChunk(text: string, start: number): Chunk {
  let digits = '';
  let at = start;
  for (;;) {
    while (at < text.length && isDigit(text, at)) digits += text[at++];
    if (at + 1 < text.length && JOINERS.has(text.charAt(at)) && isDigit(text, at + 1)) at += 1;
    else break;
  }
  const before = charBefore(text, start);
  const barred = WORDLIKE.test(before) || before === '+' || WORDLIKE.test(charAfter(text, at));
  return { start, end: at, digits, barred };
}

/** The card numbers among one row of chunks, leftmost first, each the fewest chunks that make one. */
function cardsInRow(row: readonly Chunk[], found: CardNumberSpan[]): void {
  let first = 0;
  while (first < row.length) {
    let digits = '';
    let last = -1;
    for (let next = first; next < row.length; next += 1) {
      const chunk = row[next];
      if (chunk === undefined || chunk.barred || digits.length + chunk.digits.length > CARD_MAX_DIGITS) break;
      digits += chunk.digits;
      if (digits.length >= CARD_MIN_DIGITS && digits[0] !== '0' && isLuhnValid(digits)) {
        last = next;
        break;
      }
    }
    const [from, to] = [row[first], row[last]];
    if (from !== undefined && to !== undefined) {
      found.push({ start: from.start, end: to.end, digitCount: digits.length });
      first = last + 1;
    } else first += 1;
  }
}

/** The card numbers written in the text, in order; none overlap. */
export function findCardNumbers(text: string): CardNumberSpan[] {
  const found: CardNumberSpan[] = [];
  let row: Chunk[] = [];
  let at = 0;
  while (at < text.length) {
    if (!isDigit(text, at)) {
      at += 1;
      continue;
    }
    const chunk = readChunk(text, at);
    // A chunk continues the row when only spaces stand between it and the row's last chunk.
    const previous = row[row.length - 1];
    if (previous !== undefined && !onlySpaces(text, previous.end, chunk.start)) {
      cardsInRow(row, found);
      row = [];
    }
    row.push(chunk);
    at = chunk.end;
  }
  cardsInRow(row, found);
  return found;
}

function onlySpaces(text: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let at = from; at < to; at += 1) if (!SPACES.has(text.charAt(at))) return false;
  return true;
}

export function containsCardNumber(text: string): boolean {
  return findCardNumbers(text).length > 0;
}
