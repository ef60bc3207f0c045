/**
 * The purpose of a request for personal data, as fast-check sees it: a request written by
 * "Request personal data" asks for exactly the kinds the agent ticked (so the server's detector
 * asks for its purpose, and the line names them); the line added asks for nothing itself, names
 * every kind in the customer's language, ends with the privacy notice when there is one, and goes
 * after the agent's text, which stays as written. Purposes that are not one are refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PERSONAL_DATA_PURPOSES,
  PURPOSE_LANGUAGES,
  PersonalDataPurpose,
  consentOfButtonReply,
  personalDataRequestText,
  promotionsConsentButtons,
  purposeLine,
  withPurposeLine,
} from '../../common/personal-data/personal-data-purpose.js';
import { requestedPersonalData } from '../../common/personal-data/personal-data-requests.js';
import { PERSONAL_DATA_KINDS } from '../../common/personal-data/personal-data-words.js';

const kinds = fc.subarray([...PERSONAL_DATA_KINDS], { minLength: 1 });
const language = fc.constantFrom(...PURPOSE_LANGUAGES);
const named = fc.constantFrom(...PERSONAL_DATA_PURPOSES.filter((purpose) => purpose !== 'other')).map((purpose) => ({ purpose }));
const privacy = fc.option(fc.webUrl({ validSchemes: ['https'] }), { nil: null });

describe('a request for personal data and its purpose', () => {
  it('asks, written by Request personal data, for exactly the kinds ticked', () => {
    fc.assert(
      fc.property(kinds, language, (ticked, lang) => {
        expect(requestedPersonalData(personalDataRequestText(ticked, lang))).toEqual(ticked);
      }),
    );
  });

  it('is told in a line that asks for nothing itself and ends with the privacy notice when there is one', () => {
    fc.assert(
      fc.property(kinds, named, language, privacy, (asked, purpose, lang, url) => {
        const line = purposeLine(asked, purpose, lang, url);
        expect(requestedPersonalData(line)).toEqual([]);
        expect(line.includes('\n')).toBe(false);
        if (url !== null) expect(line.endsWith(`: ${url}`)).toBe(true);
        else expect(line.endsWith('.')).toBe(true);
      }),
    );
  });

  it('says other in the agent’s own words, as written', () => {
    const words = fc.stringMatching(/^[A-Za-zÀ-ÿ0-9 ,'-]{3,200}$/).filter((text) => text.trim().length >= 3);
    fc.assert(
      fc.property(kinds, words, language, (asked, text, lang) => {
        const purpose = PersonalDataPurpose.parse({ purpose: 'other', text });
        expect(purposeLine(asked, purpose, lang, null).endsWith(`: ${text.trim()}.`)).toBe(true);
      }),
    );
  });

  it('goes after the agent’s text, which stays as written, on a line of its own', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300 }), kinds, named, language, (text, asked, purpose, lang) => {
        const line = purposeLine(asked, purpose, lang, null);
        const sent = withPurposeLine(text, line);
        expect(sent).toBe(`${text.trimEnd()}\n\n${line}`);
      }),
    );
  });

  it('refuses a purpose that is not one, other without words, and words with a named purpose', () => {
    fc.assert(
      fc.property(fc.string(), (purpose) => {
        fc.pre(!(PERSONAL_DATA_PURPOSES as readonly string[]).includes(purpose));
        expect(PersonalDataPurpose.safeParse({ purpose }).success).toBe(false);
      }),
    );
    expect(PersonalDataPurpose.safeParse({ purpose: 'other' }).success).toBe(false);
    expect(PersonalDataPurpose.safeParse({ purpose: 'other', text: 'a\nb c' }).success).toBe(false);
    expect(PersonalDataPurpose.safeParse({ purpose: 'billing', text: 'invoices' }).success).toBe(false);
  });

  it('takes the answer from its own buttons only', () => {
    for (const lang of PURPOSE_LANGUAGES) {
      const [yes, no] = promotionsConsentButtons(lang);
      expect([consentOfButtonReply(yes?.id), consentOfButtonReply(no?.id)]).toEqual(['yes', 'no']);
      for (const button of [yes, no]) expect(button?.title.length).toBeLessThanOrEqual(20);
    }
    fc.assert(
      fc.property(fc.string(), (id) => {
        fc.pre(!id.startsWith('sportello_promotions_consent_'));
        expect(consentOfButtonReply(id)).toBeUndefined();
      }),
    );
  });
});
