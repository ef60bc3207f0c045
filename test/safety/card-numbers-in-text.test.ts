/**
 * Card numbers as customers and agents write them, in English and Italian messages, and the
 * digit runs that are not cards (docs/safety-rules.md): common/cards/.
 */
import { describe, expect, it } from 'vitest';
import { containsCardNumber, findCardNumbers } from '../../common/cards/card-numbers.js';
import { redactCardNumbers } from '../../common/cards/card-redaction.js';
import { isLuhnValid } from '../../common/cards/luhn.js';

/** The card numbers of the text, as written. */
const cardsIn = (text: string): string[] => findCardNumbers(text).map((card) => text.slice(card.start, card.end));

describe('the Luhn check', () => {
  it('passes the issuers’ test numbers and fails one digit off', () => {
    for (const valid of [
      '4111111111111111',
      '5555555555554444',
      '378282246310005',
      '30569309025904',
      '6011111111111117',
      '4222222222222',
      '4520010012345678904',
    ])
      expect(isLuhnValid(valid)).toBe(true);
    for (const invalid of ['4111111111111112', '5555555555554445', '1234567890123', '', '4111 1111 1111 1111', '٤١١١'])
      expect(isLuhnValid(invalid)).toBe(false);
  });
});

describe('finding card numbers', () => {
  it('finds a card written out, grouped with spaces, hyphens, dashes or dots, inside a sentence', () => {
    expect(cardsIn('My card is 4111 1111 1111 1111, thanks')).toEqual(['4111 1111 1111 1111']);
    expect(cardsIn('La mia carta: 5555-5555-5555-4444.')).toEqual(['5555-5555-5555-4444']);
    expect(cardsIn('Amex 3782 822463 10005 scad. 04/27')).toEqual(['3782 822463 10005']);
    expect(cardsIn('numero 4111.1111.1111.1111 grazie')).toEqual(['4111.1111.1111.1111']);
    expect(cardsIn('carta 4111–1111–1111–1111')).toEqual(['4111–1111–1111–1111']);
    expect(cardsIn('(30569309025904)')).toEqual(['30569309025904']);
    expect(cardsIn('4111\u00a01111\u00a01111\u00a01111')).toEqual(['4111\u00a01111\u00a01111\u00a01111']);
    expect(cardsIn('19 cifre: 4520 0100 1234 5678 904')).toEqual(['4520 0100 1234 5678 904']);
    expect(cardsIn('two: 4111111111111111 and 5555 5555 5555 4444')).toEqual(['4111111111111111', '5555 5555 5555 4444']);
    expect(containsCardNumber('Visa 4222222222222')).toBe(true);
  });

  it('leaves the expiry date and the security code that follow the card out of it', () => {
    expect(cardsIn('Carta 4111 1111 1111 1111 12/26 CVV 123')).toEqual(['4111 1111 1111 1111']);
    expect(cardsIn('4111111111111111 123')).toEqual(['4111111111111111']);
    expect(cardsIn('4111 1111 1111 1111 0426 123')).toEqual(['4111 1111 1111 1111']);
  });

  it('finds no card in digit runs that fail the Luhn check: order numbers, invoices, phone numbers', () => {
    expect(findCardNumbers('Ordine n. 1234567890123, fattura 2024-000123-4567')).toEqual([]);
    expect(findCardNumbers('Order 4111111111111112 shipped')).toEqual([]);
    expect(containsCardNumber('Chiamami al 333 123 4567 o allo 02 1234 5678')).toBe(false);
  });

  it('finds no card inside a longer run of digits, though a window of it passes the check', () => {
    // 4111111111111111 is in there, but the reference is 25 digits long.
    expect(findCardNumbers('Riferimento 4111111111111111000000000 del bonifico')).toEqual([]);
    expect(findCardNumbers('id 9-4111-1111-1111-1111-9')).toEqual([]);
    expect(findCardNumbers('12345678904111111111111111')).toEqual([]);
  });

  it('takes a number glued to a letter for an identifier, and one after a plus for a phone number', () => {
    expect(findCardNumbers('ID4111111111111111x')).toEqual([]);
    expect(findCardNumbers('ref 4111111111111111abc')).toEqual([]);
    expect(findCardNumbers('codice_4111111111111111')).toEqual([]);
    expect(findCardNumbers('numero4111 1111 1111 1111')).toEqual([]);
    expect(findCardNumbers('+86 138 0013 8000 call me')).toEqual([]);
    // Punctuation is not a letter: the card stands apart.
    expect(cardsIn('carta:4111111111111111!')).toEqual(['4111111111111111']);
  });

  it('takes no number starting with 0 for a card: no issuer has one', () => {
    // A leading zero leaves the Luhn sum as it was: this passes, and is a phone number with its 00 prefix.
    expect(isLuhnValid('0039333123456782')).toBe(true);
    expect(findCardNumbers('chiamare 0039 333 1234 56782')).toEqual([]);
    expect(findCardNumbers('tel 0378282246310005')).toEqual([]);
  });

  it('reports where each card is and how many digits it has', () => {
    expect(findCardNumbers('pay 3782 822463 10005 now')).toEqual([{ start: 4, end: 21, digitCount: 15 }]);
  });
});

describe('redacting card numbers', () => {
  it('keeps the first six and last four digits and the writer’s separators, masking the rest', () => {
    expect(redactCardNumbers('My card is 4111 1111 1111 1111, thanks')).toEqual({ text: 'My card is 4111 11•• •••• 1111, thanks', cardsRedacted: 1 });
    expect(redactCardNumbers('La carta 5555-5555-5555-4444 scade 12/26').text).toBe('La carta 5555-55••-••••-4444 scade 12/26');
    expect(redactCardNumbers('Amex 378282246310005').text).toBe('Amex 378282•••••0005');
    expect(redactCardNumbers('13: 4222222222222').text).toBe('13: 422222•••2222');
    expect(redactCardNumbers('4111111111111111 123 e 5555 5555 5555 4444').text).toBe('411111••••••1111 123 e 5555 55•• •••• 4444');
  });

  it('leaves a text with no card as it is, and finds no card in what it masked', () => {
    expect(redactCardNumbers('Ordine 1234567890123')).toEqual({ text: 'Ordine 1234567890123', cardsRedacted: 0 });
    const masked = redactCardNumbers('4111 1111 1111 1111').text;
    expect(findCardNumbers(masked)).toEqual([]);
    expect(redactCardNumbers(masked)).toEqual({ text: masked, cardsRedacted: 0 });
  });
});
