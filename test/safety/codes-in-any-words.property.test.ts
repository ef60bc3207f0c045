/**
 * Whatever is written around it and in whatever case, a request for a code, a PIN or a password,
 * a code said to be sent, or a claim to be WhatsApp's support is found in a customer's message in
 * both languages, and everyday sentences are never flagged; an agent's one-time codes and
 * recovery codes are found in any grouping, case and company (common/codes/).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CodeRequestReason } from '../../common/codes/code-requests.js';
import { codeRequestReasons } from '../../common/codes/code-requests.js';
import { outgoingCodeReasons } from '../../common/codes/outgoing-codes.js';
import { CODE_ALPHABET, formatRecoveryCode, RECOVERY_CODE_LENGTH } from '../../common/devices/pairing-code.js';
import { amongSentences, anyCase, sentencesFrom } from '../helpers/wording.js';

const RUNS = { numRuns: 300 };

/** What customers write every day: codes of orders and discounts, WhatsApp as the app, numbers. */
const EVERYDAY = [
  'Buongiorno, vorrei sapere quando arriva il mio ordine',
  'Il codice sconto non funziona',
  'Mi manda il codice fiscale della ditta per la fattura',
  'Good morning, where is my parcel',
  'The discount code does not work',
  'Can you send me the tracking code for my order',
  'I use WhatsApp every day',
  'Vi ho scritto su WhatsApp ieri sera',
  'Ordine numero 123456 del 12/03/2024',
  'Thanks a lot, have a nice day',
  'Grazie mille, buona giornata',
  'Il pacco è arrivato a metà settimana',
];

const REQUESTS: readonly (readonly [string, CodeRequestReason])[] = [
  ['send me the 6-digit code', 'asks_for_code'],
  ['Please forward the verification code', 'asks_for_code'],
  ['can you give me the code you received', 'asks_for_code'],
  ["what's the OTP", 'asks_for_code'],
  ['I need your login code', 'asks_for_code'],
  ['inviami il codice di verifica', 'asks_for_code'],
  ['mi puoi girare il codice che ti è arrivato', 'asks_for_code'],
  ['dimmi il codice a sei cifre', 'asks_for_code'],
  ['mi serve il codice OTP', 'asks_for_code'],
  ['qual è il codice di accesso', 'asks_for_code'],
  ['tell me your PIN', 'asks_for_pin'],
  ['mi dica il PIN della carta', 'asks_for_pin'],
  ['confirm your password', 'asks_for_password'],
  ['mi scriva la password', 'asks_for_password'],
  ['comunicami le tue credenziali', 'asks_for_password'],
  ['we sent you a code', 'says_a_code_was_sent'],
  ['ti abbiamo inviato un codice', 'says_a_code_was_sent'],
  ['hai ricevuto un codice via SMS', 'says_a_code_was_sent'],
  ['riceverai un codice di verifica', 'says_a_code_was_sent'],
  ['WhatsApp Support', 'claims_to_be_support'],
  ['Team Meta', 'claims_to_be_support'],
  ['il team di WhatsApp', 'claims_to_be_support'],
  ['assistenza clienti WhatsApp', 'claims_to_be_support'],
  ['Sportello support team', 'claims_to_be_support'],
];

describe("a customer's message", () => {
  it('is flagged for a request in either language, whatever surrounds it and in any case', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REQUESTS).chain(([phrase, reason]) => amongSentences(phrase, EVERYDAY).map((text) => ({ text, reason }))),
        ({ text, reason }) => {
          expect(codeRequestReasons(text)).toContain(reason);
        },
      ),
      RUNS,
    );
  });

  it('is never flagged for everyday sentences, in any order and case', () => {
    fc.assert(
      fc.property(sentencesFrom(EVERYDAY).chain(anyCase), (text) => {
        expect(codeRequestReasons(text)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('gives each reason once, in a fixed order', () => {
    const order: readonly CodeRequestReason[] = ['asks_for_code', 'asks_for_pin', 'asks_for_password', 'says_a_code_was_sent', 'claims_to_be_support'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...REQUESTS.map(([phrase]) => phrase)), { maxLength: 6 }), (phrases) => {
        const reasons = codeRequestReasons(phrases.join('. '));
        expect(reasons).toEqual(order.filter((reason) => reasons.includes(reason)));
      }),
      RUNS,
    );
  });
});

const codeDigits = fc.stringMatching(/^[0-9]{4,8}$/);
/** A code as it is written: run together, or a six-digit one in threes. */
const writtenCode = fc.oneof(
  codeDigits,
  fc.tuple(fc.stringMatching(/^[0-9]{3}$/), fc.constantFrom(' ', '-'), fc.stringMatching(/^[0-9]{3}$/)).map((parts) => parts.join('')),
);
const CODE_SENTENCES = [
  'Il suo codice è {}',
  'Your code: {}',
  'OTP {}',
  'Ecco il PIN: {}',
  '{} is your verification code',
  'Il codice di verifica che ha ricevuto è {}',
  'password {}',
];
const AGENT_EVERYDAY = [
  'Buongiorno, come posso aiutarla',
  'Il suo ordine è stato spedito',
  'Le ho mandato la fattura per email',
  'Your parcel will arrive on Monday',
  'Thank you for waiting',
  'Il codice sconto è valido fino a domenica',
];
const recoveryCode = fc
  .array(fc.constantFrom(...CODE_ALPHABET), { minLength: RECOVERY_CODE_LENGTH, maxLength: RECOVERY_CODE_LENGTH })
  .map((chars) => formatRecoveryCode(chars.join('')));

describe("an agent's outgoing text", () => {
  it('is flagged for a code of four to eight digits beside a code word, among any sentences', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CODE_SENTENCES),
        writtenCode,
        sentencesFrom(AGENT_EVERYDAY),
        sentencesFrom(AGENT_EVERYDAY),
        (sentence, code, before, after) => {
          const text = `${before}${sentence.replace('{}', code)}. ${after}`;
          expect(outgoingCodeReasons(text)).toContain('one_time_code');
        },
      ),
      RUNS,
    );
  });

  it('is flagged for a line of six digits by itself', () => {
    fc.assert(
      fc.property(
        sentencesFrom(AGENT_EVERYDAY),
        fc.tuple(fc.stringMatching(/^[0-9]{3}$/), fc.constantFrom('', ' ', '-'), fc.stringMatching(/^[0-9]{3}$/)),
        fc.constantFrom('', ' ', '.', '!'),
        sentencesFrom(AGENT_EVERYDAY),
        (before, [head, joiner, tail], end, after) => {
          expect(outgoingCodeReasons(`${before}\n${head}${joiner}${tail}${end}\n${after}`)).toContain('lone_six_digits');
        },
      ),
      RUNS,
    );
  });

  it('is flagged for a recovery code in any case, wherever it stands', () => {
    fc.assert(
      fc.property(sentencesFrom(AGENT_EVERYDAY), recoveryCode.chain(anyCase), sentencesFrom(AGENT_EVERYDAY), (before, code, after) => {
        expect(outgoingCodeReasons(`${before}${code} ${after}`)).toContain('recovery_code');
      }),
      RUNS,
    );
  });

  it('is never flagged for everyday sentences with order numbers in them', () => {
    fc.assert(
      fc.property(sentencesFrom(AGENT_EVERYDAY), codeDigits, sentencesFrom(AGENT_EVERYDAY), (before, number, after) => {
        expect(outgoingCodeReasons(`${before}Il suo ordine n. ${number} è partito. ${after}`)).toEqual([]);
      }),
      RUNS,
    );
  });
});
