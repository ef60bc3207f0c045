/**
 * The words for each kind of personal data an agent may ask a customer for, in English and
 * Italian, as common/phrases/phrase-finder.ts reads them, and the questions that ask for one by
 * themselves (`where do you live`, `quando è nato`). A noun with `our`, `this`, `nostro`,
 * `questo` or `seguente` in front is the business's own (`our address`, `al seguente indirizzo`),
 * and `an email` or `per email` is a message, not an address: those are listed under not_personal,
 * so that the longer phrase is read and asks for nothing.
 */
import type { Lexicon } from '../phrases/phrase-finder.js';

export const PERSONAL_DATA_KINDS = ['address', 'email', 'date_of_birth', 'identity_document', 'tax_number', 'iban', 'phone'] as const;
export type PersonalDataKind = (typeof PERSONAL_DATA_KINDS)[number];

const PERSONAL_DATA_NOUNS: Readonly<Record<PersonalDataKind, readonly string[]>> = {
  address: [
    ...['address', 'addresses', 'home address', 'postal address', 'shipping address', 'delivery address', 'billing address', 'street address'],
    ...['postcode', 'post code', 'zip code', 'postal code', 'indirizzo', 'indirizzi', 'indirizzo di casa', 'indirizzo di residenza'],
    ...['indirizzo di spedizione', 'indirizzo di consegna', 'indirizzo di fatturazione', 'residenza', 'domicilio', 'numero civico', 'civico'],
    ...['cap', 'codice postale', 'codice di avviamento postale'],
  ],
  email: [
    ...['email', 'emails', 'e mail', 'e mails', 'mail', 'email address', 'e mail address', 'mail address', 'indirizzo email', 'indirizzo e mail'],
    ...['indirizzo mail', 'indirizzo di posta', 'indirizzo di posta elettronica', 'posta elettronica', 'pec', 'indirizzo pec'],
  ],
  date_of_birth: [
    ...['date of birth', 'birth date', 'birthdate', 'birthday', 'dob', 'data di nascita', 'data nascita', 'data e luogo di nascita'],
    ...['luogo e data di nascita', 'anno di nascita', 'giorno di nascita', 'compleanno'],
  ],
  identity_document: [
    ...['id card', 'identity card', 'identity document', 'id document', 'photo id', 'passport', 'passport number', 'driving licence'],
    ...['driving license', 'driver s license', 'drivers license', 'driver license', 'national id', 'id number', 'carta d identita'],
    ...['carta di identita', 'documento d identita', 'documento di identita', 'documento di riconoscimento', 'numero del documento'],
    ...['numero documento', 'passaporto', 'patente', 'patente di guida', 'permesso di soggiorno'],
  ],
  tax_number: [
    ...['codice fiscale', 'c f', 'partita iva', 'p iva', 'piva', 'numero di partita iva', 'tax code', 'tax id', 'tax number'],
    ...['tax identification number', 'ssn', 'social security number', 'national insurance number', 'vat number'],
  ],
  iban: [
    ...['iban', 'codice iban', 'numero iban', 'bank account', 'bank account number', 'account number', 'bank details', 'banking details'],
    ...['sort code', 'routing number', 'swift', 'bic', 'swift code', 'conto corrente', 'numero di conto', 'numero del conto', 'numero conto'],
    ...['coordinate bancarie', 'estremi bancari', 'dati bancari'],
  ],
  phone: [
    ...['phone number', 'telephone number', 'mobile number', 'cell number', 'cell phone number', 'cellphone number', 'contact number'],
    ...['your number', 'your mobile', 'your cell', 'numero di telefono', 'numero telefonico', 'recapito telefonico', 'numero di cellulare'],
    ...['numero del cellulare', 'numero fisso', 'il suo numero', 'il tuo numero', 'suo numero', 'tuo numero', 'vostro numero'],
    ...['il suo cellulare', 'il tuo cellulare', 'un recapito'],
  ],
};

/** Questions that ask for a kind with no other request word. */
const PERSONAL_DATA_QUESTIONS: Readonly<Partial<Record<PersonalDataKind, readonly string[]>>> = {
  address: ['where do you live', 'where you live', 'dove abita', 'dove abiti', 'dove vive', 'dove vivi', 'dove risiede', 'dove risiedi'],
  date_of_birth: ['when were you born', 'when you were born', 'quando e nato', 'quando e nata', 'quando sei nato', 'quando sei nata'],
};

const OWNERS = [
  ...['our', 'this', 'the following', 'nostro', 'nostra', 'nostri', 'nostre', 'il nostro', 'la nostra', 'al nostro', 'alla nostra'],
  ...['questo', 'questa', 'seguente', 'following'],
];
const MESSAGES = [
  ...['an email', 'a mail', 'an e mail', 'by email', 'by e mail', 'via email', 'via e mail', 'via mail', 'per email', 'per e mail', 'per mail'],
  ...['una mail', 'un email', 'una email', 'un e mail', 'una e mail', 'tramite email', 'tramite mail', 'in email', 'email di conferma'],
];

export type PersonalDataTag = PersonalDataKind | `${PersonalDataKind}_question` | 'not_personal';

export const PERSONAL_DATA_WORDS: Lexicon<PersonalDataTag> = [
  ...PERSONAL_DATA_KINDS.map((kind) => [kind, PERSONAL_DATA_NOUNS[kind]] as const),
  ...PERSONAL_DATA_KINDS.map((kind) => [`${kind}_question`, PERSONAL_DATA_QUESTIONS[kind] ?? []] as const),
  ['not_personal', [...MESSAGES, ...OWNERS.flatMap((owner) => Object.values(PERSONAL_DATA_NOUNS).flatMap((nouns) => nouns.map((noun) => `${owner} ${noun}`)))]],
];
