/**
 * The words for the secrets a WhatsApp account or a login is taken over with, in English and
 * Italian, as common/phrases/phrase-finder.ts reads them: one-time codes (`verification code`,
 * `codice di verifica`, `OTP`, `6-digit code`, `codice a 6 cifre`), PINs, passwords. A bare
 * `code` or `codice` counts too, except in the compounds that name something else (`codice
 * fiscale`, `discount code`, `codice dell'ordine`), which are listed so that the longer phrase is
 * read, and except near a word that says what else it is (`il codice per lo sconto`).
 */
import type { Lexicon } from '../phrases/phrase-finder.js';

export type CodeWordTag = 'code' | 'generic_code' | 'pin' | 'password' | 'not_a_code' | 'code_context';

/** A bare code word is read as something else within this many words of a context word. */
export const CODE_CONTEXT_GAP = 2;

const ENGLISH_NOT_A_CODE = [
  ...['discount', 'promo', 'promotional', 'coupon', 'voucher', 'gift', 'referral', 'invite', 'invitation', 'tracking', 'zip', 'postal', 'post'],
  ...['order', 'product', 'tax', 'qr', 'bar', 'source', 'error', 'country', 'area', 'dress', 'booking', 'reservation', 'customer', 'reference'],
  ...['colour', 'color', 'sort', 'status', 'html', 'morse'],
].flatMap((what) => [`${what} code`, `${what} codes`]);

const ITALIAN_NOT_A_CODE = [
  ...['fiscale', 'postale', 'cliente', 'ordine', 'sconto', 'promozionale', 'promo', 'coupon', 'buono', 'regalo', 'invito', 'amico', 'prodotto'],
  ...['articolo', 'pratica', 'spedizione', 'tracking', 'tracciamento', 'iban', 'qr', 'fattura', 'errore', 'colore', 'prenotazione', 'riferimento'],
  ...['paese', 'ateco', 'destinatario', 'univoco', 'sdi', 'abbonamento', 'contratto', 'tessera', 'identificativo', 'avviamento postale', 'a barre'],
  ...['della strada', 'civile', 'penale', 'deontologico', 'etico', 'sorgente'],
].flatMap((what) =>
  ['codice', 'codici'].flatMap((noun) => [`${noun} ${what}`, `${noun} di ${what}`, `${noun} del ${what}`, `${noun} dell ${what}`, `${noun} della ${what}`]),
);

export const CODE_WORDS: Lexicon<CodeWordTag> = [
  [
    'code',
    [
      ...['otp', 'otps', 'totp', '2fa', 'mfa', 'verification code', 'verification codes', 'verify code', 'confirmation code', 'security code'],
      ...['login code', 'log in code', 'sign in code', 'access code', 'one time code', 'one time password', 'one time passcode', 'sms code'],
      ...['authentication code', 'auth code', 'authenticator code', 'authenticator', 'recovery code', 'recovery codes', 'backup code', 'backup codes'],
      ...['whatsapp code', 'registration code', 'activation code', '# digit code', '# digits code', '# digit number'],
      ...['codice di verifica', 'codice verifica', 'codici di verifica', 'codice di conferma', 'codice conferma', 'codice di sicurezza', 'codice sicurezza'],
      ...['codice di accesso', 'codice d accesso', 'codice accesso', 'codice di login', 'codice monouso', 'password monouso', 'codice sms', 'codice via sms'],
      ...['codice otp', 'codice di autenticazione', 'codice di autorizzazione', 'codice autorizzazione', 'codice di recupero', 'codici di recupero'],
      ...['codice di backup', 'codice whatsapp', 'codice di whatsapp', 'codice di registrazione', 'codice di attivazione', 'codice attivazione'],
      ...['codice a # cifre', 'codice di # cifre', 'codice da # cifre', '# cifre', 'codice numerico', 'codice temporaneo', 'codice segreto'],
    ],
  ],
  ['generic_code', ['code', 'codes', 'codice', 'codici']],
  ['pin', ['pin', 'pins', 'pin code', 'codice pin', 'numero pin', 'puk', 'codice personale', '# digit pin']],
  [
    'password',
    [
      ...['password', 'passwords', 'passwd', 'passcode', 'passphrase', 'pass word', 'credentials', 'login details', 'login data', 'sign in details'],
      ...['parola d ordine', 'parola chiave', 'credenziali', 'dati di accesso', 'dati d accesso', 'dati per accedere', 'chiave di accesso'],
    ],
  ],
  ['not_a_code', [...ENGLISH_NOT_A_CODE, ...ITALIAN_NOT_A_CODE]],
  [
    'code_context',
    [
      ...['ordine', 'order', 'cliente', 'customer', 'pratica', 'fattura', 'invoice', 'spedizione', 'shipment', 'shipping', 'tracking', 'prenotazione'],
      ...['booking', 'reservation', 'ticket', 'riferimento', 'reference', 'articolo', 'prodotto', 'product', 'sconto', 'discount', 'promo', 'coupon'],
      ...['voucher', 'buono', 'postale', 'postal', 'fiscale', 'iban', 'errore', 'error', 'sku', 'seriale', 'serial', 'pacco', 'parcel', 'package'],
    ],
  ],
];

/** The tags that name a code, a PIN or a password. */
export const SECRET_TAGS: readonly CodeWordTag[] = ['code', 'generic_code', 'pin', 'password'];
