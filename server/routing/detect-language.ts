/**
 * The language of a first message, by franc-min (trigram statistics over the languages with more
 * than 8 million speakers, no network, no model file). A text under 10 letters is undetermined:
 * "Ciao" or "ok" says too little, and a language rule then does not match.
 */
import { franc } from 'franc-min';
import { MATCHED_TEXT_LENGTH } from '../../common/routing/keywords.js';
import type { RoutingLanguage } from '../../common/routing/languages.js';
import { routingLanguageOf } from '../../common/routing/languages.js';

export function detectLanguage(text: string): RoutingLanguage | undefined {
  const detected = franc(text.slice(0, MATCHED_TEXT_LENGTH), { minLength: 10 });
  return detected === 'und' ? undefined : routingLanguageOf(detected);
}
