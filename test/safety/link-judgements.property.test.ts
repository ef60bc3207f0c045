/**
 * Whatever its parts, a link that deceives is flagged for it: a look-alike mixing scripts, a user
 * name before the host, an IP address in any notation, a shortener, a host under a blocked one, a
 * display text naming another site; an agent's link passes an allow list exactly when its host is
 * on it or under it; and punycode reads back as Node's own reader does (common/links/).
 */
import { domainToUnicode } from 'node:url';
import fc from 'fast-check';
import { getPublicSuffix } from 'tldts';
import { describe, expect, it } from 'vitest';
import { hostList } from '../../common/links/host-list.js';
import { judgeInboundLink, judgeOutboundLink } from '../../common/links/link-policy.js';
import { hostnameToUnicode } from '../../common/links/punycode.js';
import { URL_SHORTENERS } from '../../common/links/url-shorteners.js';

const RUNS = { numRuns: 300 };

const asciiLabel = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/).filter((label) => !/^xn--/.test(label) && !/^\d+$/.test(label));
const suffix = fc.constantFrom('com', 'it', 'example', 'co.uk', 'org', 'eu', 'net');
const registrable = fc
  .tuple(asciiLabel, suffix)
  .map(([label, tld]) => `${label}.${tld}`)
  .filter((name) => getPublicSuffix(name, { allowPrivateDomains: true }) !== name);
const subdomains = fc.array(asciiLabel, { maxLength: 3 });
const host = fc.tuple(subdomains, registrable).map(([labels, domain]) => [...labels, domain].join('.'));
const path = fc.stringMatching(/^(\/[a-zA-Z0-9._~-]{0,10}){0,3}$/);

/** Latin letters with Cyrillic or Greek look-alikes among them: at least one of each kind. */
const LATIN = [...'aceopxyijs'];
const LOOK_ALIKES = [...'асеорхуіјѕ', ...'αεορχυι'];
const lookAlikeLabel = fc
  .tuple(fc.array(fc.constantFrom(...LATIN), { minLength: 1, maxLength: 6 }), fc.array(fc.constantFrom(...LOOK_ALIKES), { minLength: 1, maxLength: 3 }))
  .chain(([latin, other]) => fc.shuffledSubarray([...latin, ...other], { minLength: latin.length + other.length }))
  .map((letters) => letters.join(''));
const oneScriptLabel = fc.oneof(
  fc.array(fc.constantFrom(...'абвгдежзиклмнопрстуфхцчшщыэюя'), { minLength: 2, maxLength: 8 }),
  fc.array(fc.constantFrom(...'αβγδεζηθικλμνξοπρστυφχψω'), { minLength: 2, maxLength: 8 }),
  fc.array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzàèéìòùäöüß'), { minLength: 2, maxLength: 8 }),
);

describe('links customers send', () => {
  it('flag a label mixing Latin with Cyrillic or Greek look-alikes, wherever it stands in the host', () => {
    fc.assert(
      fc.property(subdomains, lookAlikeLabel, fc.boolean(), registrable, path, (labels, lookAlike, asDomain, domain, rest) => {
        const where = asDomain ? [...labels, `${lookAlike}.com`] : [...labels, lookAlike, domain];
        const flags = judgeInboundLink(`https://${where.join('.')}${rest}`);
        expect(flags).toContain('mixed_scripts');
        expect(flags).toContain('punycode');
      }),
      RUNS,
    );
  });

  it('do not flag mixed scripts where each label keeps to one', () => {
    fc.assert(
      fc.property(
        fc.array(
          oneScriptLabel.map((letters) => letters.join('')),
          { minLength: 1, maxLength: 3 },
        ),
        suffix,
        (labels, tld) => {
          expect(judgeInboundLink(`https://${labels.join('.')}.${tld}/`)).not.toContain('mixed_scripts');
        },
      ),
      RUNS,
    );
  });

  it('flag a user name or password before the host, whatever the parts, and only then', () => {
    const userinfo = fc.oneof(
      host,
      fc.stringMatching(/^[a-zA-Z0-9._~-]{1,16}$/),
      fc.tuple(fc.stringMatching(/^[a-zA-Z0-9._~-]{0,12}$/), fc.stringMatching(/^[a-zA-Z0-9._~-]{1,12}$/)).map(([user, password]) => `${user}:${password}`),
    );
    fc.assert(
      fc.property(userinfo, host, path, (user, where, rest) => {
        expect(judgeInboundLink(`https://${user}@${where}${rest}`)).toContain('user_info');
        expect(judgeInboundLink(`https://${where}${rest}`)).not.toContain('user_info');
      }),
      RUNS,
    );
  });

  it('flag an IPv4 address in dotted, decimal, hex or octal notation, and any IPv6 address', () => {
    const ipv4 = fc.integer({ min: 0, max: 0xffffffff }).chain((value) => {
      const bytes = [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255];
      return fc.constantFrom(
        bytes.join('.'),
        String(value),
        `0x${value.toString(16)}`,
        bytes.map((byte) => `0${byte.toString(8)}`).join('.'),
        bytes.map((byte) => `0x${byte.toString(16)}`).join('.'),
      );
    });
    fc.assert(
      fc.property(
        fc.oneof(
          ipv4,
          fc.ipV6().map((address) => `[${address}]`),
        ),
        fc.constantFrom('https://', 'http://'),
        path,
        (address, scheme, rest) => {
          expect(judgeInboundLink(`${scheme}${address}${rest}`)).toContain('ip_address');
        },
      ),
      RUNS,
    );
  });

  it('never flag an IP address for a host name', () => {
    fc.assert(
      fc.property(host, path, (where, rest) => {
        expect(judgeInboundLink(`https://${where}${rest}`)).not.toContain('ip_address');
      }),
      RUNS,
    );
  });

  it('flag every shortener of the list, under any subdomain and path', () => {
    fc.assert(
      fc.property(fc.constantFrom(...URL_SHORTENERS), fc.constantFrom('', 'www.', 'm.'), path, (shortener, sub, rest) => {
        expect(judgeInboundLink(`https://${sub}${shortener}${rest}`)).toContain('shortener');
      }),
      RUNS,
    );
  });

  it('flag a host on the block list or under it, and no other', () => {
    fc.assert(
      fc.property(host, subdomains, asciiLabel, path, (blocked, labels, other, rest) => {
        const blockList = hostList([blocked]);
        expect(judgeInboundLink(`https://${[...labels, blocked].join('.')}${rest}`, { blockList })).toContain('blocked');
        // A name that merely ends with the same letters, or the domain above a blocked subdomain, is not blocked.
        expect(judgeInboundLink(`https://${other}${blocked}${rest}`, { blockList })).not.toContain('blocked');
        const parent = blocked.slice(blocked.indexOf('.') + 1);
        if (parent !== blocked && getPublicSuffix(parent, { allowPrivateDomains: true }) !== parent)
          expect(judgeInboundLink(`https://${parent}/`, { blockList })).not.toContain('blocked');
      }),
      RUNS,
    );
  });

  it('flag a display text naming another site, and not one naming the same site', () => {
    // Names linkify-it finds without a scheme (known top-level domains), each a site of its own: `wz.org` is a suffix sold under.
    const named = fc
      .tuple(asciiLabel, fc.constantFrom('com', 'it', 'org', 'net', 'eu'))
      .map(([label, tld]) => `${label}.${tld}`)
      .filter((name) => getPublicSuffix(name, { allowPrivateDomains: true }) !== name);
    fc.assert(
      fc.property(
        fc.tuple(named, named, fc.boolean()),
        subdomains,
        fc.constantFrom('Paga su ', 'Vai a www.', 'https://', ''),
        ([shown, other, same], labels, lead) => {
          const real = same ? shown : other;
          const link = `https://${[...labels, real].join('.')}/login`;
          const flags = judgeInboundLink(link, { displayText: `${lead}${shown}` });
          expect(flags.includes('display_text_names_another_site')).toBe(shown !== real);
        },
      ),
      RUNS,
    );
  });
});

describe('links agents send', () => {
  it('pass an allow list exactly when their host is an entry or under one, and must be https', () => {
    fc.assert(
      fc.property(fc.array(host, { minLength: 1, maxLength: 4 }), host, fc.constantFrom('https://', 'http://'), path, (entries, where, scheme, rest) => {
        const flags = judgeOutboundLink(`${scheme}${where}${rest}`, hostList(entries));
        const allowed = entries.some((entry) => where === entry || where.endsWith(`.${entry}`));
        expect(flags.includes('host_not_allowed')).toBe(!allowed);
        expect(flags.includes('not_https')).toBe(scheme !== 'https://');
        for (const entry of entries) expect(judgeOutboundLink(`https://${where}.${entry}${rest}`, hostList(entries))).toEqual([]);
      }),
      RUNS,
    );
  });
});

describe('punycode', () => {
  it('reads hosts back as Node reads them', () => {
    const label = fc.string({ unit: fc.constantFrom(...'abcz09-', ...'аепрσωüßé日本ひカ한', '🙂'), minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 3 }), (labels) => {
        let hostname: string;
        try {
          hostname = new URL(`https://${labels.join('.')}.com/`).hostname;
        } catch {
          return;
        }
        expect(hostnameToUnicode(hostname)).toBe(domainToUnicode(hostname));
      }),
      RUNS,
    );
  });
});
