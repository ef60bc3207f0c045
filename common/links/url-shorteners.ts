/**
 * Link shorteners: a short address that sends the browser on to one nobody can see before it
 * opens, which is why phishing messages use them. The services' own domains, matched with every
 * name under them (`www.bit.ly`). Not here: a brand's own short domain that only ever leads to
 * that brand (`youtu.be`, `amzn.to`, `wa.me`), which hides nothing the brand does not own.
 */
import { isHostInList } from './host-list.js';

export const URL_SHORTENERS: readonly string[] = [
  ...['bit.ly', 'bitly.com', 'bit.do', 'tinyurl.com', 't.co', 'goo.gl', 'ow.ly', 'is.gd', 'v.gd', 'buff.ly', 'cutt.ly', 'rebrand.ly'],
  ...['shorturl.at', 'shorturl.com', 't.ly', 'tiny.cc', 'tiny.one', 'rb.gy', 's.id', 'shorte.st', 'adf.ly', 'bl.ink', 'lnkd.in', 'soo.gd'],
  ...['clck.ru', 'tr.im', 'x.co', 'po.st', 'su.pr', 'db.tt', 'u.to', 'qrco.de', 'short.gy', 'urlz.fr', 'tinu.be', 'shrtco.de', 'surl.li'],
  ...['gg.gg', 'cli.gs', 'tiny.pl', 'kutt.it', 'snip.ly', 'n9.cl', 'ouo.io', 'zpr.io', '1url.com'],
];

const SHORTENERS = new Set(URL_SHORTENERS);

export function isShortenerHost(hostname: string): boolean {
  return isHostInList(hostname, SHORTENERS);
}
