/**
 * The approval page's session cookie: its name, the Set-Cookie values, and a strict reader of the
 * Cookie header. `__Host-` (HTTPS only) pins the cookie to this exact origin and path, so a
 * neighbouring host cannot plant one; a name sent twice is read as no cookie at all rather than
 * guessing which one the browser meant.
 */

/** The approval page's session: long enough to log in and decide, short enough for a borrowed phone. */
export const PAGE_SESSION_LIFETIME_MS = 10 * 60 * 1000;

export function sessionCookieName(tls: boolean): string {
  return tls ? '__Host-sportello_pair' : 'sportello_pair';
}

function cookieAttributes(tls: boolean, maxAgeSeconds: number): string {
  return `Max-Age=${maxAgeSeconds}; Path=/; HttpOnly; SameSite=Strict${tls ? '; Secure' : ''}`;
}

export function sessionCookie(token: string, tls: boolean): string {
  return `${sessionCookieName(tls)}=${token}; ${cookieAttributes(tls, PAGE_SESSION_LIFETIME_MS / 1000)}`;
}

export function clearedSessionCookie(tls: boolean): string {
  return `${sessionCookieName(tls)}=; ${cookieAttributes(tls, 0)}`;
}

/** RFC 6265 cookie-name (a token) and cookie-value (cookie-octets, optionally quoted). */
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const COOKIE_VALUE = /^(?:"[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*"|[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*)$/;

/**
 * The value of the cookie `name` in a Cookie header; undefined when it is absent, sent more than
 * once, or not well formed. Other, malformed cookies of the same host are skipped.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  let found: string | undefined;
  let seen = 0;
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals < 0) continue;
    const pairName = pair.slice(0, equals).trim();
    if (pairName !== name || !COOKIE_NAME.test(pairName)) continue;
    seen += 1;
    const value = pair.slice(equals + 1).trim();
    found = COOKIE_VALUE.test(value) ? value.replace(/^"(.*)"$/, '$1') : undefined;
  }
  return seen === 1 ? found : undefined;
}
