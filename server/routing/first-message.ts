/**
 * What routing may read of the message that starts a conversation: its words and the
 * click-to-WhatsApp ad it came from. Only a customer's own message counts: an echo of the
 * business's app, a reaction or a system notice starting a conversation gives no words or ad,
 * so only the number (and the fallbacks) can route it.
 */
import { messageText } from '../../common/messages/message-text.js';
import type { MessageContent, MessageMeta } from '../../common/messages/message-content.js';

export interface AdReferral {
  readonly sourceId: string | undefined;
  readonly sourceUrl: string | undefined;
  readonly headline: string | undefined;
}

export interface FirstMessage {
  /** The words of the customer's first message; null when it has none (a sticker) or is not the customer's. */
  readonly text: string | null;
  /** The ad the customer clicked to write (Cloud API `messages[].referral`), or null. */
  readonly referral: AdReferral | null;
}

/** A conversation started without a customer's message to read (an echo, a reaction, a notice). */
export const NO_FIRST_MESSAGE: FirstMessage = { text: null, referral: null };

const textField = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

export function firstMessageOf(content: MessageContent, meta: MessageMeta | undefined, customerWrites: boolean): FirstMessage {
  if (!customerWrites) return NO_FIRST_MESSAGE;
  const referral = meta?.referral;
  return {
    text: messageText(content),
    referral:
      referral === undefined
        ? null
        : { sourceId: textField(referral.source_id), sourceUrl: textField(referral.source_url), headline: textField(referral.headline) },
  };
}
