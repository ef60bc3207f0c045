/**
 * The few words main shows itself, in native dialogs and notifications the renderer cannot
 * translate: English, and Italian when the system's locale is Italian.
 */
export interface DesktopText {
  readonly openLinkTitle: string;
  /** `host`: the registrable host the link really goes to (common/links/shown-host.ts). */
  readonly openLinkQuestion: (host: string) => string;
  readonly openLinkDetail: (url: string) => string;
  readonly cancel: string;
  readonly open: string;
  readonly attachTitle: string;
  /** A notification's body when the policy keeps message text off the screen. */
  readonly notificationWithoutText: string;
  readonly startFailedTitle: string;
}

const ENGLISH: DesktopText = {
  openLinkTitle: 'Open link',
  openLinkQuestion: (host) => `Open a page on ${host} in your browser?`,
  openLinkDetail: (url) => `The full address is:\n${url}\n\nOpen it only if you trust this site.`,
  cancel: 'Cancel',
  open: 'Open',
  attachTitle: 'Attach a file',
  notificationWithoutText: 'Open Sportello to read it.',
  startFailedTitle: 'Sportello could not start',
};

const ITALIAN: DesktopText = {
  openLinkTitle: 'Apri collegamento',
  openLinkQuestion: (host) => `Aprire una pagina di ${host} nel browser?`,
  openLinkDetail: (url) => `L’indirizzo completo è:\n${url}\n\nAprilo solo se ti fidi di questo sito.`,
  cancel: 'Annulla',
  open: 'Apri',
  attachTitle: 'Allega un file',
  notificationWithoutText: 'Apri Sportello per leggerlo.',
  startFailedTitle: 'Impossibile avviare Sportello',
};

/** `locale` as Electron's app.getLocale() gives it: "it", "it-IT", "en-US" … */
export function desktopTextFor(locale: string): DesktopText {
  return locale.toLowerCase().split(/[-_]/)[0] === 'it' ? ITALIAN : ENGLISH;
}
