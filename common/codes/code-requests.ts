/**
 * Does a customer's message ask for what takes over an account? WhatsApp, Meta and Sportello never
 * ask anyone for a code, a PIN or a password by message, and never write as "WhatsApp Support":
 * a message that does is the start of an account takeover ("I sent you a 6-digit code by mistake,
 * send it back"), and the agent is shown a warning beside it. English and Italian, read word by
 * word (common/phrases/phrase-finder.ts), each reason on its own:
 * - asks_for_code / asks_for_pin / asks_for_password: a request (`send me`, `inviami`, `qual è`,
 *   `mi serve`: common/phrases/request-phrases.ts) within five words of the secret, in one sentence;
 * - says_a_code_was_sent: `we sent you` or `ti abbiamo inviato`, `hai ricevuto`, `riceverai`
 *   within five words of a code or PIN, in one sentence;
 * - claims_to_be_support: WhatsApp, Meta, Facebook or Sportello within two words of a support
 *   role (`WhatsApp Support`, `il team di WhatsApp`, `Team Meta`, `sicurezza di Facebook`).
 * docs/safety-rules.md lists what it misses and what it flags that is harmless.
 */
import type { Lexicon, PhraseHit } from '../phrases/phrase-finder.js';
import { compileLexicon, findPhrases, near, withoutNear, wordsOf } from '../phrases/phrase-finder.js';
import { NOT_REQUEST_PHRASES, REQUEST_PHRASES } from '../phrases/request-phrases.js';
import type { CodeWordTag } from './code-words.js';
import { CODE_CONTEXT_GAP, CODE_WORDS } from './code-words.js';

export type CodeRequestReason = 'asks_for_code' | 'asks_for_pin' | 'asks_for_password' | 'says_a_code_was_sent' | 'claims_to_be_support';

/** Words a request or an announcement may stand from what it names. */
const REQUEST_GAP = 5;
const SUPPORT_GAP = 2;

type Tag = CodeWordTag | 'request' | 'not_a_request' | 'announce' | 'brand' | 'role' | 'not_a_role';

const ANNOUNCEMENTS = [
  ...['sent you', 'send you', 'sending you', 'texted you', 'you received', 'you ve received', 'you have received', 'you got', 'you ve got'],
  ...['you just received', 'you ve just received', 'you have just received', 'you just got'],
  ...['you ll receive', 'you will receive', 'you should receive', 'you should have received', 'you should get', 'sent to your', 'sent it to you'],
  ...['ti abbiamo inviato', 'ti abbiamo mandato', 'ti abbiamo spedito', 'vi abbiamo inviato', 'vi abbiamo mandato', 'le abbiamo inviato'],
  ...['le abbiamo mandato', 'ti ho inviato', 'ti ho mandato', 'le ho inviato', 'le ho mandato', 'ti e stato inviato', 'le e stato inviato'],
  ...['ti e arrivato', 'le e arrivato', 'ti e appena arrivato', 'ti arrivera', 'le arrivera', 'ti sta arrivando', 'ti invieremo', 'le invieremo'],
  ...['ti inviamo', 'le inviamo', 'ti mando', 'ti mandiamo', 'hai ricevuto', 'ha ricevuto', 'avete ricevuto', 'riceverai', 'ricevera', 'riceverete'],
  ...['ti ha inviato', 'ti ha mandato', 'le ha inviato', 'le ha mandato', 'ti hanno inviato', 'ti hanno mandato', 'vi ha inviato', 'vi hanno inviato'],
  ...['dovresti ricevere', 'dovrebbe ricevere', 'dovresti aver ricevuto', 'dovrebbe aver ricevuto', 'ti e appena stato inviato'],
];

const BRANDS = ['whatsapp', 'whats app', 'whatsapp business', '=meta', 'meta business', 'facebook', 'sportello'];
const ROLES = [
  ...['support', 'supporto', 'assistenza', 'team', 'staff', 'security', 'sicurezza', 'help desk', 'helpdesk', 'help center', 'help centre'],
  ...['customer service', 'customer care', 'customer support', 'servizio clienti', 'centro assistenza', 'trust and safety', 'verification'],
  ...['verifica', 'admin', 'administrator', 'amministratore', 'amministrazione', 'moderator', 'moderatore', 'official', 'ufficiale'],
];

const LEXICON = compileLexicon<Tag>([
  ...CODE_WORDS,
  ['request', REQUEST_PHRASES],
  ['not_a_request', NOT_REQUEST_PHRASES],
  ['announce', ANNOUNCEMENTS],
  ['brand', BRANDS],
  ['role', ROLES],
  // Italian for a bank's or an office's service desk, where "sportello" is no brand.
  ['not_a_role', ['sportello assistenza', 'sportello di assistenza', 'sportello clienti', 'sportello bancomat', 'sportello unico']],
] satisfies Lexicon<Tag>);

/** The phrases of the text, bare code words that stand beside an order or a discount left out. */
function hitsOf(text: string): PhraseHit<Tag>[] {
  return withoutNear(findPhrases(wordsOf(text), LEXICON), 'generic_code', ['code_context'], CODE_CONTEXT_GAP);
}

/** Why the message looks like the start of an account takeover, each reason once; empty when it does not. */
export function codeRequestReasons(text: string): CodeRequestReason[] {
  const hits = hitsOf(text);
  const reasons: CodeRequestReason[] = [];
  if (near(hits, ['request'], ['code', 'generic_code'], REQUEST_GAP)) reasons.push('asks_for_code');
  if (near(hits, ['request'], ['pin'], REQUEST_GAP)) reasons.push('asks_for_pin');
  if (near(hits, ['request'], ['password'], REQUEST_GAP)) reasons.push('asks_for_password');
  if (near(hits, ['announce'], ['code', 'generic_code', 'pin'], REQUEST_GAP)) reasons.push('says_a_code_was_sent');
  if (near(hits, ['brand'], ['role'], SUPPORT_GAP)) reasons.push('claims_to_be_support');
  return reasons;
}
