/** The words of the link dialog's warnings (common/links/policy-links.ts flags), in English and Italian. */
import type { InboundLinkFlag } from '../../common/links/link-policy.js';

export interface LinkWarningText {
  /** The host the link goes to, as a person reads it and as it really is written (punycode). */
  readonly linkHost: (unicode: string, ascii: string) => string;
  readonly linkWarningsHeading: string;
  readonly linkFlags: Readonly<Record<InboundLinkFlag, string>>;
}

export const ENGLISH_LINK_WARNINGS: LinkWarningText = {
  linkHost: (unicode, ascii) => `Site: ${unicode}\nWritten as: ${ascii}`,
  linkWarningsHeading: 'Be careful, this link:',
  linkFlags: {
    not_a_web_address: 'is not a web address',
    not_https: 'is not secure (not https)',
    ip_address: 'goes to a bare IP address, not a named site',
    punycode: 'has an address written in another alphabet (a possible look-alike)',
    mixed_scripts: 'has an address that mixes alphabets (a possible look-alike)',
    user_info: 'has a name in front of @ that hides the real site',
    shortener: 'goes through a link shortener that hides where it leads',
    blocked: 'goes to a site on your company’s block list',
    display_text_names_another_site: 'is shown with the name of another site',
  },
};

export const ITALIAN_LINK_WARNINGS: LinkWarningText = {
  linkHost: (unicode, ascii) => `Sito: ${unicode}\nScritto come: ${ascii}`,
  linkWarningsHeading: 'Attenzione, questo link:',
  linkFlags: {
    not_a_web_address: 'non è un indirizzo web',
    not_https: 'non è sicuro (non è https)',
    ip_address: 'porta a un indirizzo IP, non a un sito con un nome',
    punycode: 'ha un indirizzo scritto in un altro alfabeto (forse imita un altro sito)',
    mixed_scripts: 'ha un indirizzo che mescola alfabeti (forse imita un altro sito)',
    user_info: 'ha un nome prima di @ che nasconde il sito vero',
    shortener: 'passa per un accorciatore di link che nasconde dove porta',
    blocked: 'porta a un sito nell’elenco dei siti bloccati della tua azienda',
    display_text_names_another_site: 'è mostrato con il nome di un altro sito',
  },
};
