/**
 * Routing rules as the admin part of the client API (and the admin CLI) manage them: which team a
 * new conversation goes to. Rules are tried in order, the first enabled one whose condition
 * matches wins; with none, the number's own team, else the default team (docs/routing.md).
 */
import { z } from 'zod';
import { keywordListProblem, MAX_KEYWORD_LENGTH, MAX_KEYWORDS } from '../routing/keywords.js';
import { ROUTING_LANGUAGE_CODES } from '../routing/languages.js';
import { PhoneNumberId } from './business-numbers.js';

const Id = z.number().int().positive();
const ReferralField = z
  .string()
  .trim()
  .min(1, 'an ad field to match is not empty (leave it out to match any)')
  .max(500, 'an ad field to match is at most 500 characters');

export const KeywordList = z
  .array(z.string().max(MAX_KEYWORD_LENGTH * 2))
  .max(MAX_KEYWORDS * 2)
  .superRefine((keywords, ctx) => {
    const problem = keywordListProblem(keywords);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((keywords) => keywords.map((keyword) => keyword.trim()));

export const RoutingLanguageCode = z.enum(ROUTING_LANGUAGE_CODES, {
  error: `a language is a two-letter code among: ${ROUTING_LANGUAGE_CODES.join(', ')}`,
});

export const RoutingCondition = z.discriminatedUnion('kind', [
  /** The business number the customer wrote to. */
  z.object({ kind: z.literal('number'), phoneNumberId: PhoneNumberId }).strict(),
  /** Whole words (or a trailing-* prefix) of the first message's text, without regard to case or accents. */
  z.object({ kind: z.literal('keyword'), keywords: KeywordList }).strict(),
  /** The language the server detects in the first message's text (undetermined for a short text: no match). */
  z
    .object({ kind: z.literal('language'), languages: z.array(RoutingLanguageCode).min(1, 'give at least one language').max(ROUTING_LANGUAGE_CODES.length) })
    .strict(),
  /** The customer came from a click-to-WhatsApp ad: any ad, or only one naming this id, link or headline (each given field must match). */
  z
    .object({ kind: z.literal('referral'), sourceId: ReferralField.optional(), sourceUrl: ReferralField.optional(), headline: ReferralField.optional() })
    .strict(),
]);
export type RoutingCondition = z.infer<typeof RoutingCondition>;
export type RoutingConditionKind = RoutingCondition['kind'];

export const RoutingRuleView = z.object({
  id: Id,
  /** 1 first. */
  position: z.number().int().positive(),
  enabled: z.boolean(),
  condition: RoutingCondition,
  teamId: Id,
  /** Null when the team has been deleted: the rule is then skipped. */
  teamName: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type RoutingRuleView = z.infer<typeof RoutingRuleView>;
export const RoutingRuleList = z.object({ rules: z.array(RoutingRuleView) });
export type RoutingRuleList = z.infer<typeof RoutingRuleList>;

export const CreateRoutingRuleRequest = z
  .object({
    condition: RoutingCondition,
    teamId: Id,
    enabled: z.boolean().default(true),
    /** Where it goes (1 first); by default after the others. */
    position: z.number().int().positive('a position is 1 or more').optional(),
  })
  .strict();
export type CreateRoutingRuleRequest = z.input<typeof CreateRoutingRuleRequest>;

export const UpdateRoutingRuleRequest = z
  .object({ condition: RoutingCondition.optional(), teamId: Id.optional(), enabled: z.boolean().optional() })
  .strict()
  .refine((change) => change.condition !== undefined || change.teamId !== undefined || change.enabled !== undefined, 'give a new condition, team or enabled');
export type UpdateRoutingRuleRequest = z.infer<typeof UpdateRoutingRuleRequest>;

/** Moves a rule to a position (1 first; past the end: last); the others keep their order. */
export const MoveRoutingRuleRequest = z.object({ position: z.number().int().positive('a position is 1 or more') }).strict();
export type MoveRoutingRuleRequest = z.infer<typeof MoveRoutingRuleRequest>;

export const RoutingRuleParams = z.object({ id: z.coerce.number().int().positive('the rule id must be a positive whole number') });
export const RoutingRuleRemoved = z.object({ removed: Id });
export type RoutingRuleRemoved = z.infer<typeof RoutingRuleRemoved>;
