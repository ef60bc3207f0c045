/**
 * The few words main shows itself, in native dialogs and notifications the renderer cannot
 * translate: English, and Italian when the system's locale is Italian.
 */
import { ENGLISH_LINK_WARNINGS, ITALIAN_LINK_WARNINGS } from './link-warnings.js';
import type { LinkWarningText } from './link-warnings.js';

export interface DesktopText extends LinkWarningText {
  readonly openLinkTitle: string;
  /** `host`: the registrable host the link really goes to (common/links/shown-host.ts). */
  readonly openLinkQuestion: (host: string) => string;
  readonly openLinkDetail: (url: string) => string;
  readonly cancel: string;
  readonly open: string;
  readonly attachTitle: string;
  readonly saveTitle: string;
  /** A notification's body when the policy keeps message text off the screen. */
  readonly notificationWithoutText: string;
  /** A notification's title when a colleague's note mentions the agent, in a conversation with `customer`. */
  readonly mentionedYou: (author: string, customer: string) => string;
  /** A notification's title when a colleague hands the agent a conversation (to them, or to their team's queue: `team`). */
  readonly handedOver: (from: string, customer: string, team: string | null) => string;
  /** A notification's title when the agent's reminder of a conversation with `customer` comes due. */
  readonly reminderDue: (customer: string) => string;
  /** Its body: what the reminder was for (a reminder carries no text of its own). */
  readonly reminderDueBody: string;
  readonly startFailedTitle: string;
  /** Start refused: the OS secret store that sealed this workstation's secrets is not the one in use, or does not answer. */
  readonly secretStoreTitle: string;
  readonly secretStoreChanged: (sealedBy: string, current: string) => string;
  readonly secretStoreUnavailable: (sealedBy: string) => string;
  readonly secretStoreDetail: string;
  readonly quit: string;
}

/** A safeStorage backend as a person knows it, with Electron's name for IT. */
function storeName(backend: string, words: { gnome: string; none: string; keychain: string; dpapi: string }): string {
  if (backend.startsWith('kwallet')) return `KDE Wallet (${backend})`;
  if (backend === 'gnome_libsecret') return `${words.gnome} (gnome_libsecret)`;
  if (backend === 'basic_text') return `${words.none} (basic_text)`;
  if (backend === 'keychain') return words.keychain;
  if (backend === 'dpapi') return words.dpapi;
  return backend;
}

const ENGLISH_STORES = {
  gnome: 'the GNOME keyring or another Secret Service',
  none: 'no keyring, only Chromium’s fixed password',
  keychain: 'the macOS Keychain',
  dpapi: 'Windows DPAPI',
};
const ITALIAN_STORES = {
  gnome: 'il portachiavi di GNOME o un altro Secret Service',
  none: 'nessun portachiavi, solo la password fissa di Chromium',
  keychain: 'il Portachiavi di macOS',
  dpapi: 'DPAPI di Windows',
};

const ENGLISH: DesktopText = {
  ...ENGLISH_LINK_WARNINGS,
  openLinkTitle: 'Open link',
  openLinkQuestion: (host) => `Open a page on ${host} in your browser?`,
  openLinkDetail: (url) => `The full address is:\n${url}\n\nOpen it only if you trust this site.`,
  cancel: 'Cancel',
  open: 'Open',
  attachTitle: 'Attach a file',
  saveTitle: 'Save the file',
  notificationWithoutText: 'Open Sportello to read it.',
  mentionedYou: (author, customer) => `${author} mentioned you in a note · ${customer}`,
  handedOver: (from, customer, team) =>
    team === null ? `${from} transferred a conversation to you · ${customer}` : `${from} transferred a conversation to ${team} · ${customer}`,
  reminderDue: (customer) => `Reminder · ${customer}`,
  reminderDueBody: 'You asked to be reminded of this conversation now.',
  startFailedTitle: 'Sportello could not start',
  secretStoreTitle: 'Sportello cannot open this workstation’s keys',
  secretStoreChanged: (sealedBy, current) =>
    `This workstation’s keys are sealed with ${storeName(sealedBy, ENGLISH_STORES)}, but this desktop session gives Sportello ${storeName(current, ENGLISH_STORES)}.`,
  secretStoreUnavailable: (sealedBy) =>
    `This workstation’s keys are sealed with ${storeName(sealedBy, ENGLISH_STORES)}, which does not answer in this desktop session (it is not running, or it is locked).`,
  secretStoreDetail:
    'Sportello does not open them with another store or seal new keys there, and it has erased nothing. Sign in to a desktop session where that store runs and is unlocked, then start Sportello again. If this computer now uses another desktop for good, ask IT to pair it again.',
  quit: 'Quit',
};

const ITALIAN: DesktopText = {
  ...ITALIAN_LINK_WARNINGS,
  openLinkTitle: 'Apri collegamento',
  openLinkQuestion: (host) => `Aprire una pagina di ${host} nel browser?`,
  openLinkDetail: (url) => `L’indirizzo completo è:\n${url}\n\nAprilo solo se ti fidi di questo sito.`,
  cancel: 'Annulla',
  open: 'Apri',
  attachTitle: 'Allega un file',
  saveTitle: 'Salva il file',
  notificationWithoutText: 'Apri Sportello per leggerlo.',
  mentionedYou: (author, customer) => `${author} ti ha menzionato in una nota · ${customer}`,
  handedOver: (from, customer, team) =>
    team === null ? `${from} ti ha trasferito una conversazione · ${customer}` : `${from} ha trasferito una conversazione a ${team} · ${customer}`,
  reminderDue: (customer) => `Promemoria · ${customer}`,
  reminderDueBody: 'Avevi chiesto di ricordarti di questa conversazione adesso.',
  startFailedTitle: 'Impossibile avviare Sportello',
  secretStoreTitle: 'Sportello non può aprire le chiavi di questa postazione',
  secretStoreChanged: (sealedBy, current) =>
    `Le chiavi di questa postazione sono sigillate con ${storeName(sealedBy, ITALIAN_STORES)}, ma questa sessione del desktop dà a Sportello ${storeName(current, ITALIAN_STORES)}.`,
  secretStoreUnavailable: (sealedBy) =>
    `Le chiavi di questa postazione sono sigillate con ${storeName(sealedBy, ITALIAN_STORES)}, che in questa sessione del desktop non risponde (non è avviato, oppure è bloccato).`,
  secretStoreDetail:
    'Sportello non le apre con un altro archivio né vi sigilla chiavi nuove, e non ha cancellato nulla. Accedi a una sessione del desktop in cui quell’archivio è avviato e sbloccato, poi avvia di nuovo Sportello. Se ora questo computer usa stabilmente un altro desktop, chiedi all’IT di associarlo di nuovo.',
  quit: 'Esci',
};

/** `locale` as Electron's app.getLocale() gives it: "it", "it-IT", "en-US" … */
export function desktopTextFor(locale: string): DesktopText {
  return locale.toLowerCase().split(/[-_]/)[0] === 'it' ? ITALIAN : ENGLISH;
}
