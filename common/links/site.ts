/**
 * The site a host belongs to: its registrable domain (tldts, with the Public Suffix List's
 * private part, so `someone.github.io` is not `github.io`), or the host itself when it has none
 * (an IP address, `localhost`, an intranet name).
 */
import { getDomain } from 'tldts';

export function siteOf(hostname: string): string {
  return getDomain(hostname, { allowPrivateDomains: true }) ?? hostname;
}
