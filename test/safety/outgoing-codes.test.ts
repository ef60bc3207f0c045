/**
 * An agent's outgoing text that carries a one-time code or a recovery code, in English and
 * Italian, and the numbers an agent sends every day that are none (common/codes/outgoing-codes.ts).
 */
import { describe, expect, it } from 'vitest';
import { outgoingCodeReasons } from '../../common/codes/outgoing-codes.js';

describe('a code in what an agent sends', () => {
  it('is found beside a code word, whatever its grouping', () => {
    expect(outgoingCodeReasons('Il suo codice di verifica è 482913')).toEqual(['one_time_code']);
    expect(outgoingCodeReasons('Your code is 4829, it expires in 10 minutes')).toEqual(['one_time_code']);
    expect(outgoingCodeReasons('OTP: 482-913')).toEqual(['one_time_code']);
    expect(outgoingCodeReasons('Codice OTP: 4829 1377.')).toEqual(['one_time_code']);
    expect(outgoingCodeReasons('PIN 1234')).toEqual(['one_time_code']);
    expect(outgoingCodeReasons('password: 12345678')).toEqual(['one_time_code']);
    expect(outgoingCodeReasons('482913 è il codice che mi ha chiesto')).toEqual(['one_time_code']);
  });

  it('is found as a line of six digits by itself', () => {
    expect(outgoingCodeReasons('482913')).toEqual(['lone_six_digits']);
    expect(outgoingCodeReasons('  482 913  ')).toEqual(['lone_six_digits']);
    expect(outgoingCodeReasons('Ecco:\n"482-913".\nGrazie')).toEqual(['lone_six_digits']);
    expect(outgoingCodeReasons('codice\n482913')).toEqual(['lone_six_digits']);
    expect(outgoingCodeReasons('Il codice:\n482913')).toEqual(['one_time_code', 'lone_six_digits']);
  });

  it('is found in the shape of a recovery code, as shown or typed', () => {
    expect(outgoingCodeReasons('ACDEF-GHJKM')).toEqual(['recovery_code']);
    expect(outgoingCodeReasons('il mio codice di recupero è acdef-ghjkm')).toEqual(['recovery_code']);
    expect(outgoingCodeReasons('Recovery: 4CDEF 7HJKM')).toEqual(['recovery_code']);
    expect(outgoingCodeReasons('usa questo 4CDEF7HJKM')).toEqual(['recovery_code']);
    expect(outgoingCodeReasons('uno dei due: precedente 4CDEF 7HJKM')).toEqual(['recovery_code']);
  });

  it('is not found in order numbers, dates, times, amounts, phone numbers or other codes', () => {
    for (const everyday of [
      'Il suo ordine 482913 è stato spedito',
      'Il codice del suo ordine è 12345',
      'Your order code is 48291',
      'Il PIN è stato cambiato il 12/03/2024 alle 15:30',
      'Il codice sconto è SAVE20',
      'Il messaggio precedente era sbagliato',
      'Costo del codice: 1.234,56 €',
      'Chiami il numero 333 1234567 per il codice',
      'Codice di tracciamento 12345678',
      'Il codice cliente è 123456',
      'Il codice di prenotazione è 482913',
      'Il codice della pratica è 4821, ci risentiamo',
      'ACDE-FGHJ',
      'ACDEF-GHJKM-NPQRT',
      'Tel. +39 02 12345678, codice 12',
      'PRECEDENTE',
      'Il totale è 123456 euro',
      '482913 euro',
    ])
      expect(outgoingCodeReasons(everyday), everyday).toEqual([]);
  });
});
