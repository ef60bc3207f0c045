/**
 * The one rule for opening a link, used by the renderer (which makes a button of a link only if it
 * passes) and by main's openLink (which checks again before it asks): a web address with the
 * https scheme and a host. The address opened is the parsed one, without any user name or
 * password, which only serve to make `https://bank.example@evil.example` look like the bank.
 *
 * On that rule stand the judgements of links in messages. A link a customer sends is flagged, for
 * the agent to see before opening it, for each thing about it that deceives: not https (so it
 * does not open), an IP address for a host, a punycode host or a label mixing scripts (a
 * look-alike), a user name in front of the host, a link shortener (common/links/url-shorteners.ts),
 * a host on the block list, a display text that names another site than the one it goes to. A
 * link an agent sends must open (https) and, when there is an allow list, go to a host on it.
 * Lists of hosts: common/links/host-list.ts.
 */
import { CodedError } from '../errors/coded-error.js';
import type { FoundLink } from './find-links.js';
import type { HostList } from './host-list.js';
import { isHostInList, plainHostname } from './host-list.js';
import { isIpAddressHost, hostMixesScripts } from './host-traits.js';
import { hasPunycodeLabel } from './punycode.js';
import { siteOf } from './site.js';
import { isShortenerHost } from './url-shorteners.js';
import { parseWebUrl } from './web-url.js';
import { findWrittenLinks, hostsNamedIn } from './written-links.js';

export const LINK_SCHEME = 'https:';

export type LinkRefusalCode = 'link_invalid' | 'link_not_allowed';

export class LinkRefused extends CodedError<LinkRefusalCode> {
  constructor(code: LinkRefusalCode, message: string) {
    super(code, message);
    this.name = 'LinkRefused';
  }
}

export interface OpenableLink {
  /** What the browser is given: parsed, ASCII host, no user name or password. */
  readonly href: string;
  /** Where it goes: the ASCII (punycode) hostname, and the port when it has one. */
  readonly host: string;
  readonly hostname: string;
  readonly port: string;
}

/** The link as it will be opened; throws LinkRefused when it may not be. */
export function openableLink(url: string): OpenableLink {
  const parsed = parseWebUrl(url);
  if (parsed === undefined || parsed.hostname === '') throw new LinkRefused('link_invalid', 'This is not a web address.');
  if (parsed.protocol !== LINK_SCHEME) throw new LinkRefused('link_not_allowed', 'Only secure (https) links can be opened.');
  parsed.username = '';
  parsed.password = '';
  return { href: parsed.href, host: parsed.host, hostname: parsed.hostname, port: parsed.port };
}

export function isOpenableLink(url: string): boolean {
  try {
    openableLink(url);
    return true;
  } catch {
    return false;
  }
}

export type InboundLinkFlag =
  'not_a_web_address' | 'not_https' | 'ip_address' | 'punycode' | 'mixed_scripts' | 'user_info' | 'shortener' | 'blocked' | 'display_text_names_another_site';

export interface InboundLinkContext {
  /** The text shown for the link where the message has one (a button's, a preview's title). */
  readonly displayText?: string;
  readonly blockList?: HostList;
}

/** What is suspicious about a link a customer sent, each flag once, in the order of InboundLinkFlag; empty when nothing is. */
export function judgeInboundLink(url: string, context: InboundLinkContext = {}): InboundLinkFlag[] {
  const parsed = parseWebUrl(url);
  if (parsed === undefined || parsed.hostname === '') return ['not_a_web_address'];
  const host = plainHostname(parsed.hostname);
  const flags: InboundLinkFlag[] = [];
  if (!isOpenableLink(url)) flags.push('not_https');
  if (isIpAddressHost(host)) flags.push('ip_address');
  if (hasPunycodeLabel(host)) flags.push('punycode');
  if (hostMixesScripts(host)) flags.push('mixed_scripts');
  if (parsed.username !== '' || parsed.password !== '') flags.push('user_info');
  if (isShortenerHost(host)) flags.push('shortener');
  if (context.blockList !== undefined && isHostInList(host, context.blockList.hosts)) flags.push('blocked');
  const { displayText } = context;
  if (displayText !== undefined && hostsNamedIn(displayText).some((named) => siteOf(plainHostname(named)) !== siteOf(host)))
    flags.push('display_text_names_another_site');
  return flags;
}

export type OutboundLinkFlag = 'not_a_web_address' | 'not_https' | 'host_not_allowed';

/** Why an agent may not send the link, each flag once; empty when they may. */
export function judgeOutboundLink(url: string, allowList?: HostList): OutboundLinkFlag[] {
  const parsed = parseWebUrl(url);
  if (parsed === undefined || parsed.hostname === '') return ['not_a_web_address'];
  const flags: OutboundLinkFlag[] = [];
  if (!isOpenableLink(url)) flags.push('not_https');
  if (allowList !== undefined && !isHostInList(parsed.hostname, allowList.hosts)) flags.push('host_not_allowed');
  return flags;
}

export interface JudgedLink<Flag extends string> {
  readonly link: FoundLink;
  readonly flags: readonly Flag[];
}

/** Every link a customer's text holds (common/links/written-links.ts) with what is suspicious about it; those with nothing left out. */
export function judgeInboundText(text: string, blockList?: HostList): JudgedLink<InboundLinkFlag>[] {
  return findWrittenLinks(text)
    .map((link) => ({ link, flags: judgeInboundLink(link.url, blockList === undefined ? {} : { blockList }) }))
    .filter((judged) => judged.flags.length > 0);
}

/** Every link an agent's text holds, with or without a scheme, that they may not send, and why. */
export function judgeOutboundText(text: string, allowList?: HostList): JudgedLink<OutboundLinkFlag>[] {
  return findWrittenLinks(text)
    .map((link) => ({ link, flags: judgeOutboundLink(link.url, allowList) }))
    .filter((judged) => judged.flags.length > 0);
}
