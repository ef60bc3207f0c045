/**
 * The safety policy (issue 13): what an admin may set for each built-in safety rule, one section
 * per rule, in one document the server stores (migration 0024) and every workstation holds. The
 * server is the authority: it enforces the policy; the client reads it to show and check the same
 * rule before the server has to refuse (docs/safety-rules.md, "The policy").
 *
 * Every default is the safe choice, so a store that never had a policy, or one whose stored
 * section cannot be read any more, protects as much as it can: `readStoredSafetyPolicy` is
 * lenient (a section it cannot read falls back to its defaults and is named in `problems`, an
 * entry of a host list that is no longer a host is dropped and named), while a change is strict
 * (`checkedSafetyPolicy`: unknown fields refused, host lists checked with common/links/host-list.ts,
 * a coded error and nothing kept). Plain data and zod only: no Node.
 */
import { z } from 'zod';
import { CodedError } from '../errors/coded-error.js';
import { hostList, HostListInvalid } from '../links/host-list.js';

/** Most entries a host list may hold: enough for a company's domains and payment providers, few enough to show and check fast. */
export const MAX_HOST_LIST_ENTRIES = 500;
const MAX_HOST_ENTRY_LENGTH = 300;

const HostEntries = z
  .array(
    z.string().trim().min(1, 'a host list entry is not empty').max(MAX_HOST_ENTRY_LENGTH, `a host list entry is at most ${MAX_HOST_ENTRY_LENGTH} characters`),
  )
  .max(MAX_HOST_LIST_ENTRIES, `a host list holds at most ${MAX_HOST_LIST_ENTRIES} entries`);

export const AttachmentPolicy = z
  .object({
    /** RAR, 7z and encrypted ZIP cannot be looked into: refused, unless this is on and the scanner found the file clean. */
    allowUninspectableArchivesWhenClean: z.boolean(),
    /** A file without a clean scan (`unscanned`: no scanner configured, or still `scanning`) cannot be opened nor sent. */
    refuseFilesWithoutCleanScan: z.boolean(),
    /** How often every stored file is scanned again with that day's signatures. */
    rescanEveryHours: z
      .number()
      .int()
      .min(1, 'rescan at least every hour')
      .max(24 * 7, 'rescan at least once a week'),
  })
  .strict();

export const SHORTENER_ACTIONS = ['warn', 'refuse'] as const;

export const LinkPolicy = z
  .object({
    /** Hosts (and every name under them) whose links in customers' messages cannot be opened at all. */
    blockedHosts: HostEntries,
    /** The hosts agents' links may go to, when `outboundAllowListOnly` is on (the company's own domains, its payment provider). */
    allowedOutboundHosts: HostEntries,
    /** On: an agent may send links only to `allowedOutboundHosts` (an empty list: no links at all). */
    outboundAllowListOnly: z.boolean(),
    /** A link through a known URL shortener hides where it goes: flagged (`warn`) or not opened at all (`refuse`). */
    shorteners: z.enum(SHORTENER_ACTIONS),
  })
  .strict();

export const CodePolicy = z
  .object({
    /** A message that looks like it carries a one-time code, a PIN or a recovery code is held until the agent confirms (audited) or edits it. */
    holdOutboundCodes: z.boolean(),
    /** Inbound messages asking for a code, or claiming to be WhatsApp, Meta or support, get the warning banner. */
    warnInboundCodeRequests: z.boolean(),
  })
  .strict();

export const CardPolicy = z
  .object({
    /** A card number in a message, note or quick reply is refused before it reaches Meta (with the payment-link suggestion). */
    refuseOutbound: z.boolean(),
  })
  .strict();

const PrivacyNoticeUrl = z
  .url({ protocol: /^https$/, error: 'the privacy notice is an https address' })
  .max(2000, 'the privacy notice address is at most 2000 characters');

export const PersonalDataPolicy = z
  .object({
    /** Asking a customer for personal data needs its purpose, told to the customer in one added line. */
    requirePurpose: z.boolean(),
    /** The company's privacy notice, linked in that line; null: none yet. */
    privacyNoticeUrl: PrivacyNoticeUrl.nullable(),
  })
  .strict();

export const GroupPolicy = z
  .object({
    /** Fixed: the server has no path that sends to a group. Stated so the admin screens show it. */
    refuseGroupRecipients: z.literal(true, { error: 'sending to groups cannot be allowed: the server has no path that sends to a group' }),
  })
  .strict();

export const MaskedNumberPolicy = z
  .object({
    /** Customers' phone numbers are masked for agents (`+39 347 ••• ••01`); revealing one asks for a reason and is audited. */
    maskForAgents: z.boolean(),
    /** Supervisors see numbers unmasked. */
    supervisorsSeeNumbers: z.boolean(),
  })
  .strict();

export const BriefingPolicy = z
  .object({
    /** Each agent acknowledges the security briefing again after this many days (a new version asks at once). */
    renewAfterDays: z.number().int().min(1, 'renew at least after 1 day').max(3650, 'renew at least every ten years'),
  })
  .strict();

export const SafetyPolicy = z
  .object({
    attachments: AttachmentPolicy,
    links: LinkPolicy,
    codes: CodePolicy,
    cards: CardPolicy,
    personalData: PersonalDataPolicy,
    groups: GroupPolicy,
    maskedNumbers: MaskedNumberPolicy,
    briefing: BriefingPolicy,
  })
  .strict();
export type SafetyPolicy = z.infer<typeof SafetyPolicy>;
export type SafetyPolicySection = keyof SafetyPolicy;

/** The policy of a store no admin has changed yet: each rule at its safest. */
export const DEFAULT_SAFETY_POLICY: SafetyPolicy = {
  attachments: { allowUninspectableArchivesWhenClean: false, refuseFilesWithoutCleanScan: true, rescanEveryHours: 24 },
  links: { blockedHosts: [], allowedOutboundHosts: [], outboundAllowListOnly: false, shorteners: 'warn' },
  codes: { holdOutboundCodes: true, warnInboundCodeRequests: true },
  cards: { refuseOutbound: true },
  personalData: { requirePurpose: true, privacyNoticeUrl: null },
  groups: { refuseGroupRecipients: true },
  maskedNumbers: { maskForAgents: true, supervisorsSeeNumbers: false },
  briefing: { renewAfterDays: 365 },
};

export const SAFETY_POLICY_SECTIONS = Object.keys(DEFAULT_SAFETY_POLICY) as SafetyPolicySection[];

/** The policy as it stands: `version` 0 is the defaults, never changed; each change adds 1. */
export const SafetyPolicyView = z.object({
  version: z.number().int().min(0),
  policy: SafetyPolicy,
});
export type SafetyPolicyView = z.infer<typeof SafetyPolicyView>;

/** What an admin sees: the policy, and who changed it last and when (null: never changed). */
export const AdminSafetyPolicyView = SafetyPolicyView.extend({
  changedAt: z.number().int().nullable(),
  changedBy: z.string().nullable(),
});
export type AdminSafetyPolicyView = z.infer<typeof AdminSafetyPolicyView>;

/** The whole new policy, and the version it was made from: a newer one stored meanwhile refuses it (`safety_policy_changed`). */
export const ChangeSafetyPolicyRequest = z.object({ version: z.number().int().min(0), policy: SafetyPolicy }).strict();
export type ChangeSafetyPolicyRequest = z.infer<typeof ChangeSafetyPolicyRequest>;

export class SafetyPolicyInvalid extends CodedError<'safety_policy_invalid'> {
  constructor(message: string) {
    super('safety_policy_invalid', message);
    this.name = 'SafetyPolicyInvalid';
  }
}

/** The entries as host names (the URL parser's ASCII form), each once, in the order given; throws HostListInvalid. */
function checkedHosts(entries: readonly string[]): string[] {
  return [...hostList(entries).hosts];
}

/**
 * A policy an admin gives, checked strictly: its shape (SafetyPolicyInvalid naming the field) and
 * each host list (HostListInvalid naming the entry). Answers it with the host lists written as
 * hosts, as it is stored.
 */
export function checkedSafetyPolicy(input: unknown): SafetyPolicy {
  const parsed = SafetyPolicy.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = (issue?.path ?? []).map(String).join('.');
    throw new SafetyPolicyInvalid(`The safety policy is not valid: ${where === '' ? '' : `${where}: `}${issue?.message ?? 'unreadable'}.`);
  }
  const { links } = parsed.data;
  return {
    ...parsed.data,
    links: { ...links, blockedHosts: checkedHosts(links.blockedHosts), allowedOutboundHosts: checkedHosts(links.allowedOutboundHosts) },
  };
}

/** The entries that are still hosts; each dropped one is named in `problems`. */
function keptHosts(entries: readonly string[], list: string, problems: string[]): string[] {
  const kept: string[] = [];
  for (const entry of entries) {
    try {
      kept.push(...hostList([entry]).hosts);
    } catch (error) {
      if (!(error instanceof HostListInvalid)) throw error;
      problems.push(`links.${list}: dropped an entry that is not a host`);
    }
  }
  return [...new Set(kept)];
}

export interface StoredSafetyPolicy {
  readonly policy: SafetyPolicy;
  /** What could not be read, by section (for the log; never the entries themselves). Empty: all of it was read. */
  readonly problems: readonly string[];
}

/**
 * A stored policy read leniently, as it must be on every use: a section that is missing or no
 * longer valid (written by another version) is that section's defaults, an unknown section is
 * ignored, a host list entry that is no longer a host is dropped; each is named in `problems`.
 */
export function readStoredSafetyPolicy(stored: unknown): StoredSafetyPolicy {
  const problems: string[] = [];
  const document: Record<string, unknown> = typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
  if (document !== stored) problems.push('the stored policy is not an object: every section at its defaults');
  for (const key of Object.keys(document)) if (!Object.hasOwn(DEFAULT_SAFETY_POLICY, key)) problems.push(`${key}: not a section, ignored`);
  const section = <S extends SafetyPolicySection>(name: S, schema: z.ZodType<SafetyPolicy[S]>): SafetyPolicy[S] => {
    if (document[name] === undefined) {
      if (document === stored) problems.push(`${name}: missing, at its defaults`);
      return DEFAULT_SAFETY_POLICY[name];
    }
    const parsed = schema.safeParse(document[name]);
    if (parsed.success) return parsed.data;
    problems.push(`${name}: not valid (${parsed.error.issues[0]?.path.map(String).join('.') ?? ''}), at its defaults`);
    return DEFAULT_SAFETY_POLICY[name];
  };
  const links = section('links', LinkPolicy);
  const policy: SafetyPolicy = {
    attachments: section('attachments', AttachmentPolicy),
    links: {
      ...links,
      blockedHosts: keptHosts(links.blockedHosts, 'blockedHosts', problems),
      allowedOutboundHosts: keptHosts(links.allowedOutboundHosts, 'allowedOutboundHosts', problems),
    },
    codes: section('codes', CodePolicy),
    cards: section('cards', CardPolicy),
    personalData: section('personalData', PersonalDataPolicy),
    groups: section('groups', GroupPolicy),
    maskedNumbers: section('maskedNumbers', MaskedNumberPolicy),
    briefing: section('briefing', BriefingPolicy),
  };
  return { policy, problems };
}

/** The sections whose settings differ between two policies (what a change's audit row names; never the values). */
export function changedSections(before: SafetyPolicy, after: SafetyPolicy): SafetyPolicySection[] {
  return SAFETY_POLICY_SECTIONS.filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]));
}
