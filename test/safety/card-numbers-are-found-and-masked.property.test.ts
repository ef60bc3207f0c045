/**
 * Whatever the text around it and however it is grouped, a card number is found where it is and
 * masked to its first six and last four digits; a number that fails the Luhn check, starts with 0,
 * runs on past 19 digits or is glued to a letter is never taken for one (common/cards/).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CARD_MAX_DIGITS, CARD_MIN_DIGITS, findCardNumbers } from '../../common/cards/card-numbers.js';
import { CARD_MASK, countRedactedCards, redactCardNumbers } from '../../common/cards/card-redaction.js';
import { isLuhnValid } from '../../common/cards/luhn.js';

const RUNS = { numRuns: 400 };

/** The digit that makes the payload pass Luhn, computed here from the rule, not by the code under test. */
function checkDigit(payload: string): string {
  let sum = 0;
  for (let i = payload.length - 1, double = true; i >= 0; i -= 1, double = !double) {
    const doubled = Number(payload[i]) * (double ? 2 : 1);
    sum += doubled > 9 ? doubled - 9 : doubled;
  }
  return String((10 - (sum % 10)) % 10);
}

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
const payload = fc.tuple(fc.constantFrom(...'123456789'), digits(CARD_MIN_DIGITS - 2, CARD_MAX_DIGITS - 2)).map(([first, rest]) => first + rest);
const card = payload.map((body) => body + checkDigit(body));
/** The same numbers with any other last digit: they fail the check. */
const notACard = fc.tuple(payload, fc.integer({ min: 1, max: 9 })).map(([body, shift]) => body + String((Number(checkDigit(body)) + shift) % 10));

/** Text around a number: no digits, and a space or punctuation on the side that touches it. */
const words = fc.string({ unit: fc.constantFrom(...'abcdefghij àèéìòù ,;:!?()«»"\'-.+€\n'.split('')), maxLength: 30 });
const before = fc.tuple(words, fc.constantFrom(' ', '\n', ': ', '(', ', ', '« ')).map(([text, edge]) => text + edge);
const after = fc.tuple(fc.constantFrom(' ', '.', ', ', ')', '!', ' »', '\n'), words).map(([edge, text]) => edge + text);

/** The digits written with a joiner (or nothing) between any two of them: one chunk. */
const joined = (number: string) =>
  fc.array(fc.constantFrom('', '', '', '-', '.', '–'), { minLength: number.length - 1, maxLength: number.length - 1 }).map((gaps) => {
    return [...number].map((digit, index) => digit + (gaps[index] ?? '')).join('');
  });

/** The digits in chunks of one to eight, spaces between. */
const spaced = (number: string) =>
  fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 19 }).map((sizes) => {
    const chunks: string[] = [];
    let at = 0;
    for (const size of sizes) {
      if (at >= number.length) break;
      chunks.push(number.slice(at, at + size));
      at += size;
    }
    if (at < number.length) chunks.push(number.slice(at));
    return chunks;
  });

const onlyDigits = (text: string) => text.replace(/[^0-9]/g, '');

/** The span as redacted: separators where they were; of the digits only the first six and the last four left. */
function expectSpanMasked(was: string, now: string): void {
  const number = onlyDigits(was);
  expect(now.length).toBe(was.length);
  expect(onlyDigits(now)).toBe(number.slice(0, 6) + number.slice(-4));
  expect([...now].filter((char) => char === CARD_MASK)).toHaveLength(number.length - 10);
  expect([...now].map((char) => (char === CARD_MASK || /[0-9]/.test(char) ? 'd' : char))).toEqual([...was].map((char) => (/[0-9]/.test(char) ? 'd' : char)));
}

function expectMasked(original: string, redacted: string, start: number, end: number): void {
  expect(redacted.length).toBe(original.length);
  expect(redacted.slice(0, start)).toBe(original.slice(0, start));
  expect(redacted.slice(end)).toBe(original.slice(end));
  expectSpanMasked(original.slice(start, end), redacted.slice(start, end));
}

describe('card numbers in any text', () => {
  it('finds a card written as one chunk, whatever joins its digits, and masks its middle', () => {
    fc.assert(
      fc.property(
        before,
        card.chain((number) => joined(number)),
        after,
        (head, written, tail) => {
          const text = head + written + tail;
          expect(findCardNumbers(text)).toEqual([{ start: head.length, end: head.length + written.length, digitCount: onlyDigits(written).length }]);
          const redacted = redactCardNumbers(text);
          expect(redacted.cardsRedacted).toBe(1);
          expectMasked(text, redacted.text, head.length, head.length + written.length);
          expect(findCardNumbers(redacted.text)).toEqual([]);
          // The agent is told of it: the masked form reads as one hidden card.
          expect(countRedactedCards(redacted.text)).toBe(1);
        },
      ),
      RUNS,
    );
  });

  it('finds a card written in chunks with spaces between, from its first digit, the fewest chunks that pass', () => {
    fc.assert(
      fc.property(
        before,
        card.chain((number) => spaced(number).map((chunks) => ({ number, chunks }))),
        fc.constantFrom(' ', '  ', '\u00a0', '\u202f'),
        after,
        (head, { number, chunks }, space, tail) => {
          const written = chunks.join(space);
          const text = head + written + tail;
          // Where a first few chunks already make a card, that is the card (docs/safety-rules.md).
          const prefixes = chunks.map((_, count) => chunks.slice(0, count + 1).join(''));
          const shortest = prefixes.find((digitsSoFar) => digitsSoFar.length >= CARD_MIN_DIGITS && isLuhnValid(digitsSoFar)) ?? number;
          const count = prefixes.indexOf(shortest) + 1;
          const end = head.length + chunks.slice(0, count).join(space).length;
          const found = findCardNumbers(text);
          expect(found[0]).toEqual({ start: head.length, end, digitCount: shortest.length });
          expectMasked(text, redactCardNumbers(text).text, head.length, end);
        },
      ),
      RUNS,
    );
  });

  it('never takes a number that fails the Luhn check for a card', () => {
    fc.assert(
      fc.property(before, notACard.chain(joined), after, (head, written, tail) => {
        expect(findCardNumbers(head + written + tail)).toEqual([]);
        expect(redactCardNumbers(head + written + tail)).toEqual({ text: head + written + tail, cardsRedacted: 0 });
      }),
      RUNS,
    );
  });

  it('never looks inside a run longer than a card, though a window of it passes', () => {
    fc.assert(
      fc.property(before, digits(0, 6), card, digits(0, 6), after, (head, lead, number, trail, tail) => {
        fc.pre(lead.length + trail.length > 0 && number.length + lead.length + trail.length > CARD_MAX_DIGITS);
        expect(findCardNumbers(head + lead + number + trail + tail)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('never takes a number glued to a letter, or after a plus, or starting with 0, for a card', () => {
    const letter = fc.constantFrom(...'aZxèß_ЖΩ'.split(''));
    fc.assert(
      fc.property(before, card, letter, fc.constantFrom('before', 'after', 'plus', 'zero'), after, (head, number, glue, how, tail) => {
        const written = { before: glue + number, after: number + glue, plus: `+${number}`, zero: `0${number}` }[how];
        expect(findCardNumbers(head + written + tail)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('finds in any text only Luhn-valid runs of 13 to 19 digits, apart, in order, and masks each', () => {
    const messy = fc
      .array(fc.oneof(digits(1, 6), card, fc.constantFrom(' ', ' ', ' ', '-', '.', '  ', 'a', '+', '\n', ', ', ' x ')), { maxLength: 40 })
      .map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(messy, (text) => {
        const found = findCardNumbers(text);
        let last = 0;
        for (const span of found) {
          expect(span.start).toBeGreaterThanOrEqual(last);
          const number = onlyDigits(text.slice(span.start, span.end));
          expect(number.length).toBe(span.digitCount);
          expect(number.length).toBeGreaterThanOrEqual(CARD_MIN_DIGITS);
          expect(number.length).toBeLessThanOrEqual(CARD_MAX_DIGITS);
          expect(number[0]).not.toBe('0');
          expect(isLuhnValid(number)).toBe(true);
          expect(/^[0-9](.*[0-9])?$/s.test(text.slice(span.start, span.end))).toBe(true);
          last = span.end;
        }
        const redacted = redactCardNumbers(text);
        expect(redacted.cardsRedacted).toBe(found.length);
        if (!text.includes(CARD_MASK)) expect(countRedactedCards(redacted.text)).toBe(found.length);
        expect(redacted.text.length).toBe(text.length);
        let outside = 0;
        for (const span of found) {
          expect(redacted.text.slice(outside, span.start)).toBe(text.slice(outside, span.start));
          expectSpanMasked(text.slice(span.start, span.end), redacted.text.slice(span.start, span.end));
          outside = span.end;
        }
        expect(redacted.text.slice(outside)).toBe(text.slice(outside));
      }),
      RUNS,
    );
  });
});
