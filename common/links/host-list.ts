/**
 * A list of hosts that links are checked against (a block list for what customers send, an allow
 * list for what agents send). An entry covers that host and every name under it: `evil.example`
 * covers `login.evil.example`, `sites.example.com` covers `a.sites.example.com` but not
 * `example.com`. Entries are host names (`Evil.Example.`, `*.evil.example` and `пример.рф` are
 * read as `evil.example` and `xn--e1afmkfd.xn--p1ai`, as the URL parser writes hosts) or web
 * addresses, of which the host counts. An entry that is a public suffix (`com`, `co.uk`,
 * `github.io`: tldts, with the Public Suffix List's private part) is refused: anyone can register
 * a name under it, so it would cover every site there.
 */
import { parse } from 'tldts';
import { CodedError } from '../errors/coded-error.js';
import { parseWebUrl } from './web-url.js';

export class HostListInvalid extends CodedError<'host_list_invalid'> {
  constructor(entry: string, why: string) {
    super('host_list_invalid', `The host list entry "${entry.slice(0, 100)}" ${why}.`, { entry: entry.slice(0, 100) });
    this.name = 'HostListInvalid';
  }
}

export interface HostList {
  /** The entries as host names, as the URL parser writes them. */
  readonly hosts: ReadonlySet<string>;
}

/** A host as the URL parser writes it, without a trailing dot. */
export function plainHostname(hostname: string): string {
  return hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
}

function entryHost(entry: string): string {
  const written = entry.trim();
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(written);
  const bare = written.startsWith('*.') ? written.slice(2) : written;
  if (!hasScheme && /[/?#@:\\\s]/.test(bare)) throw new HostListInvalid(entry, 'is neither a host name nor a web address');
  const parsed = parseWebUrl(hasScheme ? written : `https://${bare}`);
  if (parsed === undefined || parsed.hostname === '') throw new HostListInvalid(entry, 'is neither a host name nor a web address');
  const host = plainHostname(parsed.hostname);
  const { domain, isIp, isIcann, isPrivate } = parse(host, { allowPrivateDomains: true });
  if (domain === null && isIp !== true && (isIcann === true || isPrivate === true))
    throw new HostListInvalid(entry, 'is a public suffix, under which anyone can register a name: list the domain itself, such as example.com');
  return host;
}

/** The list of hosts; throws HostListInvalid naming the first entry that is not a host. */
export function hostList(entries: readonly string[]): HostList {
  return { hosts: new Set(entries.map(entryHost)) };
}

/** Whether the host is one of the hosts, or a name under one of them. */
export function isHostInList(hostname: string, hosts: ReadonlySet<string>): boolean {
  let host = plainHostname(hostname.toLowerCase());
  for (;;) {
    if (hosts.has(host)) return true;
    const dot = host.indexOf('.');
    if (dot < 0) return false;
    host = host.slice(dot + 1);
  }
}
