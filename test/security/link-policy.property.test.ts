/**
 * common/links is the one place the link rules live: finding links in a customer's text, the one
 * scheme a link may have (https), and the host a person is asked about before it opens. Whatever
 * the text, every link found is one main's openLink opens; whatever the address, the host shown
 * is where the browser really goes: its registrable domain, in ASCII (punycode for a look-alike in
 * another script), never the user name written before an `@`, never a brand written on the left.
 */
import fc from 'fast-check';
import { getPublicSuffix } from 'tldts';
import { describe, expect, it } from 'vitest';
import { findLinks, splitAtLinks } from '../../common/links/find-links.js';
import { isOpenableLink, LINK_SCHEME, openableLink } from '../../common/links/link-policy.js';
import { linkDestination } from '../../common/links/shown-host.js';

const RUNS = { numRuns: 400 };

const asciiLabel = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
/** Latin letters and their look-alikes from Cyrillic and Greek; at least one that is not ASCII. */
const lookAlikeLabel = fc
  .array(fc.constantFrom('a', 'p', 'l', 'e', 'o', 'c', 'x', 'а', 'р', 'е', 'о', 'с', 'х', 'ο', 'ѕ'), { minLength: 2, maxLength: 10 })
  .map((letters) => letters.join(''))
  .filter((label) => [...label].some((char) => char.charCodeAt(0) > 0x7f));
const suffix = fc.constantFrom('com', 'it', 'example', 'co.uk', 'org', 'eu', 'xn--p1ai');
/**
 * A name one can register under a suffix: not itself a suffix someone else sells names under
 * (`de.com`, `uk.com` are on the Public Suffix List's private part: `a.de.com` is the site there).
 */
const registrable = fc
  .tuple(asciiLabel, suffix)
  .map(([label, tld]) => `${label}.${tld}`)
  .filter((name) => getPublicSuffix(name, { allowPrivateDomains: true }) !== name);
const subdomains = fc.array(fc.oneof(asciiLabel, fc.constantFrom('bank', 'com', 'login', 'paypal', 'it', 'www')), { maxLength: 4 });
const host = fc.tuple(subdomains, registrable).map(([labels, domain]) => [...labels, domain].join('.'));
const path = fc.stringMatching(/^(\/[a-zA-Z0-9._~%-]{0,10}){0,3}(\?[a-z]{1,5}=[a-z0-9]{0,6})?$/);
/** A path as sites write them (no doubled punctuation), ending in a letter, a digit or a slash: what follows is the sentence's. */
const endedPath = fc.stringMatching(/^(\/([a-zA-Z0-9]{1,4}([._~-][a-zA-Z0-9]{1,4}){0,2})?){0,3}(\?[a-z]{1,5}=[a-z0-9]{1,6})?$/);
const userinfo = fc.oneof(host, fc.stringMatching(/^[a-zA-Z0-9._~-]{1,16}(:[a-zA-Z0-9._~-]{0,12})?$/));
const scheme = fc.constantFrom('https://', 'HTTPS://', 'http://', 'ftp://', 'file://', '//', 'https:', 'mailto:', 'javascript:', 'wss://', 'data:');

/** Text as customers write it: words, punctuation, emoji, and links of every scheme in between. */
const messageText = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.constantFrom(' ', ' ', '\n', '.', ',', '!', '?', '(', ')', '"', '«', '»', '@', '…', '👍'),
      fc
        .tuple(
          scheme,
          fc.option(
            fc.tuple(userinfo, fc.constant('@')).map((parts) => parts.join('')),
            { nil: '' },
          ),
          host,
          path,
        )
        .map((parts) => parts.join('')),
      fc.tuple(scheme, lookAlikeLabel, fc.constant('.'), suffix, path).map((parts) => parts.join('')),
    ),
    { maxLength: 16 },
  )
  .map((pieces) => pieces.join(''));

function ascii(text: string): boolean {
  return /^[\x21-\x7e]+$/.test(text);
}

describe('finding links in text', () => {
  it('finds only links main opens, each exactly where it is written', () => {
    fc.assert(
      fc.property(messageText, (text) => {
        for (const link of findLinks(text)) {
          expect(text.slice(link.start, link.end)).toBe(link.text);
          expect(isOpenableLink(link.url)).toBe(true);
          // What main's openLink and the shell go on: the same address, and a host to ask about.
          expect(openableLink(link.url).href).toBe(link.url);
          expect(linkDestination(link.url).href).toBe(link.url);
        }
      }),
      RUNS,
    );
  });

  it('splits the text into runs that put it back together, links among them', () => {
    fc.assert(
      fc.property(messageText, (text) => {
        const pieces = splitAtLinks(text);
        expect(pieces.map((piece) => piece.text).join('')).toBe(text);
        expect(pieces.filter((piece) => piece.url !== null).map((piece) => piece.url)).toEqual(findLinks(text).map((link) => link.url));
      }),
      RUNS,
    );
  });

  it('finds an https link between words, and no other scheme', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-zA-Zàèéìòù]{1,8}$/), { maxLength: 4 }),
        host,
        endedPath,
        fc.constantFrom('', '.', ',', '!', '?'),
        (words, where, rest, punctuation) => {
          const url = `https://${where}${rest}`;
          const text = [...words, `${url}${punctuation}`, ...words].join(' ');
          expect(findLinks(text).map((link) => link.text)).toEqual([url]);
          for (const other of ['http://', 'ftp://', '//', 'file://']) expect(findLinks(text.replace('https://', other))).toEqual([]);
        },
      ),
      RUNS,
    );
  });
});

describe('the one scheme rule', () => {
  it('opens an address only when the URL parser says it is https with a host, and then without user name or password', () => {
    const anyAddress = fc.oneof(
      fc.webUrl({
        validSchemes: ['https', 'http', 'ftp', 'file', 'wss'],
        withQueryParameters: true,
        withFragments: true,
        authoritySettings: { withUserInfo: true, withPort: true, withIPv4: true, withIPv6: true },
      }),
      fc.tuple(scheme, fc.string({ maxLength: 30 })).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(anyAddress, (address) => {
        let parsed: URL | undefined;
        try {
          parsed = new URL(address);
        } catch {
          parsed = undefined;
        }
        const allowed = parsed !== undefined && parsed.protocol === LINK_SCHEME && parsed.hostname !== '';
        expect(isOpenableLink(address)).toBe(allowed);
        if (!allowed) {
          expect(() => openableLink(address)).toThrow(
            expect.objectContaining({ code: parsed === undefined || parsed.hostname === '' ? 'link_invalid' : 'link_not_allowed' }),
          );
          return;
        }
        const link = openableLink(address);
        const opened = new URL(link.href);
        expect(opened.protocol).toBe('https:');
        expect([opened.username, opened.password]).toEqual(['', '']);
        expect(opened.host).toBe(link.host);
        expect(openableLink(link.href)).toEqual(link);
      }),
      RUNS,
    );
  });
});

describe('the host a person is shown', () => {
  it('is the registrable domain the browser goes to, a dot-suffix of the real host', () => {
    fc.assert(
      fc.property(
        fc.webUrl({ validSchemes: ['https'], withQueryParameters: true, authoritySettings: { withUserInfo: true, withPort: true, withIPv4: true } }),
        (address) => {
          const { hostname, port } = new URL(address);
          const { shownHost } = linkDestination(address);
          const shownName = port === '' ? shownHost : shownHost.slice(0, -(port.length + 1));
          expect(hostname === shownName || hostname.endsWith(`.${shownName}`)).toBe(true);
          if (port !== '') expect(shownHost.endsWith(`:${port}`)).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('never shows the user name written before an @', () => {
    fc.assert(
      fc.property(userinfo, host, path, (user, where, rest) => {
        const deceiving = linkDestination(`https://${user}@${where}${rest}`);
        const plain = linkDestination(`https://${where}${rest}`);
        expect(deceiving.shownHost).toBe(plain.shownHost);
        expect(deceiving.href).toBe(plain.href);
      }),
      RUNS,
    );
  });

  it('is the registrable domain on the right, whatever brand the labels on the left spell', () => {
    fc.assert(
      fc.property(subdomains, registrable, path, (labels, domain, rest) => {
        expect(linkDestination(`https://${[...labels, domain].join('.')}${rest}`).shownHost).toBe(domain);
      }),
      RUNS,
    );
  });

  it('shows a look-alike in another script as punycode', () => {
    fc.assert(
      fc.property(subdomains, lookAlikeLabel, suffix, (labels, lookAlike, tld) => {
        const { shownHost } = linkDestination(`https://${[...labels, `${lookAlike}.${tld}`].join('.')}/login`);
        expect(ascii(shownHost)).toBe(true);
        expect(shownHost.startsWith('xn--')).toBe(true);
      }),
      RUNS,
    );
  });

  it('on the addresses people are fooled by', () => {
    expect(linkDestination('https://bank.com@evil.example/login').shownHost).toBe('evil.example');
    expect(linkDestination('https://bank.com@evil.example/login').href).toBe('https://evil.example/login');
    expect(linkDestination('https://аpple.com/login').shownHost).toBe('xn--pple-43d.com');
    expect(linkDestination('https://www.bank.com.evil.example/').shownHost).toBe('evil.example');
    // de.com is a suffix sold under: the site is the name registered under it.
    expect(linkDestination('https://a.de.com/').shownHost).toBe('a.de.com');
    expect(linkDestination('https://example.com\\@bank.com/').shownHost).toBe('example.com');
    expect(linkDestination('https://someone.github.io/pay').shownHost).toBe('someone.github.io');
    expect(linkDestination('https://maps.google.com/?cid=1').shownHost).toBe('google.com');
    expect(linkDestination('https://192.168.1.10:8443/').shownHost).toBe('192.168.1.10:8443');
    expect(() => linkDestination('http://bank.com/')).toThrow(expect.objectContaining({ code: 'link_not_allowed' }));
    expect(() => linkDestination('not a link')).toThrow(expect.objectContaining({ code: 'link_invalid' }));
  });
});
