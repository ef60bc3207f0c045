/**
 * Customers' numbers and groups (issue 13: no customer groups, numbers masked). The server masks
 * a customer's number in every answer and feed frame for whoever the policy says may not see it
 * (common/safety/safety-policy.ts `maskedNumbers`; server/masking/), and says so in
 * `Customer.phoneMasked`. An agent who needs the number asks for it with a reason: the answer
 * goes to them alone and the reveal is audited, never with the number.
 */
import { z } from 'zod';

export const REVEAL_REASON_MIN = 3;
export const REVEAL_REASON_MAX = 200;

export const RevealNumberBody = z
  .object({
    reason: z
      .string()
      .trim()
      .min(REVEAL_REASON_MIN, `the reason must be at least ${REVEAL_REASON_MIN} characters`)
      .max(REVEAL_REASON_MAX, `the reason must be at most ${REVEAL_REASON_MAX} characters`)
      // The reason is kept in the audit log, which never holds a customer's number.
      .refine((reason) => !/\d[\d\s().-]{5,}\d/.test(reason), 'the reason must not hold a phone number'),
  })
  .strict();
export type RevealNumberBody = z.infer<typeof RevealNumberBody>;

/** The customer's number (their wa_id, digits), for the agent who asked only. */
export const RevealedNumber = z.object({ conversationId: z.number().int().positive(), phone: z.string() });
export type RevealedNumber = z.infer<typeof RevealedNumber>;
