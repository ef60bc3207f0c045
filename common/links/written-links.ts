/**
 * Every link a reader would take for one, whatever its scheme, written out or not: what WhatsApp
 * makes clickable on the customer's phone includes `www.bank.example` and `bank.example/login`
 * with no scheme at all (linkify-it's fuzzy links: a name under a known top-level domain), so
 * that is what an agent's outgoing text is judged by and what a customer's is warned about.
 * A link without a scheme gets linkify-it's `http://`, as a browser would open it; a link finder
 * that shows links (common/links/find-links.ts) keeps to those written with https.
 */
import { LinkifyIt } from 'linkify-it';
import type { FoundLink } from './find-links.js';
import { parseWebUrl } from './web-url.js';

const linkify = new LinkifyIt({ fuzzyLink: true, fuzzyEmail: false, fuzzyIP: true, urlAuth: true });

/** The links in the text as a reader sees them; `url` is the address a browser would open. */
export function findWrittenLinks(text: string): FoundLink[] {
  return (linkify.match(text) ?? []).map((match) => ({ start: match.index, end: match.lastIndex, text: match.raw, url: match.url }));
}

/** The hosts the text names (`Your bank: www.bank.example`), in ASCII as the URL parser writes them. */
export function hostsNamedIn(text: string): string[] {
  return findWrittenLinks(text).flatMap((link) => {
    const hostname = parseWebUrl(link.url)?.hostname;
    return hostname === undefined || hostname === '' ? [] : [hostname];
  });
}
