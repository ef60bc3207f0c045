/**
 * Blocking a customer (issue 13): an agent who may see a conversation blocks its customer on the
 * conversation's business number, with a reason; a supervisor of the conversation's team unblocks.
 * While blocked, the customer's messages are kept and shown but do not route, reopen or notify,
 * and nothing is sent to them. The business number also blocks them on WhatsApp (the Cloud API's
 * block_users), where the number supports it; the outcome is shown with the block.
 */
import { z } from 'zod';
import { HistoryAgent } from './conversation-lifecycle.js';

export const BLOCK_REASON_MIN = 3;
export const BLOCK_REASON_MAX = 500;

export const BlockCustomerBody = z
  .object({
    reason: z
      .string()
      .trim()
      .min(BLOCK_REASON_MIN, `the reason must be at least ${BLOCK_REASON_MIN} characters`)
      .max(BLOCK_REASON_MAX, `the reason must be at most ${BLOCK_REASON_MAX} characters`),
  })
  .strict();
export type BlockCustomerBody = z.infer<typeof BlockCustomerBody>;

export const UnblockCustomerBody = z.object({}).strict();

/**
 * What WhatsApp answered: `blocked` (the number blocks them on WhatsApp too), `not_supported`
 * (the number's API has no block-users: Sportello alone keeps the block), `failed` (Meta refused,
 * `errorCode` says why, e.g. `meta_131047` when the customer has not written in 24 hours), and
 * `pending` while the call runs.
 */
export const WHATSAPP_BLOCK_OUTCOMES = ['blocked', 'not_supported', 'failed', 'pending'] as const;
export const WhatsAppBlockOutcome = z.enum(WHATSAPP_BLOCK_OUTCOMES);
export type WhatsAppBlockOutcome = z.infer<typeof WhatsAppBlockOutcome>;

export const CustomerBlock = z.object({
  reason: z.string(),
  blockedBy: HistoryAgent,
  blockedAt: z.number().int(),
  whatsapp: z.object({ outcome: WhatsAppBlockOutcome, errorCode: z.string().nullable() }),
});
export type CustomerBlock = z.infer<typeof CustomerBlock>;
