/**
 * Random wording around a phrase, for the property tests of the detectors that read what people
 * write (test/safety/): any mix of capitals, and sentences before and after that name nothing.
 */
import fc from 'fast-check';

/** The text with each letter in upper or lower case at random. */
export function anyCase(text: string): fc.Arbitrary<string> {
  return fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((upper) => [...text].map((char, index) => (upper[index] === true ? char.toUpperCase() : char.toLowerCase())).join(''));
}

/** Made-up words of consonants, which spell no phrase of either language. */
export const gibberish = fc.array(fc.stringMatching(/^[bcdfghlmnpqrstvz]{2,8}$/), { minLength: 1, maxLength: 5 }).map((words) => words.join(' '));

/** Up to three sentences from the pool or of made-up words, each ended so that it stands apart from what follows. */
export function sentencesFrom(pool: readonly string[]): fc.Arbitrary<string> {
  const sentence = fc.oneof(fc.constantFrom(...pool), gibberish);
  const end = fc.constantFrom('. ', '! ', '? ', '\n', '.\n', '; ');
  return fc.array(fc.tuple(sentence, end), { maxLength: 3 }).map((sentences) => sentences.map(([text, stop]) => text + stop).join(''));
}

/**
 * The phrase in a random case, in a sentence of its own (made-up words may lead it in) among
 * sentences from the pool.
 */
export function amongSentences(phrase: string, pool: readonly string[]): fc.Arbitrary<string> {
  const lead = fc.option(
    gibberish.map((words) => `${words}, `),
    { nil: '' },
  );
  return fc
    .tuple(sentencesFrom(pool), lead, anyCase(phrase), fc.constantFrom('.', '!', '?', '\n', '.\n'), sentencesFrom(pool))
    .map(([before, leading, written, stop, after]) => `${before}${leading}${written}${stop} ${after}`);
}
