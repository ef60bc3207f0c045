/**
 * What personal data asked of a customer is for (issue 13, "Personal data only with its purpose"):
 * a send whose text asks for personal data (requestedPersonalData) carries its purpose, and the
 * server adds one line to the message that tells the customer, in their language, what the data
 * is for, with the privacy notice when the policy names one. The same words are shown to the agent
 * before the message goes (the renderer runs purposeLine too), and a "Request personal data" text
 * is composed here, so what the agent sees is what the customer reads. No zod types of the wire
 * live here beyond the purpose itself (common/messages/send-request.ts carries it).
 */
import { z } from 'zod';
import { CodedError } from '../errors/coded-error.js';
import type { PersonalDataKind } from './personal-data-words.js';

export const PERSONAL_DATA_PURPOSES = ['billing', 'shipping', 'order_tracking', 'inventory', 'promotions', 'other'] as const;
export type PersonalDataPurposeKind = (typeof PERSONAL_DATA_PURPOSES)[number];

export const PURPOSE_TEXT_MIN = 3;
export const PURPOSE_TEXT_MAX = 200;

/** Languages the line is written in; a customer in any other is written to in the agent's. */
export const PURPOSE_LANGUAGES = ['en', 'it'] as const;
export type PurposeLanguage = (typeof PURPOSE_LANGUAGES)[number];

export const PersonalDataPurpose = z
  .object({
    purpose: z.enum(PERSONAL_DATA_PURPOSES),
    /** The agent's own words for `other` (the line says "only for: <text>"); not allowed with the others. */
    text: z
      .string()
      .trim()
      .min(PURPOSE_TEXT_MIN, `the purpose must be at least ${PURPOSE_TEXT_MIN} characters`)
      .max(PURPOSE_TEXT_MAX, `the purpose must be at most ${PURPOSE_TEXT_MAX} characters`)
      .refine((text) => !/[\r\n]/.test(text), 'the purpose is one line')
      .optional(),
  })
  .strict()
  .refine((value) => (value.purpose === 'other') === (value.text !== undefined), {
    message: 'say the purpose in words (text) when it is other, and only then',
    path: ['text'],
  });
export type PersonalDataPurpose = z.infer<typeof PersonalDataPurpose>;

/** Refused: the text asks for personal data and says nothing of what for. Names the kinds, never the text. */
export class PersonalDataPurposeRequired extends CodedError<'personal_data_purpose_required'> {
  readonly kinds: readonly PersonalDataKind[];

  constructor(found: { readonly kinds: readonly PersonalDataKind[] }) {
    super(
      'personal_data_purpose_required',
      'This message asks the customer for personal data: choose what it is for, and the customer is told in one line added to the message.',
      { kinds: [...found.kinds] },
    );
    this.kinds = found.kinds;
    this.name = 'PersonalDataPurposeRequired';
  }
}

const KIND_WORDS: Readonly<Record<PurposeLanguage, Readonly<Record<PersonalDataKind, string>>>> = {
  en: {
    address: 'address',
    email: 'email address',
    date_of_birth: 'date of birth',
    identity_document: 'identity document',
    tax_number: 'tax number',
    iban: 'bank details',
    phone: 'phone number',
  },
  it: {
    address: 'indirizzo',
    email: 'indirizzo email',
    date_of_birth: 'data di nascita',
    identity_document: 'documento d’identità',
    tax_number: 'codice fiscale o partita IVA',
    iban: 'coordinate bancarie',
    phone: 'numero di telefono',
  },
};

const PURPOSE_WORDS: Readonly<Record<PurposeLanguage, Readonly<Record<Exclude<PersonalDataPurposeKind, 'other'>, string>>>> = {
  en: {
    billing: 'billing',
    shipping: 'shipping your order',
    order_tracking: 'tracking your order',
    inventory: 'letting you know when a product is available',
    promotions: 'sending you offers and promotions, if you agree',
  },
  it: {
    billing: 'la fatturazione',
    shipping: 'la spedizione del suo ordine',
    order_tracking: 'seguire il suo ordine',
    inventory: 'avvisarla quando un prodotto è disponibile',
    promotions: 'inviarle offerte e promozioni, se acconsente',
  },
};

function listed(items: readonly string[], and: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1] ?? ''}`;
}

/**
 * The line added to a message that asks for `kinds`: what they are for, and the privacy notice
 * when there is one. It asks for nothing itself (requestedPersonalData finds no kind in it).
 */
export function purposeLine(
  kinds: readonly PersonalDataKind[],
  purpose: PersonalDataPurpose,
  language: PurposeLanguage,
  privacyNoticeUrl: string | null,
): string {
  const what = listed(
    kinds.map((kind) => KIND_WORDS[language][kind]),
    language === 'it' ? 'e' : 'and',
  );
  const why = purpose.purpose === 'other' ? `: ${purpose.text ?? ''}` : ` ${PURPOSE_WORDS[language][purpose.purpose]}`;
  const line = language === 'it' ? `ℹ️ Useremo questi dati (${what}) solo per${why}.` : `ℹ️ We will use these details (${what}) only for${why}.`;
  if (privacyNoticeUrl === null) return line;
  return `${line} ${language === 'it' ? 'Informativa sulla privacy' : 'Privacy notice'}: ${privacyNoticeUrl}`;
}

/** The text sent: the agent's and, on a line of its own after an empty one, the purpose. */
export function withPurposeLine(text: string, line: string): string {
  return `${text.trimEnd()}\n\n${line}`;
}

const ASKED_WORDS: Readonly<Record<PurposeLanguage, Readonly<Record<PersonalDataKind, string>>>> = {
  en: {
    address: 'your address',
    email: 'your email address',
    date_of_birth: 'your date of birth',
    identity_document: 'your identity document number',
    tax_number: 'your tax number',
    iban: 'your bank details',
    phone: 'your phone number',
  },
  it: {
    address: 'il suo indirizzo',
    email: 'il suo indirizzo email',
    date_of_birth: 'la sua data di nascita',
    identity_document: 'il suo documento d’identità',
    tax_number: 'il suo codice fiscale',
    iban: 'le sue coordinate bancarie',
    phone: 'il suo numero di telefono',
  },
};

/** The text of a "Request personal data" message: asks for `kinds`, each by name (the line is added by the server). */
export function personalDataRequestText(kinds: readonly PersonalDataKind[], language: PurposeLanguage): string {
  const what = listed(
    kinds.map((kind) => ASKED_WORDS[language][kind]),
    language === 'it' ? 'e' : 'and',
  );
  return language === 'it' ? `Buongiorno, mi può indicare ${what}, per favore?` : `Hello, could you please send me ${what}?`;
}

/** The reply buttons a promotions request goes with: the customer's tap records their consent. */
export const PROMOTIONS_CONSENT_BUTTON_IDS = { yes: 'sportello_promotions_consent_yes', no: 'sportello_promotions_consent_no' } as const;
/** WhatsApp's limit for the text of a message with reply buttons. */
export const MAX_BUTTON_MESSAGE_LENGTH = 1024;

export function promotionsConsentButtons(language: PurposeLanguage): { id: string; title: string }[] {
  return [
    { id: PROMOTIONS_CONSENT_BUTTON_IDS.yes, title: language === 'it' ? 'Sì, acconsento' : 'Yes, I agree' },
    { id: PROMOTIONS_CONSENT_BUTTON_IDS.no, title: language === 'it' ? 'No, grazie' : 'No, thanks' },
  ];
}

/** The consent a button reply gives, when it is one of the promotions request's buttons. */
export function consentOfButtonReply(replyId: string | undefined): 'yes' | 'no' | undefined {
  if (replyId === PROMOTIONS_CONSENT_BUTTON_IDS.yes) return 'yes';
  if (replyId === PROMOTIONS_CONSENT_BUTTON_IDS.no) return 'no';
  return undefined;
}
