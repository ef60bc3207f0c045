/**
 * Keyword matching for routing rules: a list of words or phrases, each matched as whole words,
 * without regard to case or accents ("Rimborso" matches "rimborsò?"), a trailing `*` matching any
 * ending ("rimbors*": rimborso, rimborsi). Deliberately not a regular expression: an admin's
 * regex can take exponential time on a customer's text, and no checker catches every such
 * pattern; these keywords compile to an alternation of escaped literals, linear in the text.
 */

export const MAX_KEYWORDS = 50;
export const MAX_KEYWORD_LENGTH = 60;
/** Only the start of a first message is read: the routing decision stays bounded whatever the customer sends. */
export const MATCHED_TEXT_LENGTH = 4096;

const WORD_CHAR = '[\\p{L}\\p{N}]';

/** Lower case, accents removed, so "Perché" and "perche" are the same word. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** What is wrong with one keyword, in words a person can act on; undefined when it is good. */
export function keywordProblem(keyword: string): string | undefined {
  const text = keyword.trim();
  if (text === '') return 'a keyword is empty';
  if (text.length > MAX_KEYWORD_LENGTH) return `the keyword "${text.slice(0, 20)}…" is longer than ${MAX_KEYWORD_LENGTH} characters`;
  if (/\p{Cc}/u.test(text)) return `the keyword "${text}" contains a control character`;
  const star = text.indexOf('*');
  if (star !== -1 && star !== text.length - 1) return `the keyword "${text}" has a * that is not at its end: only a trailing * (any ending) is allowed`;
  if (!/[\p{L}\p{N}]/u.test(text)) return `the keyword "${text}" has no letter or digit to match`;
  return undefined;
}

/** The first problem of a keyword list, or undefined. */
export function keywordListProblem(keywords: readonly string[]): string | undefined {
  if (keywords.length === 0) return 'give at least one keyword';
  if (keywords.length > MAX_KEYWORDS) return `at most ${MAX_KEYWORDS} keywords in one rule`;
  for (const keyword of keywords) {
    const problem = keywordProblem(keyword);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

function alternativeOf(keyword: string): string {
  const text = foldText(keyword.trim());
  const prefix = text.endsWith('*');
  const words = (prefix ? text.slice(0, -1) : text).trim().split(/\s+/).map(escapeLiteral).join('\\s+');
  return prefix ? `${words}${WORD_CHAR}*` : words;
}

/** A matcher for a good keyword list (checked with keywordListProblem first). */
export function keywordMatcher(keywords: readonly string[]): (text: string) => boolean {
  const problem = keywordListProblem(keywords);
  if (problem !== undefined) throw new Error(`keywordMatcher: ${problem}`);
  const pattern = new RegExp(`(?<!${WORD_CHAR})(?:${keywords.map(alternativeOf).join('|')})(?!${WORD_CHAR})`, 'u');
  return (text) => pattern.test(foldText(text.slice(0, MATCHED_TEXT_LENGTH)));
}
