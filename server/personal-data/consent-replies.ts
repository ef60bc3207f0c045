/**
 * A customer's tap on the Yes or No button of a promotions request (personal-data-guard.ts sends
 * them) records their consent on the contact, in the webhook's own transaction: when, the answer,
 * and the wording they were asked with (the request's text). Any other button reply is left alone,
 * and so is a tap from a customer never sent a promotions request (a forged or stale button id).
 */
import type { InteractiveReplyContent } from '../../common/messages/message-content.js';
import { consentOfButtonReply } from '../../common/personal-data/personal-data-purpose.js';
import type { StoreTransaction } from '../store/group-commit.js';
import type { z } from 'zod';
import { recordConsentIn } from './personal-data-service.js';

/** Answers whether a consent was recorded (its audit row appended: count it once committed). */
export async function consentFromButtonReply(
  trx: StoreTransaction,
  reply: { readonly conversationId: number; readonly messageId: number; readonly content: z.infer<typeof InteractiveReplyContent> },
  now: number,
): Promise<boolean> {
  if (reply.content.replyType !== 'button_reply') return false;
  const consent = consentOfButtonReply(reply.content.replyId);
  if (consent === undefined) return false;
  const recorded = await recordConsentIn(trx, { conversationId: reply.conversationId, consent, agentId: null, replyMessageId: reply.messageId }, now);
  return recorded !== undefined;
}
