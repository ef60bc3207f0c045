/**
 * The core's openLink with the safety policy main holds: a link to a blocked host, or through a
 * shortener when the policy refuses them, is refused (link_blocked) and never asked about nor
 * opened; a flagged one goes to the confirmation with its real host and its warnings; and what the
 * renderer marks is the same judgement (common/links/policy-links.ts) of the same link.
 */
import { describe, expect, it } from 'vitest';
import { isCodedError } from '../../common/errors/coded-error.js';
import { markInboundText } from '../../common/links/policy-links.js';
import { DEFAULT_SAFETY_POLICY } from '../../common/safety/safety-policy.js';
import type { SafetyPolicy } from '../../common/safety/safety-policy.js';
import { openCustomerLink } from '../../main/core/open-link.js';
import { RecordingDesktop } from '../helpers/node-platform.js';

function links(change: Partial<SafetyPolicy['links']>): SafetyPolicy['links'] {
  return { ...DEFAULT_SAFETY_POLICY.links, ...change };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isCodedError(error) ? error.code : `uncoded: ${String(error)}`;
  }
  return 'resolved';
}

describe('openLink in the core', () => {
  it('refuses a link to a blocked host, or a name under it, without asking nor opening', async () => {
    const desktop = new RecordingDesktop();
    desktop.confirmLinks = true;
    const policy = links({ blockedHosts: ['evil.example'] });
    expect(await codeOf(openCustomerLink('https://login.evil.example/pay', policy, desktop))).toBe('link_blocked');
    expect(await codeOf(openCustomerLink('https://bank.example@evil.example/', policy, desktop))).toBe('link_blocked');
    expect(desktop.linkPrompts).toEqual([]);
    expect(desktop.opened).toEqual([]);
  });

  it('refuses a shortener only when the policy says refuse, and warns of it otherwise', async () => {
    const desktop = new RecordingDesktop();
    expect(await codeOf(openCustomerLink('https://bit.ly/3xYz', links({ shorteners: 'refuse' }), desktop))).toBe('link_blocked');
    expect(desktop.linkPrompts).toEqual([]);
    expect(await openCustomerLink('https://bit.ly/3xYz', links({ shorteners: 'warn' }), desktop)).toEqual({ opened: false });
    expect(desktop.linkPrompts).toEqual([{ url: 'https://bit.ly/3xYz', host: 'bit.ly', flags: ['shortener'] }]);
  });

  it('asks about a look-alike with its real host and its warnings, and opens it without the user name only when confirmed', async () => {
    const desktop = new RecordingDesktop();
    desktop.confirmLinks = true;
    const policy = links({});
    expect(await openCustomerLink('https://paypal.com@xn--pypal-4ve.com/login', policy, desktop)).toEqual({ opened: true });
    expect(desktop.linkPrompts).toEqual([
      { url: 'https://xn--pypal-4ve.com/login', host: 'xn--pypal-4ve.com', flags: ['punycode', 'mixed_scripts', 'user_info'] },
    ]);
    expect(desktop.opened).toEqual(['https://xn--pypal-4ve.com/login']);
  });

  it('asks about a plain https link with no warnings', async () => {
    const desktop = new RecordingDesktop();
    expect(await openCustomerLink('https://shop.example.com/order/1', links({ blockedHosts: ['evil.example'] }), desktop)).toEqual({ opened: false });
    expect(desktop.linkPrompts).toEqual([{ url: 'https://shop.example.com/order/1', host: 'shop.example.com', flags: [] }]);
    expect(desktop.opened).toEqual([]);
  });

  it('still never opens an http link', async () => {
    const desktop = new RecordingDesktop();
    desktop.confirmLinks = true;
    expect(await codeOf(openCustomerLink('http://shop.example.com/', links({}), desktop))).toBe('link_not_allowed');
    expect(desktop.opened).toEqual([]);
  });

  it('judges what the renderer marks the same way: the blocked link is no button, the look-alike is one with its flags', () => {
    const policy = links({ blockedHosts: ['evil.example'] });
    const marked = markInboundText('Pay https://evil.example/x or https://xn--pypal-4ve.com/ or http://shop.example.com, mail mailto:a@b.example', policy);
    const judged = marked.filter((piece) => piece.link !== null).map((piece) => [piece.text, piece.opens, piece.verdict.refused, piece.verdict.flags]);
    expect(judged).toEqual([
      ['https://evil.example/x', false, true, ['blocked']],
      ['https://xn--pypal-4ve.com/', true, false, ['punycode', 'mixed_scripts']],
      ['http://shop.example.com', false, false, ['not_https']],
    ]);
    expect(marked.map((piece) => piece.text).join('')).toBe(
      'Pay https://evil.example/x or https://xn--pypal-4ve.com/ or http://shop.example.com, mail mailto:a@b.example',
    );
  });
});
