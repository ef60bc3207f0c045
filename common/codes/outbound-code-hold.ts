/**
 * A message that looks like it carries a one-time code, a PIN or the agent's own recovery code is
 * held until the agent confirms it (audited) or edits it: someone who talks an agent into reading
 * out a code takes over an account. The same judgement runs in the renderer (the warning and the
 * two-step Send as the agent types) and on the server (the hold); the request's `confirmedCode`
 * lets a confirmed one go. The refusal names the reasons, never the text.
 */
import { CodedError } from '../errors/coded-error.js';
import { outgoingCodeReasons } from './outgoing-codes.js';
import type { OutgoingCodeReason } from './outgoing-codes.js';

/** Every reason, in the order they are named (the keys are checked against the detector's type). */
const REASON_ORDER: Readonly<Record<OutgoingCodeReason, number>> = { one_time_code: 0, lone_six_digits: 1, recovery_code: 2 };
export const OUTGOING_CODE_REASONS = Object.keys(REASON_ORDER) as OutgoingCodeReason[];

export class CodeNeedsConfirmation extends CodedError<'code_needs_confirmation'> {
  readonly reasons: readonly OutgoingCodeReason[];

  constructor(reasons: readonly OutgoingCodeReason[]) {
    super(
      'code_needs_confirmation',
      'This message looks like it carries a one-time code, a PIN or a recovery code, which nobody should ask for in a chat: edit it, or confirm that you mean to send it.',
      { reasons: [...reasons] },
    );
    this.reasons = reasons;
    this.name = 'CodeNeedsConfirmation';
  }
}

/** Why any of the texts looks like it carries a code, each reason once, in a stable order; empty when none does. */
export function outboundCodeReasons(texts: readonly (string | null | undefined)[]): OutgoingCodeReason[] {
  const found = new Set<OutgoingCodeReason>();
  for (const text of texts) if (typeof text === 'string') for (const reason of outgoingCodeReasons(text)) found.add(reason);
  return [...found].sort((a, b) => REASON_ORDER[a] - REASON_ORDER[b]);
}
