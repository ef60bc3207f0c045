/**
 * What is suspicious about a link a customer sends, and what keeps an agent from sending one, on
 * the addresses phishing uses (common/links/link-policy.ts); the host lists they are checked
 * against (common/links/host-list.ts).
 */
import { describe, expect, it } from 'vitest';
import { hostList } from '../../common/links/host-list.js';
import { judgeInboundLink, judgeInboundText, judgeOutboundLink, judgeOutboundText } from '../../common/links/link-policy.js';
import { decodePunycode, hostnameToUnicode } from '../../common/links/punycode.js';

describe('a link a customer sends', () => {
  it('is not flagged when it is an https link to a named host', () => {
    expect(judgeInboundLink('https://shop.example/orders/1?x=2')).toEqual([]);
    expect(judgeInboundLink('https://www.intesasanpaolo.com/')).toEqual([]);
  });

  it('is flagged when it does not open: not https, or no web address', () => {
    expect(judgeInboundLink('http://shop.example/')).toEqual(['not_https']);
    expect(judgeInboundLink('ftp://files.example/x')).toEqual(['not_https']);
    expect(judgeInboundLink('mailto:someone@example.com')).toEqual(['not_a_web_address']);
    expect(judgeInboundLink('not a link')).toEqual(['not_a_web_address']);
  });

  it('is flagged for an IP address in any of the forms the URL parser reads', () => {
    for (const address of [
      'https://192.168.1.10/',
      'https://3232235777/',
      'https://0xC0A80101/',
      'https://0300.0250.1.1/',
      'https://192.168.1/',
      'https://[::1]/',
      'https://[::ffff:192.168.1.1]/',
    ])
      expect(judgeInboundLink(address), address).toEqual(['ip_address']);
    expect(judgeInboundLink('http://3232235777/login')).toEqual(['not_https', 'ip_address']);
  });

  it('is flagged for a punycode host, and for a look-alike that mixes scripts in a label', () => {
    expect(judgeInboundLink('https://аpple.com/login')).toEqual(['punycode', 'mixed_scripts']);
    expect(judgeInboundLink('https://xn--pple-43d.com/login')).toEqual(['punycode', 'mixed_scripts']);
    expect(judgeInboundLink('https://pаypal.com.secure.example/')).toEqual(['punycode', 'mixed_scripts']);
    expect(judgeInboundLink('https://gοogle.com/')).toEqual(['punycode', 'mixed_scripts']);
    // One script a label: an international name, flagged for its punycode only.
    expect(judgeInboundLink('https://münchen.de/')).toEqual(['punycode']);
    expect(judgeInboundLink('https://пример.рф/')).toEqual(['punycode']);
    expect(judgeInboundLink('https://пример.com/')).toEqual(['punycode']);
    // Japanese mixes Han and kana, and Latin with them.
    expect(judgeInboundLink('https://ひらがな漢字カタカナ.jp/')).toEqual(['punycode']);
    expect(judgeInboundLink('https://sonyストア.jp/')).toEqual(['punycode']);
  });

  it('is flagged for a user name or password before the host', () => {
    expect(judgeInboundLink('https://bank.com@evil.example/login')).toEqual(['user_info']);
    expect(judgeInboundLink('https://www.bank.it:login@evil.example/')).toEqual(['user_info']);
    expect(judgeInboundLink('https://user:secret@shop.example/')).toEqual(['user_info']);
  });

  it('is flagged for a link shortener, and not for a brand’s own short domain', () => {
    for (const short of ['https://bit.ly/3xYz', 'https://www.tinyurl.com/abc', 'https://t.co/x', 'https://goo.gl/a', 'https://cutt.ly/q', 'https://rb.gy/1'])
      expect(judgeInboundLink(short), short).toEqual(['shortener']);
    expect(judgeInboundLink('https://youtu.be/dQw4w9WgXcQ')).toEqual([]);
    expect(judgeInboundLink('https://not-bit.ly.example/')).toEqual([]);
  });

  it('is flagged for a host on the block list or under it', () => {
    const blockList = hostList(['evil.example', 'sites.example.com']);
    expect(judgeInboundLink('https://evil.example/', { blockList })).toEqual(['blocked']);
    expect(judgeInboundLink('https://login.secure.EVIL.example./', { blockList })).toEqual(['blocked']);
    expect(judgeInboundLink('https://a.sites.example.com/', { blockList })).toEqual(['blocked']);
    expect(judgeInboundLink('https://example.com/', { blockList })).toEqual([]);
    expect(judgeInboundLink('https://notevil.example/', { blockList })).toEqual([]);
    expect(judgeInboundLink('https://evil.example.com/', { blockList })).toEqual([]);
  });

  it('is flagged when its display text names another site than the one it goes to', () => {
    expect(judgeInboundLink('https://evil.example/login', { displayText: 'www.bank.com' })).toEqual(['display_text_names_another_site']);
    expect(judgeInboundLink('https://paypal.com.evil.example/', { displayText: 'Paga su https://paypal.com' })).toEqual(['display_text_names_another_site']);
    expect(judgeInboundLink('https://online.bank.com/login', { displayText: 'www.bank.com' })).toEqual([]);
    expect(judgeInboundLink('https://evil.example/', { displayText: 'Clicca qui per pagare' })).toEqual([]);
  });

  it('is judged in a whole message: each link found with what is wrong with it', () => {
    expect(judgeInboundText('Guarda http://bit.ly/abc e https://shop.it/ok')).toEqual([
      { link: { start: 7, end: 24, text: 'http://bit.ly/abc', url: 'http://bit.ly/abc' }, flags: ['not_https', 'shortener'] },
    ]);
    expect(judgeInboundText('vai su evil.it/login', hostList(['evil.it']))).toEqual([
      { link: { start: 7, end: 20, text: 'evil.it/login', url: 'http://evil.it/login' }, flags: ['not_https', 'blocked'] },
    ]);
  });
});

describe('a link an agent sends', () => {
  it('must be https', () => {
    expect(judgeOutboundLink('https://shop.example/a')).toEqual([]);
    expect(judgeOutboundLink('http://shop.example/a')).toEqual(['not_https']);
    expect(judgeOutboundLink('javascript:alert(1)')).toEqual(['not_a_web_address']);
  });

  it('must go to a host on the allow list when there is one', () => {
    const allowList = hostList(['shop.example', 'https://pay.partner.example/checkout']);
    expect(judgeOutboundLink('https://shop.example/', allowList)).toEqual([]);
    expect(judgeOutboundLink('https://www.shop.example/a', allowList)).toEqual([]);
    expect(judgeOutboundLink('https://pay.partner.example/x', allowList)).toEqual([]);
    expect(judgeOutboundLink('https://partner.example/', allowList)).toEqual(['host_not_allowed']);
    expect(judgeOutboundLink('https://shop.example.evil.example/', allowList)).toEqual(['host_not_allowed']);
    expect(judgeOutboundLink('http://evil.example/', allowList)).toEqual(['not_https', 'host_not_allowed']);
  });

  it('is judged in a whole text, links written without a scheme among them', () => {
    const judged = judgeOutboundText('Paghi su www.shop.it o https://pay.shop.it/x oppure https://altro.it', hostList(['shop.it']));
    expect(judged.map(({ link, flags }) => [link.text, flags])).toEqual([
      ['www.shop.it', ['not_https']],
      ['https://altro.it', ['host_not_allowed']],
    ]);
  });
});

describe('host lists', () => {
  it('read hosts and web addresses as the URL parser writes hosts', () => {
    expect([...hostList([' EVIL.example. ', '*.wild.example', 'https://Shop.Example/path', 'пример.рф', 'intranet']).hosts]).toEqual([
      'evil.example',
      'wild.example',
      'shop.example',
      'xn--e1afmkfd.xn--p1ai',
      'intranet',
    ]);
  });

  it('refuse a public suffix and what is not a host, naming the entry', () => {
    for (const bad of ['com', 'co.uk', 'github.io', 'evil.example/login', 'user@evil.example', 'evil example', '', 'https://'])
      expect(() => hostList(['ok.example', bad]), bad).toThrow(expect.objectContaining({ code: 'host_list_invalid' }));
    expect(() => hostList(['co.uk'])).toThrow(/"co.uk" is a public suffix/);
    expect(hostList([]).hosts.size).toBe(0);
  });
});

describe('punycode', () => {
  it('reads labels back into Unicode, and leaves what is not punycode as it is', () => {
    expect(decodePunycode('pple-43d')).toBe('аpple');
    expect(decodePunycode('mnchen-3ya')).toBe('münchen');
    expect(decodePunycode('abc-')).toBe('abc');
    expect(decodePunycode('99999999999')).toBeUndefined();
    expect(decodePunycode('ü')).toBeUndefined();
    expect(hostnameToUnicode('www.xn--e1afmkfd.xn--p1ai')).toBe('www.пример.рф');
    expect(hostnameToUnicode('xn--!!.example')).toBe('xn--!!.example');
  });
});
