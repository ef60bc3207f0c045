/**
 * Redacting card numbers as PCI DSS allows a card to be shown: the first six digits (the
 * issuer's) and the last four stay, every digit between becomes the mask. The separators stay
 * where the writer put them and nothing else in the text moves, so the text keeps its length and
 * its layout (`4111 1111 1111 1111` → `4111 11•• •••• 1111`), and what was found elsewhere in it
 * (links, offsets) still points at the same place. The masked digits are not in the output in any
 * form: the mask is one fixed character, whatever the digit.
 */
import { findCardNumbers } from './card-numbers.js';

export const CARD_MASK = '•';
const CARD_KEPT_FIRST = 6;
const CARD_KEPT_LAST = 4;

export interface RedactedText {
  readonly text: string;
  /** How many card numbers were masked. */
  readonly cardsRedacted: number;
}

/** The text with every card number in it masked. */
export function redactCardNumbers(text: string): RedactedText {
  const cards = findCardNumbers(text);
  if (cards.length === 0) return { text, cardsRedacted: 0 };
  let out = '';
  let last = 0;
  for (const card of cards) {
    out += text.slice(last, card.start);
    let digit = 0;
    for (let at = card.start; at < card.end; at += 1) {
      const char = text.charAt(at);
      if (char < '0' || char > '9') out += char;
      else {
        const kept = digit < CARD_KEPT_FIRST || digit >= card.digitCount - CARD_KEPT_LAST;
        out += kept ? char : CARD_MASK;
        digit += 1;
      }
    }
    last = card.end;
  }
  return { text: out + text.slice(last), cardsRedacted: cards.length };
}

/** What may stand inside a written card: its digits, the mask, and the joiners and spaces between chunks. */
const IN_A_CARD = /[0-9\u2022 \u00a0\u2007\u2009\u202f.\u2010-\u2013-]/;
/** A masked card with its separators taken out: six digits, the masked middle, four digits. */
const MASKED_CARD = /\d{6}\u2022{3,9}\d{4}/g;

/** How many masked card numbers the text shows (the reader's side of redactCardNumbers: what the agent is told about). */
export function countRedactedCards(text: string): number {
  if (!text.includes(CARD_MASK)) return 0;
  let count = 0;
  let run = '';
  for (const char of `${text}\n`) {
    if (IN_A_CARD.test(char)) {
      if (char === CARD_MASK || (char >= '0' && char <= '9')) run += char;
      continue;
    }
    count += run.match(MASKED_CARD)?.length ?? 0;
    run = '';
  }
  return count;
}
