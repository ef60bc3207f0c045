/**
 * Every word the approval page shows, in English and Italian, picked from the phone's
 * Accept-Language (English when it names neither). Plain text only: templates escape it.
 */
import type { FormField } from './page-errors.js';

export const LANGUAGES = ['en', 'it'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface PageStrings {
  readonly pageTitle: string;
  readonly loginIntro: string;
  readonly pairingCode: string;
  readonly username: string;
  readonly password: string;
  readonly secondFactor: string;
  readonly secondFactorHint: string;
  readonly logIn: string;
  readonly loginFailed: string;
  readonly loginLocked: string;
  readonly loginThrottled: (seconds: number) => string;
  readonly loginBusy: string;
  readonly sessionEnded: string;
  readonly pairingHeading: string;
  readonly label: string;
  readonly hostname: string;
  readonly os: string;
  readonly appVersion: string;
  readonly secretStorage: string;
  readonly asked: string;
  readonly fingerprint: string;
  readonly fingerprintHint: string;
  readonly replacesKey: string;
  readonly unprotectedStorage: string;
  readonly approve: string;
  readonly reject: string;
  readonly loggedInAs: (name: string) => string;
  readonly logOut: string;
  readonly approvedHeading: string;
  readonly approvedText: (label: string) => string;
  readonly rejectedHeading: string;
  readonly rejectedText: (label: string) => string;
  readonly closePage: string;
  readonly codeInvalidHeading: string;
  readonly codeInvalidText: string;
  readonly badFormHeading: string;
  readonly fieldHints: Readonly<Record<FormField, string>>;
  readonly csrfHeading: string;
  readonly csrfText: string;
  readonly originHeading: string;
  readonly originText: string;
  readonly rateLimitedHeading: string;
  readonly rateLimitedText: string;
  readonly errorHeading: string;
  readonly errorText: string;
  readonly loggedOutHeading: string;
  readonly loggedOutText: string;
  readonly openAgain: string;
}

const ENGLISH: PageStrings = {
  pageTitle: 'Approve a workstation',
  loginIntro: 'Log in as an administrator to see the workstation that asks to pair.',
  pairingCode: 'Pairing code',
  username: 'Username',
  password: 'Password',
  secondFactor: '6-digit code or recovery code',
  secondFactorHint: 'The code your authenticator app shows now.',
  logIn: 'Log in',
  loginFailed: 'The username, password or code is not right.',
  loginLocked: 'Too many failed attempts: this account is locked. Ask another administrator to unlock it.',
  loginThrottled: (seconds) =>
    `Too many failed attempts for this username or from this address: wait ${seconds === 1 ? '1 second' : `${seconds} seconds`} and try again.`,
  loginBusy: 'The server is busy with other logins: try again in a few seconds.',
  sessionEnded: 'Your login on this page has ended: log in again.',
  pairingHeading: 'Workstation asking to pair',
  label: 'Name',
  hostname: 'Hostname',
  os: 'Operating system',
  appVersion: 'App version',
  secretStorage: 'Secret storage',
  asked: 'Asked',
  fingerprint: 'Key fingerprint',
  fingerprintHint: 'Compare it with the fingerprint on the workstation’s screen. Approve only if every group matches.',
  replacesKey: 'This workstation is already paired: approving replaces its key and ends its open sessions.',
  unprotectedStorage: 'This workstation keeps its secrets without the system’s protection (basic_text).',
  approve: 'Approve',
  reject: 'Reject',
  loggedInAs: (name) => `Logged in as ${name}`,
  logOut: 'Log out',
  approvedHeading: 'Approved',
  approvedText: (label) => `Approved: ${label} can now be used.`,
  rejectedHeading: 'Rejected',
  rejectedText: (label) => `Rejected: ${label} will not be paired.`,
  closePage: 'You can close this page.',
  codeInvalidHeading: 'This code is no longer valid',
  codeInvalidText: 'It has expired, was replaced by a newer one, or was already used. Scan the QR code or type the code the workstation shows now.',
  badFormHeading: 'Something in the form is not right',
  fieldHints: {
    code: 'The pairing code must be the 8 characters the workstation shows, like ACDE-FGHJ: scan its QR code again.',
    username: 'The username must be 2 to 64 letters, digits, dots, dashes or underscores.',
    password: 'Type your password.',
    otp: 'Type the 6 digits your authenticator app shows, or one of your recovery codes.',
    decision: 'Choose Approve or Reject.',
    csrf: 'Open the page again and use its own buttons.',
    form: 'Open this page from the workstation’s QR code and use its own form.',
  },
  csrfHeading: 'This form has expired',
  csrfText: 'It was replaced by a newer page, or it did not come from this page. Nothing was changed: open the page again and decide there.',
  originHeading: 'Refused',
  originText: 'This form was sent from another site. Nothing was changed.',
  rateLimitedHeading: 'Too many attempts',
  rateLimitedText: 'Too many attempts from this address: wait a minute and try again.',
  errorHeading: 'Something went wrong',
  errorText: 'The server could not finish this request; the error has been logged. Open the page again in a moment.',
  loggedOutHeading: 'Logged out',
  loggedOutText: 'You are logged out of this page.',
  openAgain: 'Open the pairing page again',
};

const ITALIAN: PageStrings = {
  pageTitle: 'Approva una postazione',
  loginIntro: 'Accedi come amministratore per vedere la postazione che chiede di essere associata.',
  pairingCode: 'Codice di associazione',
  username: 'Nome utente',
  password: 'Password',
  secondFactor: 'Codice a 6 cifre o codice di recupero',
  secondFactorHint: 'Il codice che la tua app di autenticazione mostra ora.',
  logIn: 'Accedi',
  loginFailed: 'Nome utente, password o codice non corretti.',
  loginLocked: 'Troppi tentativi falliti: questo account è bloccato. Chiedi a un altro amministratore di sbloccarlo.',
  loginThrottled: (seconds) =>
    `Troppi tentativi falliti per questo nome utente o da questo indirizzo: attendi ${seconds === 1 ? '1 secondo' : `${seconds} secondi`} e riprova.`,
  loginBusy: 'Il server è occupato con altri accessi: riprova tra qualche secondo.',
  sessionEnded: 'L’accesso a questa pagina è scaduto: accedi di nuovo.',
  pairingHeading: 'Postazione che chiede di essere associata',
  label: 'Nome',
  hostname: 'Nome host',
  os: 'Sistema operativo',
  appVersion: 'Versione dell’app',
  secretStorage: 'Archivio dei segreti',
  asked: 'Richiesta',
  fingerprint: 'Impronta della chiave',
  fingerprintHint: 'Confrontala con l’impronta sullo schermo della postazione. Approva solo se ogni gruppo coincide.',
  replacesKey: 'Questa postazione è già associata: approvando ne sostituisci la chiave e chiudi le sue sessioni aperte.',
  unprotectedStorage: 'Questa postazione conserva i segreti senza la protezione del sistema (basic_text).',
  approve: 'Approva',
  reject: 'Rifiuta',
  loggedInAs: (name) => `Accesso come ${name}`,
  logOut: 'Esci',
  approvedHeading: 'Approvata',
  approvedText: (label) => `Approvata: ${label} ora può essere usata.`,
  rejectedHeading: 'Rifiutata',
  rejectedText: (label) => `Rifiutata: ${label} non sarà associata.`,
  closePage: 'Puoi chiudere questa pagina.',
  codeInvalidHeading: 'Questo codice non è più valido',
  codeInvalidText:
    'È scaduto, è stato sostituito da uno più recente o è già stato usato. Scansiona il codice QR o digita il codice che la postazione mostra ora.',
  badFormHeading: 'Qualcosa nel modulo non va',
  fieldHints: {
    code: 'Il codice di associazione deve essere quello di 8 caratteri mostrato dalla postazione, come ACDE-FGHJ: scansiona di nuovo il suo codice QR.',
    username: 'Il nome utente deve avere da 2 a 64 lettere, cifre, punti, trattini o trattini bassi.',
    password: 'Digita la tua password.',
    otp: 'Digita le 6 cifre che mostra la tua app di autenticazione, o uno dei tuoi codici di recupero.',
    decision: 'Scegli Approva o Rifiuta.',
    csrf: 'Riapri la pagina e usa i suoi pulsanti.',
    form: 'Apri questa pagina dal codice QR della postazione e usa il suo modulo.',
  },
  csrfHeading: 'Questo modulo è scaduto',
  csrfText: 'È stato sostituito da una pagina più recente, o non viene da questa pagina. Non è cambiato nulla: riapri la pagina e decidi lì.',
  originHeading: 'Rifiutato',
  originText: 'Questo modulo è stato inviato da un altro sito. Non è cambiato nulla.',
  rateLimitedHeading: 'Troppi tentativi',
  rateLimitedText: 'Troppi tentativi da questo indirizzo: attendi un minuto e riprova.',
  errorHeading: 'Qualcosa è andato storto',
  errorText: 'Il server non è riuscito a completare la richiesta; l’errore è stato registrato. Riapri la pagina tra poco.',
  loggedOutHeading: 'Disconnesso',
  loggedOutText: 'Sei uscito da questa pagina.',
  openAgain: 'Riapri la pagina di associazione',
};

export const STRINGS: Readonly<Record<Language, PageStrings>> = { en: ENGLISH, it: ITALIAN };

/** The listed language the header prefers most (by q-value, then order); English when none is listed. */
export function pickLanguage(acceptLanguage: string | undefined): Language {
  let best: { language: Language; q: number } = { language: 'en', q: 0 };
  for (const item of (acceptLanguage ?? '').split(',').slice(0, 20)) {
    const [range = '', ...parameters] = item.trim().toLowerCase().split(';');
    const primary = range.split('-')[0] ?? '';
    const language = LANGUAGES.find((candidate) => candidate === primary);
    if (language === undefined) continue;
    const qParameter = parameters.map((parameter) => parameter.trim()).find((parameter) => parameter.startsWith('q='));
    const q = qParameter === undefined ? 1 : Number(qParameter.slice(2));
    if (Number.isFinite(q) && q > best.q) best = { language, q };
  }
  return best.language;
}
