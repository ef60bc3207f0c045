/**
 * The one rule for opening a link, used by the renderer (which makes a button of a link only if it
 * passes) and by main's openLink (which checks again before it asks): a web address with the
 * https scheme and a host. The address opened is the parsed one, without any user name or
 * password, which only serve to make `https://bank.example@evil.example` look like the bank.
 */
import { CodedError } from '../errors/coded-error.js';
import { parseWebUrl } from './web-url.js';

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
