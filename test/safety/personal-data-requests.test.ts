/**
 * An agent's outgoing text that asks the customer for personal data, and which kinds, in English
 * and Italian; and what agents write that names personal data without asking for it
 * (common/personal-data/).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestedPersonalData } from '../../common/personal-data/personal-data-requests.js';
import type { PersonalDataKind } from '../../common/personal-data/personal-data-words.js';
import { PERSONAL_DATA_KINDS } from '../../common/personal-data/personal-data-words.js';
import { amongSentences, anyCase, sentencesFrom } from '../helpers/wording.js';

describe('a request for personal data', () => {
  it('is found in English, by kind', () => {
    expect(requestedPersonalData('Could you send me your address?')).toEqual(['address']);
    expect(requestedPersonalData("What's your email address?")).toEqual(['email']);
    expect(requestedPersonalData('Please confirm your date of birth')).toEqual(['date_of_birth']);
    expect(requestedPersonalData('Where do you live?')).toEqual(['address']);
    expect(requestedPersonalData('When were you born?')).toEqual(['date_of_birth']);
    expect(requestedPersonalData('I need a photo of your passport and your tax code')).toEqual(['identity_document', 'tax_number']);
    expect(requestedPersonalData('Can you give me your IBAN and your phone number?')).toEqual(['iban', 'phone']);
  });

  it('is found in Italian, by kind', () => {
    expect(requestedPersonalData('mi può indicare il suo indirizzo email?')).toEqual(['email']);
    expect(requestedPersonalData('qual è la sua data di nascita')).toEqual(['date_of_birth']);
    expect(requestedPersonalData('mi serve il codice fiscale')).toEqual(['tax_number']);
    expect(requestedPersonalData("Ci invii una copia della carta d'identità")).toEqual(['identity_document']);
    expect(requestedPersonalData('Mi può mandare il suo IBAN e il numero di telefono?')).toEqual(['iban', 'phone']);
    expect(requestedPersonalData("Mi conferma l'indirizzo di spedizione?")).toEqual(['address']);
    expect(requestedPersonalData('Dove abita?')).toEqual(['address']);
    expect(requestedPersonalData('Quando è nato?')).toEqual(['date_of_birth']);
    expect(requestedPersonalData('Ho bisogno della partita IVA')).toEqual(['tax_number']);
    expect(requestedPersonalData('Mi dà il suo numero?')).toEqual(['phone']);
  });

  it('is not found where an agent names personal data without asking for it', () => {
    for (const telling of [
      'Le invieremo la fattura al suo indirizzo email',
      'Send me an email when it arrives',
      'Mi scriva una mail quando arriva',
      'Please send the documents to our address',
      'Può spedire il reso al seguente indirizzo: Via Roma 1, Milano',
      'Il nostro IBAN è IT60X0542811101000000123456',
      'Your parcel was delivered to the address on the order',
      'Abbiamo aggiornato il suo numero di telefono',
      'Our phone number is on the website',
      'Grazie, ho ricevuto la sua email',
    ])
      expect(requestedPersonalData(telling), telling).toEqual([]);
  });
});

const REQUESTS: readonly (readonly [string, PersonalDataKind])[] = [
  ['could you send me your address', 'address'],
  ['mi può indicare il suo indirizzo di casa', 'address'],
  ['what is your email', 'email'],
  ['mi lascia la sua email', 'email'],
  ['mi scriva il suo indirizzo email', 'email'],
  ['qual è la sua data di nascita', 'date_of_birth'],
  ['please tell me your date of birth', 'date_of_birth'],
  ['mi invii una foto del passaporto', 'identity_document'],
  ['please send a copy of your ID card', 'identity_document'],
  ['mi serve il codice fiscale', 'tax_number'],
  ['please provide your tax number', 'tax_number'],
  ['mi comunica il suo IBAN', 'iban'],
  ['send us your bank details', 'iban'],
  ['mi dà un recapito telefonico', 'phone'],
  ['could you give me your phone number', 'phone'],
];
const AGENT_EVERYDAY = [
  'Buongiorno, come posso aiutarla',
  'Il suo ordine è stato spedito',
  'Your parcel will arrive on Monday',
  'Thank you for waiting',
  'Le abbiamo mandato la fattura',
  'Il reso è gratuito entro 30 giorni',
];

describe('requests for personal data in any wording', () => {
  it('are found in either language, whatever surrounds them and in any case', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REQUESTS).chain(([phrase, kind]) => amongSentences(phrase, AGENT_EVERYDAY).map((text) => ({ text, kind }))),
        ({ text, kind }) => {
          expect(requestedPersonalData(text)).toContain(kind);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('name each kind once, in the order of the kinds; everyday sentences name none', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...REQUESTS.map(([phrase]) => phrase)), { maxLength: 6 }),
        sentencesFrom(AGENT_EVERYDAY).chain(anyCase),
        (phrases, everyday) => {
          const kinds = requestedPersonalData(phrases.join('. '));
          expect(kinds).toEqual(PERSONAL_DATA_KINDS.filter((kind) => kinds.includes(kind)));
          expect(requestedPersonalData(everyday)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
