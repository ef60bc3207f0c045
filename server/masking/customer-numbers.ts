/**
 * The one place customers' numbers are masked (docs/safety-rules.md, "Masked numbers"): every
 * client API answer (register-api.ts) and every feed frame (events/feed-batch.ts) passes through
 * `maskCustomers` on its way out, so no route or event builds its own rule. It finds each customer
 * in what is sent (an object with `contactId`, `phone` and `username`: common/api/inbox.ts
 * `Customer`) wherever it sits, and masks its number unless the viewer may see the numbers of the
 * conversation's team: the policy's `maskForAgents` off, or `supervisorsSeeNumbers` on and the
 * viewer supervises that team. A customer outside a conversation summary (no team known) is
 * masked whenever numbers are masked at all. Admins see numbers as what else they are: an admin
 * reads no conversation, and one who is also a supervisor or an agent sees what those see.
 */
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import { supervisesTeam } from '../../common/api/conversation-access.js';
import { maskPhoneNumber } from '../../common/numbers/masked-number.js';
import type { SafetyPolicy } from '../../common/safety/safety-policy.js';

export type MaskedNumberPolicy = SafetyPolicy['maskedNumbers'];

/** Whether the viewer sees the unmasked numbers of a conversation of team `teamId`. */
export type NumberSight = (teamId: number | null) => boolean;

export function numberSightOf(viewer: ConversationViewer, policy: MaskedNumberPolicy): NumberSight {
  if (!policy.maskForAgents) return () => true;
  if (!policy.supervisorsSeeNumbers) return () => false;
  return (teamId) => supervisesTeam(viewer, teamId);
}

/** Sees no number at all: what a frame or answer is built with when nothing says otherwise. */
export const SEES_NO_NUMBER: NumberSight = () => false;

type Json = unknown;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCustomer(value: Record<string, Json>): boolean {
  return typeof value.contactId === 'number' && 'phone' in value && 'username' in value;
}

/** Whether `value` holds a customer with a number: only then is there anything to mask (or a policy to read). */
export function holdsCustomerNumber(value: Json): boolean {
  if (Array.isArray(value)) return value.some(holdsCustomerNumber);
  if (!isRecord(value)) return false;
  if (isCustomer(value)) return typeof value.phone === 'string';
  return Object.values(value).some(holdsCustomerNumber);
}

function masked(customer: Record<string, Json>, shown: boolean): Record<string, Json> {
  const phone = customer.phone;
  if (typeof phone !== 'string' || shown) return { ...customer, phoneMasked: false };
  return { ...customer, phone: maskPhoneNumber(phone), phoneMasked: true };
}

/**
 * A copy of `value` (JSON: an answer or a feed event) with every customer's number masked where
 * `sight` says so; the team judged is that of the nearest enclosing conversation summary (an
 * object with `customer` and `teamId`). What holds no customer comes back as it was.
 */
export function maskCustomers<T>(value: T, sight: NumberSight): T {
  return walk(value, sight, null) as T;
}

function walk(value: Json, sight: NumberSight, teamId: number | null): Json {
  if (Array.isArray(value)) return value.map((item) => walk(item, sight, teamId));
  if (!isRecord(value)) return value;
  if (isCustomer(value)) return masked(value, sight(teamId));
  const team = 'customer' in value && 'teamId' in value ? (typeof value.teamId === 'number' ? value.teamId : null) : teamId;
  const copy: Record<string, Json> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = walk(item, sight, team);
  return copy;
}

/** The client API's boundary: each answer masked for the principal who asked, by the policy in force. */
export class CustomerNumberMasking {
  readonly #policy: () => Promise<MaskedNumberPolicy>;

  constructor(policy: () => Promise<MaskedNumberPolicy>) {
    this.#policy = policy;
  }

  policy(): Promise<MaskedNumberPolicy> {
    return this.#policy();
  }

  async answer<T>(viewer: ConversationViewer | undefined, answer: T): Promise<T> {
    if (!holdsCustomerNumber(answer)) return answer;
    const sight = viewer === undefined ? SEES_NO_NUMBER : numberSightOf(viewer, await this.#policy());
    return maskCustomers(answer, sight);
  }
}
