/**
 * The routing decision as a pure function: the rules in order, the first enabled one whose team
 * still exists and whose condition matches the new conversation wins. The same rules and the same
 * conversation always give the same team; the language is detected at most once, and only when a
 * language rule is reached.
 */
import type { RoutingCondition } from '../../common/api/routing.js';
import { foldText, keywordMatcher } from '../../common/routing/keywords.js';
import type { RoutingLanguage } from '../../common/routing/languages.js';
import type { AdReferral, FirstMessage } from './first-message.js';

export interface EvaluableRule {
  readonly id: number;
  readonly enabled: boolean;
  readonly condition: RoutingCondition;
  readonly teamId: number;
}

export interface NewConversation {
  readonly phoneNumberId: string;
  readonly firstMessage: FirstMessage;
}

export type LanguageDetector = (text: string) => RoutingLanguage | undefined;

export interface RoutingDecision {
  readonly teamId: number;
  readonly ruleId: number;
}

/** Compiled keyword lists, by their text: a webhook's decision reuses them instead of compiling each rule's pattern again. */
const matchers = new Map<string, (text: string) => boolean>();
const MATCHERS_KEPT = 1000;

function keywordsMatch(keywords: readonly string[], text: string): boolean {
  const key = JSON.stringify(keywords);
  let matcher = matchers.get(key);
  if (matcher === undefined) {
    if (matchers.size >= MATCHERS_KEPT) matchers.clear();
    matcher = keywordMatcher(keywords);
    matchers.set(key, matcher);
  }
  return matcher(text);
}

function referralMatches(condition: Extract<RoutingCondition, { kind: 'referral' }>, referral: AdReferral | null): boolean {
  if (referral === null) return false;
  if (condition.sourceId !== undefined && referral.sourceId !== condition.sourceId) return false;
  if (condition.sourceUrl !== undefined && referral.sourceUrl !== condition.sourceUrl) return false;
  if (condition.headline !== undefined && (referral.headline === undefined || foldText(referral.headline.trim()) !== foldText(condition.headline)))
    return false;
  return true;
}

/** The first matching rule's team, or null (then the number's team, else the default team). */
export function evaluateRouting(
  rules: readonly EvaluableRule[],
  conversation: NewConversation,
  teamExists: (teamId: number) => boolean,
  detect: LanguageDetector,
): RoutingDecision | null {
  const { text, referral } = conversation.firstMessage;
  let language: RoutingLanguage | undefined | null = null;
  const languageOf = (words: string): RoutingLanguage | undefined => {
    if (language === null) language = detect(words);
    return language;
  };
  for (const rule of rules) {
    if (!rule.enabled || !teamExists(rule.teamId)) continue;
    const { condition } = rule;
    let matches: boolean;
    switch (condition.kind) {
      case 'number':
        matches = condition.phoneNumberId === conversation.phoneNumberId;
        break;
      case 'keyword':
        matches = text !== null && keywordsMatch(condition.keywords, text);
        break;
      case 'language': {
        const detected = text === null ? undefined : languageOf(text);
        matches = detected !== undefined && condition.languages.includes(detected);
        break;
      }
      case 'referral':
        matches = referralMatches(condition, referral);
        break;
    }
    if (matches) return { teamId: rule.teamId, ruleId: rule.id };
  }
  return null;
}
