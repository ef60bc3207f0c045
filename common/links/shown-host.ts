/**
 * The host a person is asked about before a link opens: the registrable domain of where it really
 * goes (common/links/site.ts), in ASCII, so a look-alike in another script shows as the punycode it is
 * (`xn--pple-43d.com`, not `аpple.com`), and never the user name in front of an `@`. An address
 * without a registrable domain (an IP address, `localhost`, an intranet name) shows its hostname.
 */
import type { OpenableLink } from './link-policy.js';
import { openableLink } from './link-policy.js';
import { siteOf } from './site.js';

export interface LinkDestination extends OpenableLink {
  readonly shownHost: string;
}

export function shownHostOf(link: Pick<OpenableLink, 'hostname' | 'port'>): string {
  const site = siteOf(link.hostname);
  return link.port === '' ? site : `${site}:${link.port}`;
}

/** The link as it will be opened and the host to ask about; throws LinkRefused when it may not be opened. */
export function linkDestination(url: string): LinkDestination {
  const link = openableLink(url);
  return { ...link, shownHost: shownHostOf(link) };
}
