/**
 * What each Graph API failure means for the inbox (../shared/docs/cloud-api.md §9): retry or not, whether
 * the channel needs re-authorising or a template is needed, and a reason a person can act on.
 */

import { TEMPLATE_REFUSAL_BY_META_CODE } from '../../common/templates/template-refusals.js';
import type { TemplateSendRefusal } from '../../common/templates/template-refusals.js';

/** One failed Graph call, as much of it as we know. */
export interface GraphFailure {
  /** Meta's error code (`error.code`), when the response carried one. */
  readonly metaCode: number | undefined;
  readonly subcode: number | undefined;
  /** HTTP status, or undefined for a network failure or timeout. */
  readonly httpStatus: number | undefined;
  readonly title: string | undefined;
  readonly message: string | undefined;
  readonly details: string | undefined;
  readonly fbtraceId: string | undefined;
  /**
   * A message's POST lost its connection after the request went out (reset, closed, timed out):
   * Meta may have sent it. The Graph API has no idempotency key, so it is never sent again by
   * itself (server/cloud-api/request-reached.ts).
   */
  readonly sendInterrupted?: boolean;
}

export interface FailureVerdict {
  /** Stable code stored with the message: `meta_131047`, `http_503`, `network`. */
  readonly code: string;
  readonly retry: boolean;
  /** The shortest sensible wait before a retry (pair and account limits need more than a blip). */
  readonly minRetryDelayMs: number;
  /** 190: the access token no longer works; nothing will send until someone re-authorises. */
  readonly reauthorize: boolean;
  /** 131047: outside the 24-hour window, only a template can go. */
  readonly templateRequired: boolean;
  readonly reason: string;
  /** Meta found a refusal Sportello also checks before a send (common/templates/template-refusals.ts): the message's failure carries that code. */
  readonly agentCode?: TemplateSendRefusal;
}

interface Rule {
  readonly retry: boolean;
  readonly minRetryDelayMs?: number;
  readonly reauthorize?: boolean;
  readonly templateRequired?: boolean;
  readonly reason: string;
}

const PERMISSION: Rule = {
  retry: false,
  reason: 'Meta refused access: the access token lacks the WhatsApp messaging permission for this number.',
};
const INVALID_REQUEST: Rule = { retry: false, reason: 'Meta rejected the request as invalid (a parameter is missing or wrong).' };
const TEMPLATE_PARAMETER: Rule = { retry: false, reason: 'A template parameter is invalid or has the wrong format.' };

const RULES: ReadonlyMap<number, Rule> = new Map<number, Rule>([
  [
    131047,
    {
      retry: false,
      templateRequired: true,
      reason: 'More than 24 hours have passed since the customer last wrote: only an approved template can be sent now.',
    },
  ],
  [
    131026,
    {
      retry: false,
      reason: 'Undeliverable: the number may not be on WhatsApp, or the customer has not accepted the current terms or uses an old app.',
    },
  ],
  [131051, { retry: false, reason: 'This message type is not supported by WhatsApp.' }],
  [130429, { retry: true, minRetryDelayMs: 1000, reason: "Meta's throughput limit for this number was reached." }],
  [131056, { retry: true, minRetryDelayMs: 6000, reason: 'Too many messages to this customer in a short time (pair rate limit).' }],
  [131000, { retry: true, reason: 'Something went wrong at Meta.' }],
  [131016, { retry: true, minRetryDelayMs: 2000, reason: "Meta's service is temporarily unavailable." }],
  [131057, { retry: true, minRetryDelayMs: 60_000, reason: 'The WhatsApp Business account is in maintenance mode.' }],
  [1, { retry: true, reason: 'Graph API reported an unknown error.' }],
  [2, { retry: true, minRetryDelayMs: 2000, reason: 'Graph API service is temporarily unavailable.' }],
  [4, { retry: true, minRetryDelayMs: 60_000, reason: "The app reached Graph API's call rate limit." }],
  [80007, { retry: true, minRetryDelayMs: 60_000, reason: 'The WhatsApp Business account reached its rate limit.' }],
  [131048, { retry: false, reason: "Meta's spam rate limit was hit: check the number's quality rating in WhatsApp Manager." }],
  [131049, { retry: false, reason: 'Meta held back this marketing message to keep engagement healthy; try again later.' }],
  [131050, { retry: false, reason: 'The customer has stopped marketing messages.' }],
  [130472, { retry: false, reason: "The customer's number is part of a Meta experiment: marketing message not sent." }],
  [
    190,
    {
      retry: false,
      reauthorize: true,
      reason: 'The access token has expired or was revoked: the WhatsApp channel must be re-authorised.',
    },
  ],
  [131005, PERMISSION],
  [10, PERMISSION],
  [100, INVALID_REQUEST],
  [131008, { retry: false, reason: 'A required parameter is missing from the request.' }],
  [131009, INVALID_REQUEST],
  [131021, { retry: false, reason: 'The recipient is the business number itself.' }],
  [130403, { retry: false, reason: 'This business number has blocked the customer on WhatsApp: unblock them to write to them again.' }],
  [139100, { retry: false, reason: 'WhatsApp could not block or unblock some of the users.' }],
  [139101, { retry: false, reason: 'The number’s block list is full (64,000 users).' }],
  [131030, { retry: false, reason: "The recipient is not in the test number's allowed list." }],
  [131031, { retry: false, reason: 'The WhatsApp Business account has been locked.' }],
  [131037, { retry: false, reason: "The number's display name needs Meta's approval first." }],
  [131042, { retry: false, reason: 'There is a payment issue on the WhatsApp Business account.' }],
  [131052, { retry: false, reason: "The customer's media could not be downloaded." }],
  [131053, { retry: false, reason: 'The media could not be uploaded: check its type and size.' }],
  [131062, { retry: false, reason: 'This message can only be sent to a phone number, not to a username.' }],
  [131063, { retry: false, reason: 'Marketing templates are disabled for the Cloud API on this account.' }],
  [131064, { retry: false, reason: 'The messaging limit of the business portfolio was reached.' }],
  [137000, { retry: false, reason: "The customer's identity key changed: the message was not sent." }],
  [368, { retry: false, reason: 'The account is temporarily blocked for policy violations.' }],
  [133010, { retry: false, reason: 'The phone number is not registered with the Cloud API.' }],
  [132000, { retry: false, reason: "The number of template parameters does not match the template's." }],
  [132001, { retry: false, reason: 'The template does not exist in that language (or is not approved yet).' }],
  [132005, { retry: false, reason: 'The template text is too long once its parameters are filled in.' }],
  [132007, { retry: false, reason: 'The template content violates a WhatsApp policy.' }],
  [132008, TEMPLATE_PARAMETER],
  [132012, TEMPLATE_PARAMETER],
  [132015, { retry: false, reason: 'The template is paused because of low quality: choose another one.' }],
  [132016, { retry: false, reason: 'The template is disabled: choose another one.' }],
]);

export function judgeGraphFailure(failure: GraphFailure): FailureVerdict {
  const { metaCode, httpStatus } = failure;
  if (metaCode !== undefined) {
    const rule = RULES.get(metaCode) ?? ruleForUnlisted(metaCode, httpStatus);
    const agentCode = TEMPLATE_REFUSAL_BY_META_CODE[metaCode];
    return {
      ...(agentCode === undefined ? {} : { agentCode }),
      code: `meta_${metaCode}`,
      retry: rule.retry,
      minRetryDelayMs: rule.minRetryDelayMs ?? 0,
      reauthorize: rule.reauthorize === true,
      templateRequired: rule.templateRequired === true,
      reason: rule.reason,
    };
  }
  if (failure.sendInterrupted === true) {
    return {
      code: 'send_interrupted',
      retry: false,
      minRetryDelayMs: 0,
      reauthorize: false,
      templateRequired: false,
      reason:
        'The connection to Meta broke after the message was handed over, so it may have reached the customer or not: it is not sent again by itself. Look at the conversation on the phone side before sending it again.',
    };
  }
  if (httpStatus === undefined) {
    return {
      code: 'network',
      retry: true,
      minRetryDelayMs: 0,
      reauthorize: false,
      templateRequired: false,
      reason: 'Meta could not be reached (network error or timeout).',
    };
  }
  const serverSide = httpStatus >= 500 || httpStatus === 429 || httpStatus === 408;
  return {
    code: `http_${httpStatus}`,
    retry: serverSide,
    minRetryDelayMs: httpStatus === 429 ? 1000 : 0,
    reauthorize: httpStatus === 401,
    templateRequired: false,
    reason: serverSide ? `Graph API answered HTTP ${httpStatus}.` : `Graph API refused the request with HTTP ${httpStatus}.`,
  };
}

function ruleForUnlisted(code: number, httpStatus: number | undefined): Rule {
  if (code >= 200 && code <= 299) return PERMISSION;
  if (code >= 132000 && code <= 132999) return { retry: false, reason: `Meta refused the template (code ${code}).` };
  if (httpStatus !== undefined && httpStatus >= 500) return { retry: true, reason: `Meta reported a server error (code ${code}).` };
  // Unknown codes are not retried: a duplicate message to a customer is worse than a visible failure.
  return { retry: false, reason: `Meta refused the message (code ${code}).` };
}

/** Backoff for attempt n (1-based): exponential from `baseMs`, capped, with jitter over its upper half. */
export function retryDelayMs(
  attempt: number,
  verdict: Pick<FailureVerdict, 'minRetryDelayMs'>,
  baseMs = 500,
  capMs = 5 * 60_000,
  random = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(verdict.minRetryDelayMs, Math.round(ceiling / 2 + (random() * ceiling) / 2));
}
