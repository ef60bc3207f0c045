/**
 * The renderer's ComposeMessage (IPC) is the wire's SendRequest with the renderer's message id and
 * an attachment in place of the idempotency key and the media id: whatever one accepts, the other
 * accepts as the send main makes of it, with the same values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ComposeMessage } from '../../common/ipc/contract.js';
import { MAX_CAPTION_LENGTH, MAX_TEXT_LENGTH, SendRequest } from '../../common/messages/send-request.js';
import { sendRequestOf } from '../../main/core/outbox-sender.js';

const around = (limit: number) =>
  fc.oneof(fc.string({ maxLength: 40 }), fc.string({ minLength: limit - 2, maxLength: limit + 2 }), fc.constantFrom('', '   ', ' ciao '));
const id = fc.oneof(fc.integer({ min: 1, max: 1e9 }), fc.constantFrom(0, -1, 1.5));
const templateName = fc.oneof(fc.stringMatching(/^[a-z0-9_]{1,20}$/), fc.string({ maxLength: 20 }));
const languageCode = fc.oneof(fc.constantFrom('en', 'it', 'en_US', 'pt_BR', 'EN', 'en-US', 'e', 'engl'), fc.string({ maxLength: 6 }));

/** Anything a renderer might send as a message, well or badly formed. */
const composed = fc.record(
  {
    conversationId: id,
    clientMessageId: fc.uuid({ version: 4 }),
    replyToMessageId: id,
    kind: fc.constantFrom('text', 'media', 'template', 'reaction', 'sticker'),
    text: around(MAX_TEXT_LENGTH),
    attachmentId: id,
    caption: around(MAX_CAPTION_LENGTH),
    name: templateName,
    languageCode,
    components: fc.array(fc.record({ type: fc.constantFrom('body', 'header') }), { maxLength: 22 }),
    targetMessageId: id,
    emoji: fc.oneof(fc.constantFrom('👍', '', '❤️'), fc.string({ maxLength: 20 })),
    confirmedCode: fc.constantFrom(true, false, 'yes', 1),
    personalDataPurpose: fc.oneof(
      fc.constantFrom({ purpose: 'billing' }, { purpose: 'promotions' }, { purpose: 'other', text: 'the age check' }),
      fc.constantFrom({ purpose: 'other' }, { purpose: 'curiosity' }, { purpose: 'billing', text: 'why' }, 'billing'),
    ),
  },
  { requiredKeys: ['conversationId', 'clientMessageId', 'kind'] },
);

/** What main makes of a composed message for the wire (as the outbox does). */
function asSend(compose: Record<string, unknown>): Record<string, unknown> {
  const { clientMessageId, attachmentId, ...rest } = compose;
  return { ...rest, idempotencyKey: clientMessageId, ...(compose.kind === 'media' ? { mediaId: attachmentId } : {}) };
}

describe('ComposeMessage', () => {
  it('accepts exactly what SendRequest accepts, with the same values', () => {
    fc.assert(
      fc.property(composed, (compose) => {
        const ipc = ComposeMessage.safeParse(compose);
        const wire = SendRequest.safeParse(asSend(compose));
        expect(ipc.success, JSON.stringify(compose).slice(0, 300)).toBe(wire.success);
        if (ipc.success && wire.success) {
          expect(asSend(ipc.data)).toEqual(wire.data);
          // The outbox's own mapping carries every field, the agent's confirmation of a code and the personal data's purpose among them.
          expect(SendRequest.parse(sendRequestOf(ipc.data))).toEqual(wire.data);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the renderer the wire’s own explanations', () => {
    const refused = ComposeMessage.safeParse({ kind: 'template', conversationId: 1, clientMessageId: crypto.randomUUID(), name: 'Promo!', languageCode: 'en' });
    expect(refused.error?.issues[0]?.message).toBe('name must be a template name: lowercase letters, digits and _');
  });

  it('leaves link previews out of the renderer’s reach', () => {
    const parsed = ComposeMessage.parse({
      kind: 'text',
      conversationId: 1,
      clientMessageId: crypto.randomUUID(),
      text: 'see https://example.com',
      previewUrl: true,
    });
    expect(parsed).not.toHaveProperty('previewUrl');
  });
});
