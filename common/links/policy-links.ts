/**
 * The links rule as the safety policy sets it (common/safety/safety-policy.ts `links`), one place
 * for the renderer (which marks links and makes buttons of the ones that may open) and main's
 * openLink (which refuses or warns before it asks): the same judgement of the same link with the
 * same policy. A customer's link on the block list, or through a shortener when the policy says
 * `refuse`, is refused: never a button, never opened. Any other flag is a warning the agent sees
 * on the link and again in the dialog before it opens.
 */
import type { SafetyPolicy } from '../safety/safety-policy.js';
import { findWrittenLinks } from './written-links.js';
import { hostList } from './host-list.js';
import type { HostList } from './host-list.js';
import { isOpenableLink, judgeInboundLink, openableLink } from './link-policy.js';
import type { InboundLinkFlag } from './link-policy.js';

type LinkPolicy = SafetyPolicy['links'];

export interface InboundVerdict {
  readonly flags: readonly InboundLinkFlag[];
  /** Never opened: a blocked host, or a shortener when the policy refuses them. */
  readonly refused: boolean;
}

const lists = new WeakMap<readonly string[], HostList>();

/** The policy's list, read once per list (the policy was checked when it was kept: its entries are hosts). */
export function policyHostList(entries: readonly string[]): HostList {
  let list = lists.get(entries);
  if (list === undefined) {
    list = hostList(entries);
    lists.set(entries, list);
  }
  return list;
}

export function judgeInboundWithPolicy(url: string, policy: LinkPolicy, displayText?: string): InboundVerdict {
  const flags = judgeInboundLink(url, { blockList: policyHostList(policy.blockedHosts), ...(displayText === undefined ? {} : { displayText }) });
  const refused = flags.includes('blocked') || (policy.shorteners === 'refuse' && flags.includes('shortener'));
  return { flags, refused };
}

/** A run of a customer's text: plain, or a link with its judgement and, when it may open, the address to ask main about. */
export interface MarkedPiece {
  readonly text: string;
  /** The link as found (the address main judges again); null for plain text. */
  readonly link: string | null;
  /** Whether it is offered as a button: https, and not refused. */
  readonly opens: boolean;
  readonly verdict: InboundVerdict;
}

const NOTHING: InboundVerdict = { flags: [], refused: false };
const WRITTEN_WITH_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * The text cut at the web links a customer wrote with a scheme (a bare `invoice.pdf` and a
 * `mailto:` stay text, as in common/links/find-links.ts): those that open (https) and those that
 * do not, each judged.
 */
export function markInboundText(text: string, policy: LinkPolicy): MarkedPiece[] {
  const pieces: MarkedPiece[] = [];
  let last = 0;
  for (const found of findWrittenLinks(text)) {
    if (!WRITTEN_WITH_SCHEME.test(found.text) || found.start < last) continue;
    const verdict = judgeInboundWithPolicy(found.url, policy);
    // mailto: and the like go to no site: they stay text, as they always were.
    if (verdict.flags.includes('not_a_web_address')) continue;
    if (found.start > last) pieces.push({ text: text.slice(last, found.start), link: null, opens: false, verdict: NOTHING });
    pieces.push({ text: found.text, link: found.url, opens: isOpenableLink(found.url) && !verdict.refused, verdict });
    last = found.end;
  }
  if (last < text.length) pieces.push({ text: text.slice(last), link: null, opens: false, verdict: NOTHING });
  return pieces;
}

/** The address the browser is given for a link that opens. */
export function openedAddress(link: string): string {
  return openableLink(link).href;
}
