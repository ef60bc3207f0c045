/**
 * Does an agent's outgoing text ask the customer for personal data, and for which kinds? Such a
 * request must say what the data is for, so the agent is asked for the purpose before it goes.
 * English and Italian, read word by word (common/phrases/phrase-finder.ts): a request word
 * (common/phrases/request-phrases.ts: `could you send`, `mi può indicare`, `qual è`, `mi serve`)
 * within six words of the kind's noun (common/personal-data/personal-data-words.ts) in one
 * sentence, or listed after such a noun (`your passport and your tax code`), or a question that asks for it by itself (`where do you live`). docs/safety-rules.md
 * lists what it misses and what it flags that asks for nothing.
 */
import { compileLexicon, findPhrases, hitsNear, withListed, wordsOf } from '../phrases/phrase-finder.js';
import { NOT_REQUEST_PHRASES, REQUEST_PHRASES } from '../phrases/request-phrases.js';
import type { PersonalDataKind, PersonalDataTag } from './personal-data-words.js';
import { PERSONAL_DATA_KINDS, PERSONAL_DATA_WORDS } from './personal-data-words.js';

/** Words a request may stand from the noun it asks for, and a noun from the one before it in a list. */
const PERSONAL_DATA_GAP = 6;
const LIST_GAP = 3;

type Tag = PersonalDataTag | 'request' | 'not_a_request';

const LEXICON = compileLexicon<Tag>([...PERSONAL_DATA_WORDS, ['request', REQUEST_PHRASES], ['not_a_request', NOT_REQUEST_PHRASES]]);

/** The kinds of personal data the text asks for, in PERSONAL_DATA_KINDS order, each once; empty when it asks for none. */
export function requestedPersonalData(text: string): PersonalDataKind[] {
  const hits = findPhrases(wordsOf(text), LEXICON);
  const asked = withListed(hits, hitsNear(hits, ['request'], PERSONAL_DATA_KINDS, PERSONAL_DATA_GAP), PERSONAL_DATA_KINDS, LIST_GAP);
  return PERSONAL_DATA_KINDS.filter((kind) => hits.some((hit) => hit.tag === `${kind}_question`) || asked.some((hit) => hit.tag === kind));
}
