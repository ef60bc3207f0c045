/**
 * Properties of the routing decision (server/routing/evaluate-routing.ts), over generated rule
 * lists and conversations: the same rules and conversation always give the same team; the team
 * chosen is that of the first enabled rule, with a live team, whose condition matches (an earlier
 * such rule always wins, whatever follows it); disabled rules and rules of deleted teams never
 * decide; and a keyword list compiles to a matcher that answers in linear time however its text
 * is built (no catastrophic backtracking is possible).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RoutingCondition } from '../../common/api/routing.js';
import { RoutingCondition as ConditionSchema } from '../../common/api/routing.js';
import { keywordMatcher, MATCHED_TEXT_LENGTH } from '../../common/routing/keywords.js';
import { ROUTING_LANGUAGE_CODES } from '../../common/routing/languages.js';
import type { RoutingLanguage } from '../../common/routing/languages.js';
import { detectLanguage } from '../../server/routing/detect-language.js';
import type { EvaluableRule, NewConversation } from '../../server/routing/evaluate-routing.js';
import { evaluateRouting } from '../../server/routing/evaluate-routing.js';

const NUMBERS = ['1065403522', '1065403523'];
const WORDS = ['rimborso', 'fattura', 'refund', 'ordine', 'ciao', 'hello', 'perché', 'Straße'];
const LANGUAGES: readonly RoutingLanguage[] = ['it', 'en', 'de'];

const condition: fc.Arbitrary<RoutingCondition> = fc.oneof(
  fc.constantFrom(...NUMBERS).map((phoneNumberId) => ({ kind: 'number' as const, phoneNumberId })),
  fc.uniqueArray(fc.constantFrom(...WORDS, 'rimbors*', 'fatt*'), { minLength: 1, maxLength: 3 }).map((keywords) => ({ kind: 'keyword' as const, keywords })),
  fc.uniqueArray(fc.constantFrom(...LANGUAGES), { minLength: 1, maxLength: 2 }).map((languages) => ({ kind: 'language' as const, languages })),
  fc.record({ sourceId: fc.constantFrom('AD1', 'AD2') }, { requiredKeys: [] }).map((fields) => ({ kind: 'referral' as const, ...fields })),
);

const rules: fc.Arbitrary<EvaluableRule[]> = fc
  .array(fc.record({ enabled: fc.boolean(), condition, teamId: fc.integer({ min: 1, max: 6 }) }), { maxLength: 8 })
  .map((list) => list.map((rule, index) => ({ ...rule, id: index + 1 })));

const conversation: fc.Arbitrary<NewConversation> = fc.record({
  phoneNumberId: fc.constantFrom(...NUMBERS),
  firstMessage: fc.record({
    text: fc.option(
      fc.array(fc.constantFrom(...WORDS, 'rimborsi', 'unrefundable', 'the', 'il', 'mio', 'der'), { maxLength: 12 }).map((words) => words.join(' ')),
    ),
    referral: fc.option(
      fc.record({
        sourceId: fc.option(fc.constantFrom('AD1', 'AD2'), { nil: undefined }),
        sourceUrl: fc.constant(undefined),
        headline: fc.constant(undefined),
      }),
    ),
  }),
});

/** A language "detected" by the text's own words, so the property needs no statistics. */
const detect = (text: string): RoutingLanguage | undefined =>
  /\b(il|mio|ciao)\b/.test(text) ? 'it' : /\b(the|hello)\b/.test(text) ? 'en' : /\bder\b/.test(text) ? 'de' : undefined;

/** One rule on its own: does it match this conversation? */
const matchesAlone = (rule: EvaluableRule, c: NewConversation) => evaluateRouting([{ ...rule, enabled: true }], c, () => true, detect) !== null;

const deleted = fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 3 });

describe('the routing decision', () => {
  it('is deterministic: the same rules and conversation give the same team, however often asked', () => {
    fc.assert(
      fc.property(rules, conversation, deleted, (list, c, gone) => {
        const live = (teamId: number) => !gone.includes(teamId);
        const once = evaluateRouting(list, c, live, detect);
        expect(evaluateRouting(structuredClone(list), structuredClone(c), live, detect)).toEqual(once);
      }),
    );
  });

  it('is the first enabled rule of a live team that matches: an earlier matching rule always wins over anything after it', () => {
    fc.assert(
      fc.property(rules, conversation, deleted, rules, (list, c, gone, after) => {
        const live = (teamId: number) => !gone.includes(teamId);
        const expected = list.find((rule) => rule.enabled && live(rule.teamId) && matchesAlone(rule, c));
        const decided = evaluateRouting(list, c, live, detect);
        expect(decided).toEqual(expected === undefined ? null : { teamId: expected.teamId, ruleId: expected.id });
        if (expected !== undefined) {
          const longer = [...list, ...after.map((rule) => ({ ...rule, id: rule.id + 100 }))];
          expect(evaluateRouting(longer, c, live, detect)).toEqual(decided);
        }
      }),
    );
  });

  it('never lets a disabled rule or a rule of a deleted team decide', () => {
    fc.assert(
      fc.property(rules, conversation, deleted, (list, c, gone) => {
        const decided = evaluateRouting(list, c, (teamId) => !gone.includes(teamId), detect);
        if (decided === null) return;
        const rule = list.find((candidate) => candidate.id === decided.ruleId);
        expect(rule?.enabled).toBe(true);
        expect(gone).not.toContain(rule?.teamId);
      }),
    );
  });

  it('accepts the generated conditions as the admin API would', () => {
    fc.assert(
      fc.property(condition, (c) => {
        expect(ConditionSchema.safeParse(c).error?.issues).toBeUndefined();
      }),
    );
  });
});

describe('keyword matching', () => {
  it('matches whole words without regard to case or accents, a trailing * any ending', () => {
    const refund = keywordMatcher(['rimbors*', 'perché', 'c++']);
    expect(refund('Vorrei un RIMBORSO')).toBe(true);
    expect(refund('rimborsi, grazie')).toBe(true);
    expect(refund('Perche no?')).toBe(true);
    expect(refund('I write c++ code')).toBe(true);
    expect(refund('irrimborsabile')).toBe(false);
    expect(keywordMatcher(['refund'])('unrefundable')).toBe(false);
    expect(keywordMatcher(['order status'])('what is my Order   status?')).toBe(true);
  });

  // An exponential pattern would not finish inside the test's timeout; the figure itself is no assert's business.
  it('answers on texts built to make a backtracking pattern explode, reading only their first characters', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z]{1,8}\*?$/), { minLength: 1, maxLength: 50 }),
        fc.constantFrom('a', 'aa', 'ab ', '  '),
        (keywords, unit) => {
          const matcher = keywordMatcher(keywords);
          const text = unit.repeat(MATCHED_TEXT_LENGTH * 10);
          expect(matcher(text)).toBe(matcher(text.slice(0, MATCHED_TEXT_LENGTH)));
          expect(matcher(`${text}${keywords[0]?.replace('*', '') ?? ''}`)).toBe(matcher(text));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('detects the language of a sentence, and none of a greeting too short to tell', () => {
    expect(detectLanguage('Buongiorno, vorrei sapere quando arriva il mio ordine')).toBe('it');
    expect(detectLanguage('Hello, I would like to know when my order arrives')).toBe('en');
    expect(detectLanguage('Ciao')).toBeUndefined();
    expect(ROUTING_LANGUAGE_CODES).toContain('it');
  });
});
