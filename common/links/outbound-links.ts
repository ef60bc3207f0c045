/**
 * The links an agent may send (common/links/link-policy.ts judgeOutboundText, with the safety
 * policy's `links`): each must open (https) and, when the policy keeps agents to its allow list,
 * go to a host on it. A message, a quick reply or an away message with another link is refused
 * before it is stored or reaches Meta (`link_not_allowed_outbound`, naming the reason and the
 * host, never the text). The renderer warns with the same judgement as the agent types.
 */
import { CodedError } from '../errors/coded-error.js';
import type { SafetyPolicy } from '../safety/safety-policy.js';
import { judgeOutboundText } from './link-policy.js';
import type { OutboundLinkFlag } from './link-policy.js';
import { hostList } from './host-list.js';
import { policyHostList } from './policy-links.js';
import { parseWebUrl } from './web-url.js';
import { findWrittenLinks } from './written-links.js';

/** Where the agent wrote it: named in the refusal, never the text. */
export type LinkPlace = 'message' | 'quick_reply' | 'away_message';

/** The first link that may not be sent: why, and the host it goes to (as the agent wrote it, in ASCII). */
export interface OutboundLinkProblem {
  readonly reason: OutboundLinkFlag;
  readonly host: string;
}

export class OutboundLinkRefused extends CodedError<'link_not_allowed_outbound'> {
  readonly place: LinkPlace;
  readonly problem: OutboundLinkProblem;

  constructor(place: LinkPlace, problem: OutboundLinkProblem) {
    super(
      'link_not_allowed_outbound',
      problem.reason === 'host_not_allowed'
        ? `A link to ${problem.host} cannot be sent: it is not on the company's list of allowed sites. Change or remove it.`
        : `A link to ${problem.host} cannot be sent: links must start with https://. Change or remove it.`,
      { place, reason: problem.reason, host: problem.host },
    );
    this.place = place;
    this.problem = problem;
    this.name = 'OutboundLinkRefused';
  }
}

/** Whether any of the texts holds a link at all (the policy need not be read otherwise). */
export function holdsLinks(texts: readonly (string | null | undefined)[]): boolean {
  return texts.some((text) => typeof text === 'string' && findWrittenLinks(text).length > 0);
}

/**
 * The first link in the texts the policy does not let an agent send, or undefined when every one
 * may go. `alsoAllowed`: hosts allowed for this text besides the policy's list (a payment link's
 * provider, whose page the server itself made the link to).
 */
export function outboundLinkProblem(
  texts: readonly (string | null | undefined)[],
  policy: SafetyPolicy['links'],
  alsoAllowed: readonly string[] = [],
): OutboundLinkProblem | undefined {
  const policyList = policy.outboundAllowListOnly ? policyHostList(policy.allowedOutboundHosts) : undefined;
  const allowList =
    policyList === undefined || alsoAllowed.length === 0 ? policyList : { hosts: new Set([...policyList.hosts, ...hostList(alsoAllowed).hosts]) };
  for (const text of texts) {
    if (typeof text !== 'string' || text === '') continue;
    const [first] = judgeOutboundText(text, allowList);
    if (first === undefined) continue;
    const [reason = 'not_a_web_address'] = first.flags;
    return { reason, host: (parseWebUrl(first.link.url)?.hostname ?? '').slice(0, 300) };
  }
  return undefined;
}

/** Who wrote the texts (ids only: the refusal is audited by them). */
export interface LinkWriter {
  readonly agentId: number | null;
  readonly conversationId?: number | null;
  /** Hosts this text may link to besides the policy's allow list: a payment link's provider (server/payments/). */
  readonly alsoAllowedHosts?: readonly string[];
}

/** What the places agents write in ask of the links rule (server/safety/link-guard.ts). */
export interface LinkRefusals {
  /** Refuses (link_not_allowed_outbound) texts holding a link the policy does not let agents send. */
  refuse(place: LinkPlace, texts: readonly (string | null | undefined)[], writer: LinkWriter): Promise<void>;
}
