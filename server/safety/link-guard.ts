/**
 * The links rule where agents write (common/links/outbound-links.ts): a message, quick reply or
 * away message holding a link that is not https, or (allow-list-only on) goes to a host not on
 * the policy's allowed hosts, is refused; each refusal is counted and audited by ids, never the
 * link.
 */
import { OutboundLinkRefused, holdsLinks, outboundLinkProblem } from '../../common/links/outbound-links.js';
import type { LinkPlace, LinkRefusals, LinkWriter } from '../../common/links/outbound-links.js';
import type { SafetyActions } from './safety-actions.js';
import type { SafetyPolicies } from './safety-policies.js';

export class LinkGuard implements LinkRefusals {
  readonly #policies: Pick<SafetyPolicies, 'policy'>;
  readonly #actions: SafetyActions;

  constructor(deps: { readonly policies: Pick<SafetyPolicies, 'policy'>; readonly actions: SafetyActions }) {
    this.#policies = deps.policies;
    this.#actions = deps.actions;
  }

  async refuse(place: LinkPlace, texts: readonly (string | null | undefined)[], writer: LinkWriter): Promise<void> {
    if (!holdsLinks(texts)) return;
    const problem = outboundLinkProblem(texts, (await this.#policies.policy()).links, writer.alsoAllowedHosts);
    if (problem === undefined) return;
    await this.#actions.record({ rule: 'links', action: 'refused', agentId: writer.agentId, conversationId: writer.conversationId ?? null });
    throw new OutboundLinkRefused(place, problem);
  }
}
