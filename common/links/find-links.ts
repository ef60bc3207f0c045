/**
 * Finding links in a customer's text: linkify-it finds what a person would read as a link
 * (trailing punctuation left to the sentence, parentheses kept when they are the link's), with a
 * scheme written out only: a bare `readme.md` or `invoice.pdf` is a file name, not a site. Of what
 * it finds, only links that pass the one rule (link-policy.ts) become links; any other (`http:`,
 * `ftp:`, `mailto:`) stays text, so nothing is offered that main would refuse to open.
 */
import { LinkifyIt } from 'linkify-it';
import { isOpenableLink, openableLink } from './link-policy.js';

export interface FoundLink {
  /** Where the link's text starts and ends in the text (UTF-16 offsets, end exclusive). */
  readonly start: number;
  readonly end: number;
  /** The link as the customer wrote it. */
  readonly text: string;
  /** The address to open (link-policy's href). */
  readonly url: string;
}

/** A run of the text, and the address to open when the run is a link. */
export interface TextPiece {
  readonly text: string;
  readonly url: string | null;
}

// Every scheme linkify-it knows stays recognised, so that `http://a.example` is found whole (and
// left as text) rather than leaving a piece of it to be taken for something else.
const linkify = new LinkifyIt({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false, urlAuth: true });

export function findLinks(text: string): FoundLink[] {
  return (linkify.match(text) ?? [])
    .filter((match) => isOpenableLink(match.url))
    .map((match) => ({ start: match.index, end: match.lastIndex, text: match.raw, url: openableLink(match.url).href }));
}

export function splitAtLinks(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let last = 0;
  for (const link of findLinks(text)) {
    if (link.start > last) pieces.push({ text: text.slice(last, link.start), url: null });
    pieces.push({ text: link.text, url: link.url });
    last = link.end;
  }
  if (last < text.length) pieces.push({ text: text.slice(last), url: null });
  return pieces;
}
