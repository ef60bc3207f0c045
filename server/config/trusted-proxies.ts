/**
 * SPORTELLO_TRUSTED_PROXIES: the load balancers and reverse proxies whose X-Forwarded-For is
 * believed. Behind a proxy every client arrives from the proxy's address, so the per-address
 * throttles (pairing requests, the approval page's login) would count every client as one; the
 * forwarded address is taken only from a peer named here, never from anyone else (a client
 * could otherwise pick its own throttle bucket). Entries are what Fastify's `trustProxy` list
 * (proxy-addr) takes: an IP address, a CIDR range, or one of its names for whole ranges.
 */
import net from 'node:net';
import { z } from 'zod';

/** proxy-addr's names: 127.0.0.1/8 and ::1; 169.254.0.0/16 and fe80::/10; 10/8, 172.16/12, 192.168/16 and fc00::/7. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyEntry(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = net.isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

export const TrustedProxies = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ''),
  )
  .refine(
    (entries) => entries.every(isProxyEntry),
    'must list IP addresses or CIDR ranges separated by commas (or loopback, linklocal, uniquelocal), such as 10.0.0.5,10.1.0.0/16',
  );

/** Fastify's `trustProxy`: false (believe no forwarded address) unless proxies are named. */
export function trustProxyOption(proxies: readonly string[]): false | string[] {
  return proxies.length === 0 ? false : [...proxies];
}
