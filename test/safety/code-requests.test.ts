/**
 * A customer's message that asks for a code, a PIN or a password, says a code was sent, or claims
 * to be WhatsApp's, Meta's or Sportello's support, in English and Italian; and the everyday
 * messages about codes that do none of that (common/codes/code-requests.ts).
 */
import { describe, expect, it } from 'vitest';
import { codeRequestReasons } from '../../common/codes/code-requests.js';

describe('a customer asking for a code', () => {
  it('is found in English, each reason named', () => {
    expect(codeRequestReasons('Hello, this is WhatsApp Support. Please send me the 6-digit code we sent you.')).toEqual([
      'asks_for_code',
      'says_a_code_was_sent',
      'claims_to_be_support',
    ]);
    expect(codeRequestReasons('I sent you a code by mistake, can you forward it to me?')).toEqual(['asks_for_code', 'says_a_code_was_sent']);
    expect(codeRequestReasons('Give me the verification code')).toEqual(['asks_for_code']);
    expect(codeRequestReasons('I need the OTP you just received')).toEqual(['asks_for_code', 'says_a_code_was_sent']);
    expect(codeRequestReasons("What's your PIN?")).toEqual(['asks_for_pin']);
    expect(codeRequestReasons("Tell me your password and I'll fix your account")).toEqual(['asks_for_password']);
    expect(codeRequestReasons('Meta Support Team: your account will be disabled')).toEqual(['claims_to_be_support']);
    expect(codeRequestReasons('WHATS APP SECURITY TEAM')).toEqual(['claims_to_be_support']);
  });

  it('is found in Italian, each reason named', () => {
    expect(codeRequestReasons('Ciao, sono del team di WhatsApp. Ti abbiamo inviato un codice via SMS, inviamelo per verificare il tuo account.')).toEqual([
      'asks_for_code',
      'says_a_code_was_sent',
      'claims_to_be_support',
    ]);
    expect(codeRequestReasons('inviami il codice di verifica')).toEqual(['asks_for_code']);
    expect(codeRequestReasons('Mandami il codice a 6 cifre')).toEqual(['asks_for_code']);
    expect(codeRequestReasons('mi serve il codice che ti è arrivato')).toEqual(['asks_for_code', 'says_a_code_was_sent']);
    expect(codeRequestReasons('ti abbiamo inviato un codice')).toEqual(['says_a_code_was_sent']);
    expect(codeRequestReasons('Mi dici il PIN della carta?')).toEqual(['asks_for_pin']);
    expect(codeRequestReasons("Qual è la password dell'account?")).toEqual(['asks_for_password']);
    expect(codeRequestReasons('qual e la tua password')).toEqual(['asks_for_password']);
    expect(codeRequestReasons('Assistenza WhatsApp: il tuo account verrà sospeso')).toEqual(['claims_to_be_support']);
    expect(codeRequestReasons('Il Team Meta ti informa')).toEqual(['claims_to_be_support']);
    expect(codeRequestReasons('Supporto Sportello: conferma la tua password')).toEqual(['asks_for_password', 'claims_to_be_support']);
    expect(codeRequestReasons('Il team della sicurezza di Facebook')).toEqual(['claims_to_be_support']);
  });

  it('is not found in messages about other codes, or that name WhatsApp for what it is', () => {
    for (const harmless of [
      'Can you send me the tracking code for my order?',
      "The discount code doesn't work",
      "What's the zip code of your shop?",
      'My order number is 12345, when will it arrive?',
      'I will send you the invoice tomorrow',
      'I use WhatsApp every day',
      'Mi manda il codice fiscale per la fattura?',
      'Il codice sconto non funziona',
      "Mi dice il codice dell'ordine?",
      'Mi può mandare il codice per lo sconto?',
      'Cosa vuol dire questo codice di errore?',
      'Cosa vuol dire questo codice?',
      'Il codice di conferma della prenotazione è scaduto',
      'Ho pagato a metà del mese, il team è stato gentile',
      'Sono passato allo sportello assistenza ma era chiuso',
      'Mi può dire quando arriva il pacco?',
      'Vi scrivo su WhatsApp perché il telefono è occupato',
    ])
      expect(codeRequestReasons(harmless), harmless).toEqual([]);
  });

  it('reads a request and its secret only within one sentence', () => {
    expect(codeRequestReasons('Send me the invoice. The code is on the box.')).toEqual([]);
    expect(codeRequestReasons('Mandami la fattura!\nIl codice te lo do dopo')).toEqual([]);
    // Within one sentence they are read together, harmless or not (a known false positive, docs/safety-rules.md).
    expect(codeRequestReasons('Send me a photo, the code is on the box')).toEqual(['asks_for_code']);
  });
});
