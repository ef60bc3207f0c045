/**
 * However long a customer's number and however it is written, its mask hides at least five of
 * its digits, shows only the country code, up to three digits after it and the last two, in
 * order, and the same number always masks the same way (common/numbers/masked-number.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HIDDEN_DIGIT, MIN_HIDDEN_DIGITS, countryCallingCode, isMaskedNumber, maskPhoneNumber } from '../../common/numbers/masked-number.js';

const RUNS = { numRuns: 500 };

/** A wa_id: E.164 without the `+`, 7 to 15 digits, never starting with 0. */
const waId = fc.tuple(fc.constantFrom(...'123456789'), fc.stringMatching(/^[0-9]{6,14}$/)).map(([first, rest]) => first + rest);
/** The same digits as a person writes them: `+`, spaces, dashes, dots, brackets between any two. */
const written = (digits: string) =>
  fc
    .tuple(fc.constantFrom('', '+', '00'), fc.array(fc.constantFrom('', '', ' ', '-', '.', ' (', ') '), { minLength: digits.length, maxLength: digits.length }))
    .map(([prefix, gaps]) => (prefix === '00' ? '' : prefix) + [...digits].map((digit, index) => digit + (gaps[index] ?? '')).join(''));

const digitsOf = (text: string) => text.replace(/\D/g, '');
const hiddenIn = (text: string) => [...text].filter((character) => character === HIDDEN_DIGIT).length;

describe('maskPhoneNumber', () => {
  it('masks the examples of the policy', () => {
    expect(maskPhoneNumber('393471234501')).toBe('+39 347 ••• ••01');
    expect(maskPhoneNumber('447700900123')).toBe('+44 770 ••• ••23');
    expect(maskPhoneNumber('15551234567')).toBe('+1 555 ••• ••67');
    expect(maskPhoneNumber('+353 1 234 5678')).toBe('+353 1 ••• ••78');
    expect(maskPhoneNumber('12345')).toBe('••• ••');
  });

  it('never holds the number, and hides at least five digits', () => {
    fc.assert(
      fc.property(waId, (number) => {
        const masked = maskPhoneNumber(number);
        expect(masked).not.toContain(number);
        expect(digitsOf(masked)).not.toBe(number);
        expect(hiddenIn(masked)).toBeGreaterThanOrEqual(MIN_HIDDEN_DIGITS);
        expect(digitsOf(masked).length + hiddenIn(masked)).toBe(number.length);
        expect(isMaskedNumber(masked)).toBe(true);
      }),
      RUNS,
    );
  });

  it('shows only the country code, at most three digits after it and the last two, in their places', () => {
    fc.assert(
      fc.property(waId, (number) => {
        const masked = maskPhoneNumber(number);
        const code = countryCallingCode(number);
        const [head, ...rest] = masked.split(' ');
        // A national number shorter than five digits is hidden whole, its country code too.
        if (number.length - code.length < MIN_HIDDEN_DIGITS) {
          expect(digitsOf(masked)).toBe('');
          return;
        }
        expect(head).toBe(`+${code}`);
        const shownAfterCode = digitsOf(rest.join(' '));
        const trailing = /\d*$/.exec(masked)?.[0] ?? '';
        const leading = shownAfterCode.slice(0, shownAfterCode.length - trailing.length);
        expect(leading.length).toBeLessThanOrEqual(3);
        expect(trailing.length).toBeLessThanOrEqual(2);
        expect(number.startsWith(code + leading)).toBe(true);
        expect(number.endsWith(trailing)).toBe(true);
      }),
      RUNS,
    );
  });

  it('masks the same number the same way however it is written', () => {
    fc.assert(
      fc.property(
        waId.chain((number) => fc.tuple(fc.constant(number), written(number))),
        ([number, shown]) => {
          expect(maskPhoneNumber(shown)).toBe(maskPhoneNumber(number));
        },
      ),
      RUNS,
    );
  });

  it('tells nothing of the hidden digits: numbers that differ only there mask alike', () => {
    fc.assert(
      fc.property(waId, fc.stringMatching(/^[0-9]{15}$/), (number, other) => {
        const masked = maskPhoneNumber(number);
        // Hidden whole (a national number under five digits): nothing of it to compare.
        if (!masked.startsWith('+')) return;
        const code = countryCallingCode(number);
        const trailing = /\d*$/.exec(masked)?.[0] ?? '';
        const leading = digitsOf(masked).slice(code.length, digitsOf(masked).length - trailing.length);
        const middle = number.length - code.length - leading.length - trailing.length;
        const twin = code + leading + other.slice(0, middle) + trailing;
        expect(maskPhoneNumber(twin)).toBe(masked);
      }),
      RUNS,
    );
  });

  it('shows no digit of a number too short to hide five and still show some', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{0,6}$/), (number) => {
        expect(digitsOf(maskPhoneNumber(number))).toBe('');
      }),
      RUNS,
    );
  });
});
