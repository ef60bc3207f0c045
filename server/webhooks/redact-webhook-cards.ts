/**
 * Card numbers a customer sends are masked before anything of the webhook is kept: the body is
 * rewritten here, once its signature is checked and before it is parsed, so the stored message,
 * its search entry, the raw JSON kept with it, a quarantined or unknown-number body, what the
 * clients get and what is logged all hold only the masked form (first six and last four digits,
 * common/cards/card-redaction.ts). The original digits are never written anywhere.
 *
 * Only what a person wrote is searched: the string values of the keys below, wherever they sit
 * (message text, captions, file names, interactive and order text, a flow's answers, names and
 * addresses). Identifiers (`id`, `wa_id`, `from`, `payload`…) are never touched: some message and
 * user ids pass the Luhn check. It reads the text as JSON tokens in one pass with no recursion,
 * so a body nested deeper than Meta's (kept whole in quarantine) is masked as well.
 */
import { redactCardNumbers } from '../../common/cards/card-redaction.js';

/** Keys whose string values a person wrote. */
const PERSON_WRITTEN_KEYS: ReadonlySet<string> = new Set([
  'body',
  'caption',
  'text',
  'title',
  'description',
  'filename',
  'name',
  'formatted_name',
  'first_name',
  'middle_name',
  'last_name',
  'address',
  'headline',
  'response_json',
]);

export interface RedactedWebhook {
  /** The body with every card number in a person's text masked (the same text when there was none). */
  readonly text: string;
  readonly cardsRedacted: number;
}

/** The end of the string literal that opens at `start` (the index after its closing quote), or -1 when it is not closed. */
function stringEnd(text: string, start: number): number {
  for (let at = start + 1; at < text.length; at += 1) {
    const char = text.charCodeAt(at);
    if (char === 0x5c) at += 1;
    else if (char === 0x22) return at + 1;
  }
  return -1;
}

function decoded(literal: string): string | undefined {
  try {
    const value: unknown = JSON.parse(literal);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

const isSpace = (char: number) => char === 0x20 || char === 0x09 || char === 0x0a || char === 0x0d;

/** `raw` with card numbers masked in the values of person-written keys; text that is not JSON is searched as far as it reads. */
export function redactWebhookCards(raw: string): RedactedWebhook {
  let out = '';
  let copiedTo = 0;
  let cardsRedacted = 0;
  let key: string | undefined;
  // The last character outside a string that was not white space: ':' makes the next string a value of `key`.
  let before = 0;
  for (let at = 0; at < raw.length;) {
    const char = raw.charCodeAt(at);
    if (char !== 0x22) {
      if (!isSpace(char)) before = char;
      at += 1;
      continue;
    }
    const end = stringEnd(raw, at);
    if (end === -1) break;
    let next = end;
    while (next < raw.length && isSpace(raw.charCodeAt(next))) next += 1;
    const literal = raw.slice(at, end);
    if (raw.charCodeAt(next) === 0x3a) {
      key = decoded(literal);
    } else if (before === 0x3a && key !== undefined && PERSON_WRITTEN_KEYS.has(key)) {
      const value = decoded(literal);
      const redacted = value === undefined ? undefined : redactCardNumbers(value);
      if (redacted !== undefined && redacted.cardsRedacted > 0) {
        out += raw.slice(copiedTo, at) + JSON.stringify(redacted.text);
        copiedTo = end;
        cardsRedacted += redacted.cardsRedacted;
      }
    }
    before = 0x22;
    at = end;
  }
  if (cardsRedacted === 0) return { text: raw, cardsRedacted: 0 };
  return { text: out + raw.slice(copiedTo), cardsRedacted };
}
