/**
 * The approval page's small parts on their own: the strict cookie reader and the HTML escaping
 * (property tests), the TLS forms of the cookie and headers (the test server runs plain HTTP),
 * the Origin rule and the language choice.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, html } from '../../server/approval-page/html.js';
import { isAllowedOrigin } from '../../server/approval-page/origin-check.js';
import { clearedSessionCookie, readCookie, sessionCookie, sessionCookieName } from '../../server/approval-page/page-cookie.js';
import { pickLanguage } from '../../server/approval-page/page-strings.js';
import { pageSecurityHeaders } from '../../server/approval-page/security-headers.js';

const TOKEN = `sp_${'a'.repeat(43)}`;
const tokenChars = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');

describe('readCookie', () => {
  it('finds the named cookie among others, in any position', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9_]{43}$/),
        fc.array(fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[a-z0-9]{0,8}$/)), { maxLength: 4 }),
        fc.nat(4),
        (suffix, others, at) => {
          const unrelated = others.filter(([name]) => name !== 'sportello_pair').map(([name, value]) => `${name}=${value}`);
          unrelated.splice(Math.min(at, unrelated.length), 0, `sportello_pair=sp_${suffix}`);
          expect(readCookie(unrelated.join('; '), 'sportello_pair')).toBe(`sp_${suffix}`);
        },
      ),
    );
  });

  it('reads a cookie sent twice as no cookie, and skips malformed neighbours', () => {
    expect(readCookie(`sportello_pair=${TOKEN}; sportello_pair=sp_other`, 'sportello_pair')).toBeUndefined();
    expect(readCookie(`junk; =empty; a=b c; sportello_pair=${TOKEN}`, 'sportello_pair')).toBe(TOKEN);
    expect(readCookie(`sportello_pair="${TOKEN}"`, 'sportello_pair')).toBe(TOKEN);
    expect(readCookie('sportello_pair=a b', 'sportello_pair')).toBeUndefined();
    expect(readCookie('sportello_pair=a,b', 'sportello_pair')).toBeUndefined();
    expect(readCookie(`__Host-sportello_pair=${TOKEN}`, 'sportello_pair')).toBeUndefined();
    expect(readCookie(undefined, 'sportello_pair')).toBeUndefined();
  });

  it('never throws, and returns only well-formed cookie values', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (header) => {
        const value = readCookie(header, 'sportello_pair');
        if (value !== undefined) expect(value).toMatch(/^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/);
      }),
    );
  });

  it('reads back what sessionCookie writes', () => {
    fc.assert(
      fc.property(fc.array(tokenChars, { minLength: 43, maxLength: 43 }), fc.boolean(), (chars, tls) => {
        const token = `sp_${chars.join('')}`;
        const [pair = ''] = sessionCookie(token, tls).split(';');
        expect(readCookie(pair, sessionCookieName(tls))).toBe(token);
      }),
    );
  });
});

describe('the cookie and headers under TLS', () => {
  it('uses a __Host- cookie marked Secure', () => {
    expect(sessionCookie(TOKEN, true)).toBe(`__Host-sportello_pair=${TOKEN}; Max-Age=600; Path=/; HttpOnly; SameSite=Strict; Secure`);
    expect(clearedSessionCookie(true)).toBe('__Host-sportello_pair=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict; Secure');
  });

  it('sends HSTS only when the server runs TLS', () => {
    expect(pageSecurityHeaders(true)['strict-transport-security']).toBe('max-age=31536000');
    expect(pageSecurityHeaders(false)['strict-transport-security']).toBeUndefined();
  });
});

describe('html', () => {
  it('escapes every interpolated string so it stays text', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const out = html`<p title="${value}">${value}</p>`.toString();
        const inner = out.slice('<p title="'.length, -'</p>'.length);
        expect(inner.replace('">', '')).not.toMatch(/[<>"'`]/);
        expect(out).toBe(`<p title="${escapeHtml(value)}">${escapeHtml(value)}</p>`);
      }),
    );
  });

  it('passes its own fragments through, and lists and nothing as expected', () => {
    const items = ['<a>', 'b'].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${42}`.toString()).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>42');
  });
});

describe('isAllowedOrigin', () => {
  const base = { publicUrl: 'https://desk.acme.example', host: '10.0.0.5:8787', tls: true };

  it('allows no Origin, the public origin and the origin the request was addressed to', () => {
    expect(isAllowedOrigin({ ...base, origin: undefined })).toBe(true);
    expect(isAllowedOrigin({ ...base, origin: 'https://desk.acme.example' })).toBe(true);
    expect(isAllowedOrigin({ ...base, origin: 'https://10.0.0.5:8787' })).toBe(true);
  });

  it('refuses any other origin, "null" and the wrong scheme', () => {
    for (const origin of [
      'null',
      'https://evil.example',
      'http://desk.acme.example',
      'https://desk.acme.example.evil.example',
      'https://desk.acme.example:444',
      '',
    ]) {
      expect(isAllowedOrigin({ ...base, origin }), origin).toBe(false);
    }
  });
});

describe('pickLanguage', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['it', 'it'],
    ['it-IT,it;q=0.9,en-US;q=0.8', 'it'],
    ['en-GB,it;q=0.5', 'en'],
    ['de-DE,it;q=0.3,en;q=0.2', 'it'],
    ['fr, de', 'en'],
    ['en;q=0.1, it;q=0.9', 'it'],
    ['it;q=0', 'en'],
    ['it;q=nonsense', 'en'],
  ])('%s → %s', (header, language) => {
    expect(pickLanguage(header)).toBe(language);
  });
});
