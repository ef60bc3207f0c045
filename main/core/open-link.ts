/**
 * Opening a link from a customer's message: judged with the safety policy main holds, by the same
 * common judgement the renderer marks links with (common/links/policy-links.ts). A refused link
 * (a blocked host, a shortener the policy refuses) is never opened nor asked about: `link_blocked`.
 * Any other goes to the confirmation with its real host and the warnings, and opens only when the
 * agent says so, as the parsed https address without a user name.
 */
import { CodedError } from '../../common/errors/coded-error.js';
import { openableLink } from '../../common/links/link-policy.js';
import { judgeInboundWithPolicy } from '../../common/links/policy-links.js';
import type { SafetyPolicy } from '../../common/safety/safety-policy.js';
import type { Desktop } from '../platform/platform.js';

export class LinkBlocked extends CodedError<'link_blocked'> {
  constructor() {
    super('link_blocked', 'This link goes to a blocked site, or hides where it goes: it cannot be opened.');
    this.name = 'LinkBlocked';
  }
}

export async function openCustomerLink(
  url: string,
  policy: SafetyPolicy['links'],
  desktop: Pick<Desktop, 'confirmOpenLink' | 'openExternal'>,
): Promise<{ opened: boolean }> {
  const verdict = judgeInboundWithPolicy(url, policy);
  if (verdict.refused) throw new LinkBlocked();
  const link = openableLink(url);
  const confirmed = await desktop.confirmOpenLink({ url: link.href, host: link.host, flags: verdict.flags });
  if (!confirmed) return { opened: false };
  await desktop.openExternal(link.href);
  return { opened: true };
}
