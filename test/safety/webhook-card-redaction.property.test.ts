/**
 * The webhook body's card masking: whatever the JSON's shape and spacing, the values of
 * person-written keys lose their card digits, every other value and the JSON itself stay as they
 * were, and a body that masks nothing is returned as the same text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findCardNumbers } from '../../common/cards/card-numbers.js';
import { redactCardNumbers } from '../../common/cards/card-redaction.js';
import { redactWebhookCards } from '../../server/webhooks/redact-webhook-cards.js';

const CARDS = ['4111111111111111', '5500 0000 0000 0004', '3782-822463-10005', '4012 8888 8888 1881'];
const PERSON_KEYS = ['body', 'caption', 'title', 'filename', 'name', 'text'];
const ID_KEYS = ['id', 'wa_id', 'from', 'payload', 'user_id'];

const words = fc.stringMatching(/^[a-z ,.]{0,12}$/);
const personValue = fc.tuple(words, fc.constantFrom(...CARDS), words).map(([a, card, b]) => `${a} ${card} ${b}`);
const leaf = fc.oneof(
  fc.record({ key: fc.constantFrom(...PERSON_KEYS), value: personValue }),
  fc.record({ key: fc.constantFrom(...ID_KEYS), value: fc.constantFrom(...CARDS.map((card) => card.replace(/\D/g, ''))) }),
);
const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small' },
    leaf.map(({ key, value }) => ({ [key]: value })),
    fc.array(tie('tree'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('entry', 'changes', 'value', 'messages', 'text', 'interactive'), tie('tree'), { maxKeys: 3 }),
  ),
}));

/** The tree with person-written values masked as the rule says, the others untouched. */
function expected(value: unknown, key?: string): unknown {
  if (typeof value === 'string') return key !== undefined && PERSON_KEYS.includes(key) ? redactCardNumbers(value).text : value;
  if (Array.isArray(value)) return value.map((item) => expected(item));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expected(v, k)]));
  return value;
}

describe('masking card numbers in a webhook body', () => {
  it('masks exactly the person-written values, in any shape and spacing, and leaves valid JSON', () => {
    fc.assert(
      fc.property(tree, fc.constantFrom(undefined, 2, '\t'), (body, indent) => {
        const raw = JSON.stringify(body, null, indent);
        const redacted = redactWebhookCards(raw);
        expect(JSON.parse(redacted.text)).toEqual(expected(body));
        if (redacted.cardsRedacted === 0) expect(redacted.text).toBe(raw);
      }),
    );
  });

  it('reads keys and values written with JSON escapes', () => {
    const raw = '{"\\u0062ody":"card \\u0034111111111111111 thanks","id":"4111111111111111"}';
    const redacted = redactWebhookCards(raw);
    expect(JSON.parse(redacted.text)).toEqual({ body: 'card 411111••••••1111 thanks', id: '4111111111111111' });
    expect(redacted.cardsRedacted).toBe(1);
  });

  it('leaves no card in a person-written value, and text that is not JSON as it reads', () => {
    const raw = '{"text":{"body":"4111 1111 1111 1111"},"caption":"5500000000000004"';
    const redacted = redactWebhookCards(raw);
    expect(redacted.cardsRedacted).toBe(2);
    expect(findCardNumbers(redacted.text)).toEqual([]);
    expect(redactWebhookCards('{"body":"4111111111111111').text).toBe('{"body":"4111111111111111');
  });
});
